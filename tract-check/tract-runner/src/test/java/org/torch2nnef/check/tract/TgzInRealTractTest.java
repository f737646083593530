package org.torch2nnef.check.tract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.report.ExitCode;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;
import org.torch2nnef.nnef.io.NnefArchiveWriter;
import org.torch2nnef.nnef.model.ElementType;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Graph;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.NnefModel;
import org.torch2nnef.nnef.model.TensorData;

/**
 * A REAL tract (TRACT_BIN, then PATH; skipped with a message when there is none) loads {@code
 * .nnef.tgz} archives as our writer makes them: one gzip member of many independently coded 128 KiB
 * blocks, float weights as stored blocks (level 1, the default), Huffman-only blocks (level 6) or
 * all stored (level 0), zeros deflated. The graph is {@code y = x + w + z}: tract's output equals
 * the sum computed here only if it read every weight byte back as written.
 */
class TgzInRealTractTest {
    private static final int N = 300_000; // 1.2 MB of weights: ten blocks
    private static final String PENDING = "sum_pending";

    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 6})
    void multiBlockArchiveLoads(int level) throws Exception {
        Random r = new Random(level);
        float[] x = new float[N];
        float[] w = new float[N];
        float[] y = new float[N];
        for (int i = 0; i < N; i++) {
            x[i] = (float) r.nextGaussian();
            w[i] = (float) (r.nextGaussian() * 0.05);
            y[i] = x[i] + w[i] + 0f;
        }
        Graph g =
                Graph.builder(PENDING)
                        .input("x")
                        .output("y")
                        .assign("x", Invocation.external(ElementType.SCALAR, Expr.ints(N)))
                        .assign("w", Invocation.variable(ElementType.SCALAR, Expr.ints(N), "w"))
                        .assign("z", Invocation.variable(ElementType.SCALAR, Expr.ints(N), "z"))
                        .assign("xw", Invocation.of("add", Expr.id("x"), Expr.id("w")))
                        .assign("y", Invocation.of("add", Expr.id("xw"), Expr.id("z")))
                        .build();
        NnefModel m =
                NnefModel.builder(g)
                        .tensor("w", TensorData.ofFloats(new long[] {N}, w))
                        .tensor("z", TensorData.ofFloats(new long[] {N}, new float[N]))
                        .build();
        Path model = tmp.resolve("sum" + level + ".nnef.tgz");
        if (level == 1) {
            // as an export with source_sha256 writes it: graph.nnef last, after the tensors
            NnefArchiveWriter.write(
                    m, model, level, new NnefArchiveWriter.LateText(PENDING, () -> "sum_written"));
        } else {
            NnefArchiveWriter.write(m, model, level);
        }
        Path io = tmp.resolve("io" + level + ".npz");
        Npz.write(
                new TensorBundle("io")
                        .add(HostTensor.ofFloats("x", new long[] {N}, x))
                        .add(HostTensor.ofFloats("y", new long[] {N}, y)),
                io);
        // the archive is written either way; tract reads it only where there is one
        Optional<TractBinary> tract = new TractLocator().find(Optional.empty());
        Assumptions.assumeTrue(
                tract.isPresent(),
                "no tract binary (TRACT_BIN unset, no tract on PATH): tract reading our .nnef.tgz"
                        + " skipped");
        CheckReport report =
                TractCheck.run(
                        TractCheckRequest.of(model, io, List.of("y"), tmp.resolve("work" + level)));
        assertEquals(
                ExitCode.EQUAL,
                report.verdict(),
                tract.get().version() + ": " + report.toConsoleTable() + report.checkerOutput());
    }
}
