package org.torch2nnef.torchscript;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pickle can build a list that holds a tuple that holds the list. Messages that quoted a decoded
 * value through {@code toString} recursed until the stack overflowed (found by {@code
 * TorchPickleFuzzTest}); they now quote a bounded rendering.
 */
class CyclicPickleValueTest {
    @TempDir Path dir;

    @Test
    void selfReferencingArgumentIsRefusedWithAShortMessage() throws IOException {
        byte[] pickle =
                new PickleWriter()
                        .global("torch", "device")
                        .op(']', '2', 0x85, 'a') // L = []; L.append((L,))
                        .op(0x85, 'R') // torch.device((L,))
                        .stop();
        Path file = dir.resolve("cyclic.pt");
        try (OutputStream out = Files.newOutputStream(file);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("cyclic/data.pkl"));
            zip.write(pickle);
            zip.closeEntry();
        }
        TorchScriptFormatException e =
                assertThrows(TorchScriptFormatException.class, () -> TorchScriptArchive.open(file));
        String message = e.getMessage();
        assertTrue(message.startsWith("torch.device expects one string, got (list of 1)"), message);
        assertTrue(message.contains("data.pkl") && message.contains(file.toString()), message);
    }
}
