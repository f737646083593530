package org.torch2nnef.check.tract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.report.ExitCode;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;

/**
 * Runs a REAL tract, found like the CLI finds it (TRACT_BIN, then PATH); skipped with a message
 * when there is none. The model is hand-written NNEF text; its expected output is derived by hand
 * from the NNEF spec: {@code add} is element-wise addition, so [1, 2, 3] + [10, 20, 30] = [11, 22,
 * 33].
 */
class RealTractTest {
    private static final String GRAPH =
            String.join(
                    "\n",
                    "version 1.0;",
                    "",
                    "graph add_two( a, b ) -> ( c )",
                    "{",
                    "    a = external<scalar>(shape = [3]);",
                    "    b = external<scalar>(shape = [3]);",
                    "    c = add(a, b);",
                    "}",
                    "");

    @TempDir Path tmp;
    Path model;

    @BeforeEach
    void needsTract() throws Exception {
        Optional<TractBinary> tract = new TractLocator().find(Optional.empty());
        Assumptions.assumeTrue(
                tract.isPresent(),
                "no tract binary (TRACT_BIN unset, no tract on PATH): real tract check skipped");
        model = Files.createDirectories(tmp.resolve("add_two"));
        Files.writeString(model.resolve("graph.nnef"), GRAPH);
    }

    private CheckReport check(float... expectedC) throws Exception {
        Path io = tmp.resolve("io.npz");
        Files.deleteIfExists(io);
        Npz.write(
                new TensorBundle("io")
                        .add(HostTensor.ofFloats("a", new long[] {3}, 1, 2, 3))
                        .add(HostTensor.ofFloats("b", new long[] {3}, 10, 20, 30))
                        .add(HostTensor.ofFloats("c", new long[] {3}, expectedC)),
                io);
        return TractCheck.run(TractCheckRequest.of(model, io, List.of("c"), tmp.resolve("work")));
    }

    @Test
    void handDerivedSumPasses() throws Exception {
        CheckReport r = check(11, 22, 33);
        assertEquals(ExitCode.EQUAL, r.verdict(), r.toConsoleTable() + r.checkerOutput());
    }

    @Test
    void wrongExpectationFails() throws Exception {
        CheckReport r = check(11, 22, 34);
        assertEquals(ExitCode.OUTPUTS_DIFFER, r.verdict(), r.toConsoleTable() + r.checkerOutput());
    }
}
