package org.torch2nnef.nnef.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** graph.nnef text too large or nested too deep is refused with the entry and the limit named. */
class HostileNnefTextTest {
    @TempDir Path tmp;

    private Path tar(String graph) throws IOException {
        Path file = tmp.resolve("model.nnef.tar");
        byte[] bytes = graph.getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(file);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            TarArchiveEntry e = new TarArchiveEntry("graph.nnef");
            e.setSize(bytes.length);
            tar.putArchiveEntry(e);
            tar.write(bytes);
            tar.closeArchiveEntry();
        }
        return file;
    }

    private static String graphWith(String expr) {
        return "version 1.0;\ngraph g(x) -> (y) {\n  x = external<scalar>(shape = [1]);\n"
                + "  y = add(x, "
                + expr
                + ");\n}\n";
    }

    @Test
    void hundredThousandNestedBrackets() throws IOException {
        int n = 100_000;
        Path file = tar(graphWith("[".repeat(n) + "1.0" + "]".repeat(n)));
        String message =
                assertThrows(NnefParseException.class, () -> NnefArchiveReader.read(file))
                        .getMessage();
        assertTrue(message.startsWith(file + "!graph.nnef:4:"), message);
        assertTrue(
                message.contains(
                        "expression nested deeper than 400 levels (limit 400, raise with"
                                + " -Dtorch2nnef.limit.nnefExpressionDepth=N)"),
                message);
    }

    @Test
    void longOperatorChain() throws IOException {
        Path file = tar(graphWith("1.0" + " + 1.0".repeat(100_000)));
        String message =
                assertThrows(NnefParseException.class, () -> NnefArchiveReader.read(file))
                        .getMessage();
        assertTrue(message.contains("expression nested deeper than 400 levels"), message);
    }

    @Test
    void graphTextOverTheLimit() throws IOException {
        Path file = tar(graphWith("1.0") + "#".repeat(4096));
        System.setProperty("torch2nnef.limit.graphTextBytes", "1024");
        try {
            String message =
                    assertThrows(NnefFormatException.class, () -> NnefArchiveReader.read(file))
                            .getMessage();
            assertTrue(
                    message.equals(
                            file
                                    + "!graph.nnef: text larger than 1024 bytes (limit 1024, raise"
                                    + " with -Dtorch2nnef.limit.graphTextBytes=N)"),
                    message);
        } finally {
            System.clearProperty("torch2nnef.limit.graphTextBytes");
        }
    }
}
