package org.torch2nnef.nnef.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.nnef.model.ItemType;
import org.torch2nnef.nnef.model.NnefModel;
import org.torch2nnef.nnef.model.TensorData;

/**
 * NNEF archives too large, nested too deep, recursing or lying about sizes are refused with the
 * entry and the limit named.
 */
class HostileNnefTextTest {
    @TempDir Path tmp;

    private Path tar(String graph) throws IOException {
        return tar(graph, null, null);
    }

    /** A tar of {@code graph} as graph.nnef, plus entry {@code extra} when not null. */
    private Path tar(String graph, String extra, byte[] extraBytes) throws IOException {
        Path file = tmp.resolve("model.nnef.tar");
        try (OutputStream out = Files.newOutputStream(file);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            put(tar, "graph.nnef", graph.getBytes(StandardCharsets.UTF_8));
            if (extra != null) {
                put(tar, extra, extraBytes);
            }
        }
        return file;
    }

    private static void put(TarArchiveOutputStream tar, String name, byte[] bytes)
            throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(bytes.length);
        tar.putArchiveEntry(e);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    private static String failure(Path file) {
        return assertThrows(NnefFormatException.class, () -> NnefArchiveReader.read(file))
                .getMessage();
    }

    private static final String FRAGMENT_TAIL =
            "graph g(x) -> (y) {\n  x = external<scalar>(shape = [1]);\n  y = f0(x);\n}\n";

    /** fragment fI calls the fragment named by {@code callee.apply(I)}. */
    private static String fragments(int count, IntFunction<String> callee) {
        StringBuilder sb = new StringBuilder("version 1.0;\n");
        for (int i = 0; i < count; i++) {
            sb.append("fragment f")
                    .append(i)
                    .append("(a: tensor<scalar>) -> (b: tensor<scalar>) {\n  b = ")
                    .append(callee.apply(i))
                    .append("(a);\n}\n");
        }
        return sb.append(FRAGMENT_TAIL).toString();
    }

    @Test
    void fragmentCallingItself() throws IOException {
        Path file = tar(fragments(1, i -> "f0"));
        assertEquals(
                file
                        + "!graph.nnef:3:7: fragment 'f0' calls itself (f0 -> f0): NNEF fragments"
                        + " cannot recurse",
                failure(file));
    }

    @Test
    void mutuallyRecursiveFragments() throws IOException {
        Path file = tar(fragments(3, i -> "f" + ((i + 1) % 3)));
        String message = failure(file);
        assertTrue(message.contains("fragment 'f0' calls itself (f0 -> f1 -> f2 -> f0)"), message);
    }

    @Test
    void longChainOfFragments() throws IOException {
        Path file = tar(fragments(100_000, i -> i == 99_999 ? "relu" : "f" + (i + 1)));
        String message = failure(file);
        assertTrue(message.startsWith(file + "!graph.nnef:"), message);
        assertTrue(
                message.contains(
                        "fragment calls nested deeper than 200 (limit 200, raise with"
                                + " -Dtorch2nnef.limit.fragmentDepth=N)"),
                message);
    }

    @Test
    void deeplyNestedLeftHandSideAndSubscripts() throws IOException {
        int n = 100_000;
        String lhs =
                "version 1.0;\ngraph g(x) -> (x) {\n  "
                        + "[".repeat(n)
                        + "x"
                        + "]".repeat(n)
                        + " = external<scalar>(shape = [1]);\n}\n";
        assertTrue(failure(tar(lhs)).contains("expression nested deeper than 400 levels"));
        assertTrue(
                failure(tar(graphWith("x" + "[0]".repeat(n))))
                        .contains("expression nested deeper than 400 levels"));
    }

