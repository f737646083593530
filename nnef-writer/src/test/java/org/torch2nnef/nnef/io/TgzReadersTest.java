package org.torch2nnef.nnef.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.torch2nnef.nnef.model.ElementType;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Graph;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.NnefModel;
import org.torch2nnef.nnef.model.TensorData;

/**
 * {@code .nnef.tgz} archives written by {@link ParallelGzipOutputStream} (many independently coded
 * blocks in one gzip member) read back with Commons Compress ({@link NnefArchiveReader}) and, where
 * they are installed, GNU gzip and tar: a big model (float weights, zeros and a large graph text
 * over many blocks) and a tiny one (a single partial block), at levels 0, 1 (default) and 6.
 */
class TgzReadersTest {

    /** {@code n} float tensors of {@code elements} each: weights, then one of zeros. */
    static NnefModel model(int tensors, int elements) {
        Graph.Builder g = Graph.builder("g");
        List<String> labels = new ArrayList<>();
        for (int t = 0; t < tensors; t++) {
            String label = "layer" + t + "/weight";
            labels.add(label);
            g.assign("w" + t, Invocation.variable(ElementType.SCALAR, Expr.ints(elements), label));
        }
        g.output("w0");
        NnefModel.Builder m = NnefModel.builder(g.build());
        for (int t = 0; t < tensors; t++) {
            float[] values = new float[elements];
            if (t < tensors - 1) {
                ByteBuffer.wrap(ParallelGzipOutputStreamTest.floats(elements, t))
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .asFloatBuffer()
                        .get(values);
            }
            m.tensor(labels.get(t), TensorData.ofFloats(new long[] {elements}, values));
        }
        return m.build();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 6})
    void bigAndTinyArchivesReadBack(int level, @TempDir Path dir)
            throws IOException, InterruptedException {
        for (NnefModel m : List.of(model(300, 300), model(4, 200_000), model(1, 3))) {
            Path target = dir.resolve("m" + level + ".nnef.tgz");
            NnefArchiveWriter.write(m, target, level);
            NnefModel back = NnefArchiveReader.read(target);
            assertEquals(m.tensors().keySet(), back.tensors().keySet());
            for (String label : m.tensors().keySet()) {
                assertArrayEquals(
                        m.tensors().get(label).readPayload(),
                        back.tensors().get(label).readPayload(),
                        label);
            }
            gnuToolsRead(target, m, dir.resolve("x" + level));
            Files.delete(target);
        }
    }

    /** {@code gzip -t}, {@code tar -tzf} and {@code tar -xzf} when both are on the PATH. */
    private static void gnuToolsRead(Path archive, NnefModel m, Path into)
            throws IOException, InterruptedException {
        assumeTrue(
                onPath("gzip") && onPath("tar"),
                "GNU gzip and tar not on PATH: only Commons Compress read the archive");
        assertEquals("", run("gzip", "-t", archive.toString()), "gzip -t");
        String listing = run("tar", "-tzf", archive.toString());
        assertEquals(m.tensors().size() + 1, listing.lines().count(), listing);
        Files.createDirectories(into);
        run("tar", "-xzf", archive.toString(), "-C", into.toString());
        assertEquals(
                NnefPrinter.print(m),
                Files.readString(into.resolve("graph.nnef"), StandardCharsets.UTF_8));
        for (String label : m.tensors().keySet()) {
            byte[] dat = Files.readAllBytes(into.resolve(label + ".dat"));
            byte[] payload = m.tensors().get(label).readPayload();
            assertArrayEquals(payload, Arrays.copyOfRange(dat, 128, dat.length), label);
        }
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a command, failing on a non-zero exit; returns its output. */
    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + String.join(" ", cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
        return out;
    }
}
