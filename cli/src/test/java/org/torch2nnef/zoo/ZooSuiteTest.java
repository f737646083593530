package org.torch2nnef.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.torch2nnef.check.CheckerMode;
import org.torch2nnef.check.tract.TractBinary;
import org.torch2nnef.check.tract.TractLocator;

/**
 * The model zoo suite: every model of {@code samples/zoo/zoo.json} is exported with its dynamic
 * axes and checked against DJL's run of its TorchScript at {@code approximate}, at both test
 * lengths of its dynamic axes, by the reference interpreter and, where a tract is found ({@code
 * TRACT_BIN} or PATH), by tract; the tract checks are skipped with a message otherwise.
 *
 * <p>Each verdict must meet the model's committed expectation in {@code samples/zoo/expected.json}:
 * a model that starts passing, or fails for another reason, fails its test with what to update.
 * {@code docs/model-zoo.md} must show the expected verdicts and the exporter's current op list
 * (regenerate it with {@code bin/zoo-report}).
 *
 * <p>Archives not committed (torchvision models, samples/zoo/cache/) exist only after {@code
 * samples/zoo/generate_zoo.py} ran: their absence fails under {@code CI=true} and skips the model,
 * with a message, elsewhere.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ZooSuiteTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path ZOO = ROOT.resolve("samples/zoo");
    private static final String UPDATE =
            "update "
                    + ZooExpectations.FILE
                    + " and regenerate docs/model-zoo.md with bin/zoo-report";

    @TempDir static Path work;
    private static ZooManifest manifest;
    private static ZooExpectations expectations;
    private static Optional<TractBinary> tract;
    private static ZooRunner runner;

    /** Exports by model, shared by the reference and tract tests. */
    private static final Map<String, ExportOutcome> EXPORTS = new ConcurrentHashMap<>();

    @BeforeAll
    static void readZoo() throws IOException {
        manifest = ZooManifest.read(ZOO);
        expectations = ZooExpectations.read(ZOO);
        tract = new TractLocator().find(Optional.empty());
        runner = new ZooRunner(ZOO, work, tract);
    }

    static Stream<String> models() throws IOException {
        return ZooManifest.read(ZOO).models().stream().map(ZooModel::name);
    }

    @Test
    @Order(1)
    void expectationsListEveryZooModelAndNoOther() {
        List<String> names = manifest.models().stream().map(ZooModel::name).toList();
        assertEquals(
                new TreeSet<>(names),
                new TreeSet<>(expectations.byModel().keySet()),
                expectations.file() + " must list exactly the models of " + ZooManifest.FILE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    @Order(2)
    void referenceCheckMeetsExpectation(String name) throws IOException {
        ZooModel model = manifest.model(name);
        assertMeetsExpectation(model, CheckerMode.REFERENCE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    @Order(3)
    void tractCheckMeetsExpectation(String name) throws IOException {
        Assumptions.assumeTrue(
                tract.isPresent(),
                "no tract binary (TRACT_BIN unset, no tract on"
                        + " PATH): tract check of zoo model "
                        + name
                        + " skipped");
        assertMeetsExpectation(manifest.model(name), CheckerMode.TRACT);
    }

    @Test
    @Order(4)
    void docsShowTheExpectedVerdictsAndTheCurrentOps() throws IOException {
        Path docs = ROOT.resolve(ZooReport.DOCS);
        assertTrue(Files.exists(docs), docs + " is missing; generate it with bin/zoo-report");
        String text = Files.readString(docs);
        for (ZooModel m : manifest.models()) {
            String expected = expectations.of(m.name()).orElseThrow().reference();
            String shown =
                    ZooMarkdown.modelCell(text, m.name(), ZooMarkdown.REFERENCE_COLUMN)
                            .orElseThrow(
                                    () ->
                                            new AssertionError(
                                                    docs
                                                            + " has no row for zoo model "
                                                            + m.name()
                                                            + "; regenerate it with bin/zoo-report"));
            assertTrue(
                    ZooExpectations.meets(shown, expected),
                    docs
                            + " shows '"
                            + shown
                            + "' for "
                            + m.name()
                            + ", not its expected verdict '"
                            + expected
                            + "'; regenerate it with"
                            + " bin/zoo-report");
        }
        assertEquals(
                new ZooOpTable(manifest).supported().keySet(),
                ZooMarkdown.supportedOps(text),
                docs
                        + " lists other supported ops than the exporter's registry; regenerate it with"
                        + " bin/zoo-report");
    }

    private static void assertMeetsExpectation(ZooModel model, CheckerMode checker)
            throws IOException {
        requireArchive(model);
        ExportOutcome exported = EXPORTS.get(model.name());
        if (exported == null) {
            exported = runner.export(model);
            EXPORTS.put(model.name(), exported);
        }
        ZooOutcome outcome =
                new ZooOutcome(
                        model,
                        exported,
                        exported.exported()
                                ? Map.of(checker, runner.check(model, exported, checker))
                                : Map.of());
        String actual = outcome.verdict(checker);
        String expected =
                expectations
                        .of(model.name())
                        .orElseThrow(
                                () ->
                                        new AssertionError(
                                                expectations.file()
                                                        + " has no expectation for zoo model "
                                                        + model.name()
                                                        + " (it gave '"
                                                        + actual
                                                        + "')"))
                        .of(checker);
        System.out.println(
                "zoo "
                        + model.name()
                        + " ("
                        + checker.cliName()
                        + "): "
                        + actual
                        + maxError(outcome, checker));
        if (!ZooExpectations.meets(actual, expected)) {
            String what =
                    actual.equals(ZooOutcome.PASS)
                            ? "it passes now: set it to \"pass\" in "
                                    + expectations.file()
                                    + " and regenerate"
                                    + " docs/model-zoo.md with bin/zoo-report"
                            : "it fails differently: fix the regression, or " + UPDATE;
            fail(
                    "zoo model "
                            + model.name()
                            + ", "
                            + checker.cliName()
                            + " check: expected '"
                            + expected
                            + "' but got '"
                            + actual
                            + "'; "
                            + what);
        }
    }

    private static String maxError(ZooOutcome outcome, CheckerMode checker) {
        double e = outcome.maxAbsError(checker);
        return Double.isNaN(e) ? "" : String.format(Locale.ROOT, " (max abs error %.3g)", e);
    }

    static void requireArchive(ZooModel model) {
        if (Files.exists(model.archive())) {
            return;
        }
        String message =
                "zoo model "
                        + model.name()
                        + ": "
                        + model.archive()
                        + " was not generated;"
                        + " run /usr/bin/python3 samples/zoo/generate_zoo.py";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message);
        }
        System.err.println("SKIPPED " + message);
        Assumptions.abort(message);
    }
}
