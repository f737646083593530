package org.torch2nnef.check.nneftools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.check.report.ExitCode;
import org.torch2nnef.check.tract.ProcessResult;
import org.torch2nnef.check.tract.ProcessRunner;
import org.torch2nnef.nnef.io.DatWriter;
import org.torch2nnef.nnef.model.Shapes;
import org.torch2nnef.nnef.model.TensorData;

/**
 * The two forms Khronos' runtime refused in strict exports (issue 15), run by the real nnef-infer
 * ({@code NNEF_INFER_BIN} or PATH; skipped with a message otherwise) and judged as the checker
 * judges them: a refusal, exit 1, quoting nnef-infer's reason.
 */
class RealNnefInferTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static Optional<NnefInferLocator.Found> nnefInfer;

    @TempDir Path dir;

    @BeforeAll
    static void locate() {
        nnefInfer = new NnefInferLocator().find(Optional.empty());
    }

    /** Runs {@code graph} on an input {@code x} of {@code shape} (nnef-infer reads stdin else). */
    private Optional<NnefInferOutcome> run(String graph, long... shape) throws IOException {
        Assumptions.assumeTrue(
                nnefInfer.isPresent(),
                "no nnef-infer (" + NnefInferLocator.ENV + " unset, none on PATH): skipped");
        Files.writeString(dir.resolve("graph.nnef"), graph);
        Path x = dir.resolve("x.dat");
        DatWriter.write(TensorData.ofFloats(shape, new float[(int) Shapes.itemCount(shape)]), x);
        ProcessResult r =
                ProcessRunner.run(
                        List.of(
                                nnefInfer.get().path().toString(),
                                dir.toString(),
                                "--input",
                                x.toString(),
                                "--output",
                                dir.resolve("y.dat").toString()),
                        dir,
                        TIMEOUT);
        return NnefInferOutcome.of(r, TIMEOUT);
    }

    @Test
    void deconvFilterInTractsLayoutIsRefused() throws IOException {
        String body =
                """
                version 1.0;

                graph G(x) -> (y)
                {
                    x = external<scalar>(shape = [1, 8, 5]);
                    w = constant<scalar>(shape = [%s, 3], value = [0.0]);
                    y = deconv(x, w, padding = [(0, 0)]);
                }
                """;
        // tract's [C_out, C_in, k]
        NnefInferOutcome o = run(body.formatted("4, 8"), 1, 8, 5).orElseThrow();
        assertEquals(ExitCode.OUTPUTS_DIFFER, o.verdict(), o.message());
        assertTrue(
                o.message().contains("filter batch (4) does not match input channels (8)"),
                o.message());
        // Khronos' [C_in, C_out, k]: accepted
        assertEquals(Optional.empty(), run(body.formatted("8, 4"), 1, 8, 5));
    }

    @Test
    void fragmentNeedsItsExtension() throws IOException {
        String graph =
                """
                version 1.0;
                %s
                fragment twice( x: tensor<scalar> ) -> ( y: tensor<scalar> )
                {
                    y = add(x, x);
                }

                graph G(x) -> (y)
                {
                    x = external<scalar>(shape = [2]);
                    y = twice(x);
                }
                """;
        NnefInferOutcome o = run(graph.formatted(""), 2).orElseThrow();
        assertEquals(ExitCode.OUTPUTS_DIFFER, o.verdict(), o.message());
        assertTrue(o.message().contains("expected token 'graph', found 'fragment'"), o.message());
        // declared, it parses, but nnef-infer runs no fragment of ours: why strict exports inline
        NnefInferOutcome declared =
                run(graph.formatted("extension KHR_enable_fragment_definitions;"), 2).orElseThrow();
        assertEquals(ExitCode.CHECKER_UNAVAILABLE, declared.verdict(), declared.message());
        assertTrue(
                declared.message().contains("Shape function for operation 'twice' is not provided"),
                declared.message());
    }
}
