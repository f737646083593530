package org.torch2nnef.torchscript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A zip directory that declares more bytes than a deflated entry holds: a read past the real end
 * names the archive and the entry (it used to end in ": null", the message of {@code
 * InputStream.skipNBytes}' EOFException).
 */
class LyingZipSizeTest {
    @TempDir Path dir;

    @Test
    void aReadPastTheRealEndOfADeflatedEntryNamesIt() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("m/data/0"));
            zip.write(new byte[10]);
            zip.closeEntry();
        }
        byte[] zip = bytes.toByteArray();
        HostileArchiveTest.patchCentralSize(zip, "m/data/0", 100);
        Path file = Files.write(dir.resolve("lying.pt"), zip);
        try (ZipEntries entries = ZipEntries.open(file)) {
            TorchScriptFormatException e =
                    assertThrows(
                            TorchScriptFormatException.class,
                            () -> entries.read("m/data/0", 50, new byte[10], 0, 10));
            assertEquals(
                    "corrupt zip archive "
                            + file
                            + ": entry 'm/data/0': inflates to fewer bytes than its declared 100",
                    e.getMessage());
        }
    }
}