    @Test
    void datHeaderAnnouncingMoreThanTheEntryHolds() throws IOException {
        // a float32 [500000000] header (2 GB announced) followed by no payload: refused before
        // the payload is allocated
        ByteBuffer header =
                ByteBuffer.wrap(
                                DatHeader.of(
                                                TensorData.ofPayload(
                                                        ItemType.FLOAT32,
                                                        new long[] {1},
                                                        new byte[4]))
                                        .toBytes())
                        .order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(4, 2_000_000_000).putInt(12, 500_000_000);
        Path file = tar(graphWith("1.0"), "w.dat", header.array());
        assertEquals(
                file + "!w.dat: entry has 128 bytes, its header announces 2000000128",
                failure(file));
    }

    @Test
    void tensorOverFourGibIsNamedAndNothingIsWritten() {
        long items = 5L << 28; // float32: 5 GiB
        NnefModel model =
                SampleModels.linear().toBuilder()
                        .tensor(
                                "big/weight",
                                TensorData.lazy(
                                        ItemType.FLOAT32,
                                        new long[] {items},
                                        out -> {
                                            throw new AssertionError("nothing is written");
                                        }))
                        .build();
        Path target = tmp.resolve("big.nnef.tgz");
        TensorTooLargeException e =
                assertThrows(
                        TensorTooLargeException.class,
                        () -> NnefArchiveWriter.write(model, target));
        assertEquals("big/weight", e.label());
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "tensor 'big/weight' holds 5368709120 bytes, more than the"
                                        + " 4294967295 bytes (4 GiB) an NNEF .dat file can hold"),
                e.getMessage());
        assertFalse(Files.exists(target));
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
    void graphTextOverTheLimitIsNeitherReadNorExtracted() throws IOException {
        Path file = tar(graphWith("1.0") + "#".repeat(4096));
        String expected =
                file
                        + "!graph.nnef: text larger than 1024 bytes (limit 1024, raise with"
                        + " -Dtorch2nnef.limit.graphTextBytes=N)";
        System.setProperty("torch2nnef.limit.graphTextBytes", "1024");
        try {
            assertEquals(expected, failure(file));
            Path target = tmp.resolve("extracted");
            assertEquals(
                    expected,
                    assertThrows(
                                    NnefFormatException.class,
                                    () -> NnefArchiveReader.extract(file, target))
                            .getMessage());
            assertFalse(Files.exists(target));
        } finally {
            System.clearProperty("torch2nnef.limit.graphTextBytes");
        }
    }

    @Test
    void malformedLimitIsReportedNotThrownAsAStackTrace() throws IOException {
        Path file = tar(graphWith("1.0"));
        System.setProperty("torch2nnef.limit.nnefExpressionDepth", "lots");
        try {
            assertEquals(
                    file
                            + ": -Dtorch2nnef.limit.nnefExpressionDepth=lots: expected a positive integer",
                    failure(file));
        } finally {
            System.clearProperty("torch2nnef.limit.nnefExpressionDepth");
        }
    }

    /**
     * A tgz of a one-variable graph whose {@code w.dat} announces and holds 64 MB of zeros: gzip
     * makes it tens of kilobytes.
     */
    private Path zerosTgz() throws IOException {
        int floats = 16 << 20;
        String graph =
                "version 1.0;\ngraph g(x) -> (y) {\n  x = external<scalar>(shape = [1]);\n"
                        + "  w = variable<scalar>(shape = ["
                        + floats
                        + "], label = 'w');\n  y = add(x, w);\n}\n";
        Path file = tmp.resolve("zeros.nnef.tgz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file));
                TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            put(tar, "graph.nnef", graph.getBytes(StandardCharsets.UTF_8));
            TarArchiveEntry e = new TarArchiveEntry("w.dat");
            e.setSize(DatHeader.SIZE + 4L * floats);
            tar.putArchiveEntry(e);
            tar.write(
                    new DatHeader(4L * floats, new long[] {floats}, 32, 0, 0, new byte[76])
                            .toBytes());
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 4 * floats / zeros.length; i++) {
                tar.write(zeros);
            }
            tar.closeArchiveEntry();
        }
        assertTrue(Files.size(file) < 1 << 20, "the archive is small: " + Files.size(file));
        return file;
    }

    @Test
    void tensorsPastTheLimitAreRefusedBeforeLoading() throws IOException {
        Path file = zerosTgz();
        System.setProperty("torch2nnef.limit.nnefTensorBytes", "1000000");
        try {
            assertEquals(
                    file
                            + "!w.dat: the model's tensors need more than 1000000 bytes (limit"
                            + " 1000000, raise with -Dtorch2nnef.limit.nnefTensorBytes=N or a"
                            + " larger -Xmx through TORCH2NNEF_JAVA_OPTS)",
                    failure(file));
        } finally {
            System.clearProperty("torch2nnef.limit.nnefTensorBytes");
        }
    }

    @Test
    void extractionPastTheDiskBudgetIsRefusedBeforeWritingAndTheDefaultAllowsIt()
            throws IOException {
        Path file = zerosTgz();
        Path target = tmp.resolve("extracted");
        System.setProperty("torch2nnef.limit.nnefExtractBytes", "1000000");
        try {
            assertEquals(
                    file
                            + "!w.dat: extracting the model needs more than 1000000 bytes of disk"
                            + " (limit 1000000, raise with -Dtorch2nnef.limit.nnefExtractBytes=N)",
                    assertThrows(
                                    NnefFormatException.class,
                                    () -> NnefArchiveReader.extract(file, target))
                            .getMessage());
        } finally {
            System.clearProperty("torch2nnef.limit.nnefExtractBytes");
        }
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(file), left.toList(), "nothing but the archive is left");
        }
        NnefArchiveReader.extract(file, target);
        assertEquals(DatHeader.SIZE + (64L << 20), Files.size(target.resolve("w.dat")));
    }

    @Test
    void anEntryAnnouncingMoreThanTheDefaultBudgetIsRefusedFromItsHeaderAlone() throws IOException {
        long announced = 20L << 30; // 20 GiB, past the 16 GiB default; the archive holds 1 KB
        Path file = tmp.resolve("announcing.nnef.tgz");
        OutputStream gz = new GZIPOutputStream(Files.newOutputStream(file));
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        put(tar, "graph.nnef", graphWith("1.0").getBytes(StandardCharsets.UTF_8));
        TarArchiveEntry e = new TarArchiveEntry("w.dat");
        e.setSize(announced);
        tar.putArchiveEntry(e);
        tar.write(new byte[1024]);
        tar.flush();
        gz.close(); // the tar is left unfinished: its entry never holds what it announces
        assertTrue(Files.size(file) < 4096, "the archive is tiny: " + Files.size(file));
        Path target = tmp.resolve("extracted");
        assertEquals(
                file
                        + "!w.dat: extracting the model needs more than "
                        + Limits.NNEF_EXTRACT_BYTES.defaultValue()
                        + " bytes of disk (limit "
                        + Limits.NNEF_EXTRACT_BYTES.defaultValue()
                        + ", raise with -Dtorch2nnef.limit.nnefExtractBytes=N)",
                assertThrows(
                                NnefFormatException.class,
                                () -> NnefArchiveReader.extract(file, target))
                        .getMessage());
        assertFalse(Files.exists(target));
    }

    @Test
    void anExtractionThatWouldLeaveTooLittleFreeSpaceIsRefused() throws IOException {
        DiskBudget budget = new DiskBudget(tmp.resolve("x"), Long.MAX_VALUE, 1000, 100);
        budget.claim(500, "a.tgz!graph.nnef");
        assertEquals(
                "a.tgz!w.dat: extracting the model needs more than the 900 bytes free in "
                        + tmp
                        + " (less a reserve of 100 bytes); free space there, or set"
                        + " java.io.tmpdir to a larger disk through TORCH2NNEF_JAVA_OPTS",
                assertThrows(NnefFormatException.class, () -> budget.claim(401, "a.tgz!w.dat"))
                        .getMessage());
    }
}
