package org.torch2nnef.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.tract.TractLocator;

/**
 * The check workflow with a REAL tract, found like the CLI finds it (TRACT_BIN, then PATH); skipped
 * with a message when there is none. Same hand-written models as {@link CheckRunnerTest}.
 */
class CheckRunnerRealTractTest {
    @TempDir Path tmp;

    @BeforeEach
    void needsTract() {
        Assumptions.assumeTrue(
                new TractLocator().find(Optional.empty()).isPresent(),
                "no tract binary (TRACT_BIN unset, no tract on PATH): real tract workflow skipped");
    }

    private CheckReport check(String graph, CheckerMode mode) throws IOException {
        Path model = HandWrittenModels.write(graph, "tiny_conv_weights.npz", tmp.resolve(graph));
        return CheckRunner.run(
                CheckRequest.builder(
                                HandWrittenModels.resource("tiny_conv.pt", tmp.resolve("res")),
                                model)
                        .mode(mode)
                        .build());
    }

    @Test
    void autoRunsTractAndTheCorrectModelPasses() throws IOException {
        CheckReport r = check("tiny_conv", CheckerMode.AUTO);
        assertEquals("tract", r.checker(), r.toConsoleTable());
        assertEquals(0, r.exitCode(), r.toConsoleTable());
    }

    @Test
    void tractFindsTheWrongPadding() throws IOException {
        CheckReport r = check("tiny_conv_wrong_padding", CheckerMode.TRACT);
        assertEquals(1, r.exitCode(), r.toConsoleTable());
        assertTrue(
                r.outputs().isEmpty() || r.outputs().stream().anyMatch(o -> !o.passed()),
                r.toConsoleTable());
    }
}
