package org.torch2nnef.check;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphTextTest {
    @TempDir Path tmp;

    /** Issue 14: a truncated .tgz named the entry it broke in, never "null". */
    @Test
    void aTruncatedTgzNamesTheEntryItEndsIn() throws IOException {
        byte[] noise = new byte[8000];
        new Random(1).nextBytes(noise); // incompressible: the cut lands inside it
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar =
                new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            add(tar, "a.dat", noise);
            add(tar, "graph.nnef", "version 1.0;".getBytes(StandardCharsets.UTF_8));
        }
        byte[] whole = bytes.toByteArray();
        Path model = Files.write(tmp.resolve("m.nnef.tgz"), Arrays.copyOf(whole, 4000));
        IOException e = assertThrows(IOException.class, () -> GraphText.read(model));
        assertTrue(
                e.getMessage()
                        .equals(
                                model
                                        + "!a.dat: not a readable NNEF directory, tar or tgz:"
                                        + " truncated: the archive ends early"),
                e.getMessage());
    }

    private static void add(TarArchiveOutputStream tar, String name, byte[] content)
            throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(content.length);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }
}
