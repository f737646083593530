package org.torch2nnef.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.torch2nnef.check.CheckerMode;
import org.torch2nnef.check.TractLoading;
import org.torch2nnef.check.report.ExitCode;
import org.torch2nnef.check.tract.TractBinary;
import org.torch2nnef.check.tract.TractLocator;

/**
 * The audio zoo streams as audio applications run it: {@code check --pulse T=8} (tract feeds 8
 * samples at a time) gives torch's outputs over the whole sequence after the model's delay, at both
 * test lengths. Audio models with an input that is not a signal (FiLM's conditioning vector, an
 * LSTM's initial states) or without a time axis cannot stream in tract, and the check says why (no
 * tract needed for that).
 */
class ZooStreamingTest {
    /** Samples per chunk: fewer than either test length (64, 130), and 130 is no multiple. */
    static final TractLoading.Pulse PULSE = new TractLoading.Pulse("T", 8);

    @TempDir static Path work;
    private static ZooManifest manifest;
    private static Optional<TractBinary> tract;

    @BeforeAll
    static void readZoo() throws IOException {
        manifest = ZooManifest.read(ZooSuiteTest.ZOO);
        tract = new TractLocator().find(Optional.empty());
    }

    static Stream<String> audioModels() throws IOException {
        return ZooManifest.read(ZooSuiteTest.ZOO).models().stream()
                .filter(m -> m.family().equals("audio"))
                .map(ZooModel::name);
    }

    /** Whether every input of the model has a time axis, the only way tract can stream it. */
    static boolean streams(ZooModel model) {
        return model.inputs().stream()
                .allMatch(
                        in ->
                                model.dynamicAxes().stream()
                                        .anyMatch(
                                                a ->
                                                        a.input().equals(in.name())
                                                                && a.tractSymbol()
                                                                        .equals(PULSE.symbol())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("audioModels")
    void audioModelsStreamOrSayWhyNot(String name) throws IOException {
        ZooModel model = manifest.model(name);
        ZooSuiteTest.requireArchive(model);
        boolean streams = streams(model);
        Assumptions.assumeTrue(
                !streams || tract.isPresent(),
                "no tract binary (TRACT_BIN unset, no tract on PATH): streaming check of zoo"
                        + " model "
                        + name
                        + " skipped");
        ZooRunner runner = new ZooRunner(ZooSuiteTest.ZOO, work.resolve(name), tract);
        ExportOutcome exported = runner.export(model);
        assertTrue(exported.exported(), name + " does not export: " + exported.failure());
        List<CheckOutcome> checks = runner.check(model, exported, CheckerMode.TRACT, PULSE);
        List<String> failures = new ArrayList<>();
        for (CheckOutcome c : checks) {
            System.out.println(
                    "zoo "
                            + name
                            + " --pulse "
                            + PULSE.spec()
                            + " at "
                            + c.at().describe()
                            + ": "
                            + (c.passed()
                                    ? "equal (tract " + c.checkerVersion() + ")"
                                    : c.failure()));
            if (streams && !c.passed()) {
                failures.add(c.at().describe() + ": " + c.failure());
            }
            if (!streams) {
                assertEquals(ExitCode.USAGE_OR_INPUT_ERROR, c.verdict(), c.failure());
                assertTrue(
                        c.failure().contains(" no axis along T.")
                                || c.failure().contains("no input of the model has a size T"),
                        c.failure());
            }
        }
        assertEquals(List.of(), failures, name + " streamed with --pulse " + PULSE.spec());
    }
}
