package org.torch2nnef.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.check.CheckerMode;
import org.torch2nnef.check.tract.TractBinary;
import org.torch2nnef.check.tract.TractLocator;

/**
 * {@link ZooRunner} on models whose outcome does not depend on translator work: exporter op models
 * ({@code exporter/src/test/resources/ops}, traced by torch) described by a manifest written here.
 * {@code dynamic_sequence} is {@code conv1d → transpose → reshape(x.size(0), -1, 2)}, exported with
 * its length axis dynamic; {@code unsupported} uses erfinv and cumsum, which nothing translates.
 */
class ZooRunnerTest {
    static final Path OPS = ZooSuiteTest.ROOT.resolve("exporter/src/test/resources/ops");
    @TempDir Path tmp;

    /** A one-model manifest: float input {@code x} of shape [2, 4, LEN] with LEN dynamic. */
    static ZooManifest manifest(Path dir, String model, String output) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(
                dir.resolve(ZooManifest.FILE),
                """
        {"torch_version": "1.13.0a0", "models": [{
          "name": "%s", "family": "test", "description": "exporter op model", "file": "%s",
          "committed": true, "parameter_count": 78,
          "inputs": [{"name": "x", "shape": [2, 4, 5], "dtype": "float32"}],
          "dynamic_axes": [{"spec": "x:2=time", "input": "x", "axis": 2, "symbol": "time",
                            "test_lengths": [4, 10]}],
          "outputs": ["%s"],
          "checks": [{"lengths": {"time": 4}, "inputs": {"x": [2, 4, 4]}},
                     {"lengths": {"time": 10}, "inputs": {"x": [2, 4, 10]}}],
          "ops": {"aten::_convolution": 1, "prim::Constant": 3},
          "recurrent_modules": [], "recurrent_module_ops": []}]}
        """
                        .formatted(model, OPS.resolve(model + ".pt"), output));
        return ZooManifest.read(dir);
    }

    @Test
    void aDynamicModelIsExportedOnceAndPassesAtBothLengths() throws IOException {
        ZooModel model = manifest(tmp.resolve("zoo"), "dynamic_sequence", "y").models().get(0);
        Optional<TractBinary> tract = new TractLocator().find(Optional.empty());
        ZooRunner runner = new ZooRunner(tmp.resolve("zoo"), tmp.resolve("work"), tract);
        ZooOutcome o = runner.run(model);

        assertTrue(o.export().exported(), o.export().failure());
        assertEquals(tmp.resolve("work/dynamic_sequence.nnef.tgz"), o.export().archive());
        assertEquals(Files.size(o.export().archive()), o.export().archiveBytes());
        assertTrue(o.export().nnefOps().contains("conv"), o.export().nnefOps().toString());
        for (CheckerMode checker : runner.checkers()) {
            assertEquals(ZooOutcome.PASS, o.verdict(checker));
            List<CheckOutcome> checks = o.checks().get(checker);
            assertEquals(
                    List.of("time=4", "time=10"),
                    checks.stream().map(c -> c.at().describe()).toList());
            assertTrue(o.maxAbsError(checker) < 1e-4, "max abs error " + o.maxAbsError(checker));
        }
        if (tract.isEmpty()) {
            System.err.println(
                    "SKIPPED tract part of the zoo runner test: no tract binary (TRACT_BIN"
                            + " unset, no tract on PATH)");
        }
    }

    @Test
    void untranslatedOpsAreTheExportFailureAndNothingIsChecked() throws IOException {
        ZooModel model = manifest(tmp.resolve("zoo"), "unsupported", "y").models().get(0);
        ZooOutcome o =
                new ZooRunner(tmp.resolve("zoo"), tmp.resolve("work"), Optional.empty()).run(model);

        assertFalse(o.export().exported());
        assertEquals(
                "fail: export: no translator for aten::cumsum, aten::erfinv",
                o.verdict(CheckerMode.REFERENCE));
        assertTrue(o.checks().isEmpty());
        assertTrue(Double.isNaN(o.maxAbsError(CheckerMode.REFERENCE)));
    }

    @Test
    void exportFailuresNameTheZooRelativeFileNotThisMachinesPath() throws IOException {
        ZooModel model = manifest(tmp.resolve("zoo"), "no_such_model", "y").models().get(0);
        String verdict =
                new ZooRunner(OPS, tmp.resolve("work"), Optional.empty())
                        .run(model)
                        .verdict(CheckerMode.REFERENCE);
        assertTrue(verdict.startsWith("fail: export: "), verdict);
        assertTrue(verdict.contains("samples/zoo/no_such_model.pt: no such file"), verdict);
        assertFalse(verdict.contains(OPS.toString()), verdict);
    }

    @Test
    void theTractCheckUsesTheFoundTract() throws IOException {
        Optional<TractBinary> tract = new TractLocator().find(Optional.empty());
        Assumptions.assumeTrue(
                tract.isPresent(),
                "no tract binary (TRACT_BIN unset, no tract on"
                        + " PATH): tract zoo runner test skipped");
        ZooModel model = manifest(tmp.resolve("zoo"), "dynamic_sequence", "y").models().get(0);
        ZooRunner runner = new ZooRunner(tmp.resolve("zoo"), tmp.resolve("work"), tract);
        List<CheckOutcome> checks = runner.check(model, runner.export(model), CheckerMode.TRACT);
        assertEquals(2, checks.size());
        checks.forEach(c -> assertEquals(tract.get().version().toString(), c.checkerVersion()));
    }
}
