package org.torch2nnef.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.check.CheckerMode;
import org.torch2nnef.check.report.ExitCode;

/** The report's tables, read back as {@link ZooSuiteTest} reads {@code docs/model-zoo.md}. */
class ZooMarkdownTest {
    @TempDir Path tmp;

    @Test
    void verdictsErrorsAndOpsRoundTrip() throws IOException {
        ZooManifest zoo = ZooRunnerTest.manifest(tmp, "dynamic_sequence", "y");
        ZooModel m = zoo.models().get(0);
        ZooModel.Check at4 = m.checks().get(0);
        ZooModel.Check at10 = m.checks().get(1);
        ExportOutcome exported =
                new ExportOutcome(
                        tmp.resolve("m.nnef.tgz"),
                        3 << 20,
                        Duration.ofMillis(1250),
                        new TreeSet<>(List.of("conv")),
                        null);
        ZooOutcome o =
                new ZooOutcome(
                        m,
                        exported,
                        Map.of(
                                CheckerMode.REFERENCE,
                                        List.of(
                                                new CheckOutcome(
                                                        at4,
                                                        CheckerMode.REFERENCE,
                                                        "v",
                                                        ExitCode.EQUAL,
                                                        2e-7,
                                                        null),
                                                new CheckOutcome(
                                                        at10,
                                                        CheckerMode.REFERENCE,
                                                        "v",
                                                        ExitCode.EQUAL,
                                                        3e-7,
                                                        null)),
                                CheckerMode.TRACT,
                                        List.of(
                                                new CheckOutcome(
                                                        at4,
                                                        CheckerMode.TRACT,
                                                        "0.22.3",
                                                        ExitCode.EQUAL,
                                                        1e-7,
                                                        null),
                                                new CheckOutcome(
                                                        at10,
                                                        CheckerMode.TRACT,
                                                        "0.22.3",
                                                        ExitCode.OUTPUTS_DIFFER,
                                                        0.5,
                                                        "outputs differ: y: a | b"))));
        ZooOpTable ops = new ZooOpTable(zoo);
        String md =
                ZooMarkdown.render(
                        zoo,
                        List.of(o),
                        List.of(CheckerMode.REFERENCE, CheckerMode.TRACT),
                        "Setting.",
                        ops);

        assertEquals(Optional.of("pass"), ZooMarkdown.modelCell(md, m.name(), "reference check"));
        assertEquals(
                Optional.of("3.00e-07"),
                ZooMarkdown.modelCell(md, m.name(), "reference max abs error"));
        assertEquals(
                Optional.of("fail: tract check at time=10: outputs differ: y: a | b"),
                ZooMarkdown.modelCell(md, m.name(), "tract check"));
        assertEquals(Optional.of("3.0 MiB"), ZooMarkdown.modelCell(md, m.name(), "archive size"));
        assertEquals(Optional.of("1.25 s"), ZooMarkdown.modelCell(md, m.name(), "export time"));
        assertEquals(
                Optional.of("time 4, 10"), ZooMarkdown.modelCell(md, m.name(), "dynamic axes"));
        assertEquals(Optional.of("_convolution"), ZooMarkdown.modelCell(md, m.name(), "aten ops"));
        assertEquals(Optional.empty(), ZooMarkdown.modelCell(md, "other", "tract check"));
        assertTrue(md.contains("- reference check: 1 of 1 models pass\n- tract check: 0 of 1"), md);
        assertEquals(ops.supported().keySet(), ZooMarkdown.supportedOps(md));
        assertTrue(ops.supported().get("aten::_convolution").contains(m.name()));

        // --ops-only: stale op sections are rendered anew, the model table and verdicts kept
        String stale =
                md.substring(0, md.indexOf(ZooMarkdown.SUPPORTED))
                        + ZooMarkdown.SUPPORTED
                        + "\n\n| op | zoo models | used by |\n| `aten::gone` | 0 | |\n";
        String refreshed = ZooMarkdown.withOpSections(stale, ops);
        assertEquals(md, refreshed);
        assertThrows(
                IllegalArgumentException.class,
                () -> ZooMarkdown.withOpSections("# Model zoo\n", ops));
    }

    @Test
    void aFailedExportHasNoSizeNorError() throws IOException {
        ZooManifest zoo = ZooRunnerTest.manifest(tmp, "unsupported", "y");
        ZooModel m = zoo.models().get(0);
        ZooOutcome o =
                new ZooOutcome(
                        m,
                        ExportOutcome.failed(
                                Duration.ofMillis(10), "no translator for aten::cumsum"),
                        Map.of());
        String md =
                ZooMarkdown.render(
                        zoo, List.of(o), List.of(CheckerMode.REFERENCE), "", new ZooOpTable(zoo));
        assertEquals(
                Optional.of("fail: export: no translator for aten::cumsum"),
                ZooMarkdown.modelCell(md, m.name(), "reference check"));
        assertEquals(Optional.of("-"), ZooMarkdown.modelCell(md, m.name(), "archive size"));
        assertEquals(
                Optional.of("-"), ZooMarkdown.modelCell(md, m.name(), "reference max abs error"));
    }
}
