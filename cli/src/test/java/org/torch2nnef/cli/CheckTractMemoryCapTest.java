package org.torch2nnef.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.tract.TractBinary;
import org.torch2nnef.check.tract.TractLocator;
import org.torch2nnef.check.tract.TractMemoryCap;

/**
 * {@code check --checker tract} runs a REAL tract (TRACT_BIN, then PATH; skipped with a message
 * without one) under {@code -Dtorch2nnef.limit.tractMemory}: a cap of 16m, which lets the shell
 * that applies it start but is smaller than tract's executable (the kernel kills it with SIGSEGV as
 * it maps it, 0.21 and 0.22), is exit 3 with a message naming the cap and the property, never
 * "outputs differ"; the default cap checks the sample.
 */
class CheckTractMemoryCapTest {
    @TempDir Path tmp;
    TractBinary tract;
    Path exported;

    @BeforeEach
    void exportTheSample() {
        Optional<TractBinary> found = new TractLocator().find(Optional.empty());
        Assumptions.assumeTrue(
                found.isPresent(),
                "no tract binary (TRACT_BIN unset, no tract on PATH): tract memory cap check"
                        + " skipped");
        tract = found.get();
        exported = tmp.resolve("crl.nnef.tgz");
        CommandRun export =
                CommandRun.run(
                        "export",
                        sample(),
                        "--input",
                        "x=2,3,16",
                        "-o",
                        exported.toString(),
                        "--tract-version",
                        tract.version().toString());
        assertEquals(0, export.exit(), export.all());
    }

    private static String sample() {
        return Path.of("..", "samples", "models", "conv_relu_linear.pt")
                .toAbsolutePath()
                .normalize()
                .toString();
    }

    private CommandRun check(Path report) {
        return CommandRun.run(
                "check",
                sample(),
                exported.toString(),
                "--checker",
                "tract",
                "--tract",
                tract.path().toString(),
                "--report",
                report.toString());
    }

    @Test
    void aCapTooSmallForTractIsExitThreeNamingTheCapAndTheProperty() throws Exception {
        Path json = tmp.resolve("report.json");
        CommandRun r;
        System.setProperty(TractMemoryCap.PROPERTY, "16m");
        try {
            r = check(json);
        } finally {
            System.clearProperty(TractMemoryCap.PROPERTY);
        }
        assertEquals(3, r.exit(), r.all());
        assertTrue(r.out().contains("verdict: CHECKER_UNAVAILABLE (exit 3)"), r.all());
        CheckReport report = CheckReport.readJson(json);
        assertEquals(3, report.exitCode());
        assertTrue(report.message().startsWith("tract "), report.message());
        assertTrue(report.message().contains("cap of 16m"), report.message());
        assertTrue(
                report.message()
                        .contains(
                                "raise the cap with -Dtorch2nnef.limit.tractMemory=SIZE through"
                                        + " TORCH2NNEF_JAVA_OPTS (=none lifts it)"),
                report.message());
    }

    @Test
    void theDefaultCapChecksTheSample() {
        System.clearProperty(TractMemoryCap.PROPERTY);
        CommandRun r = check(tmp.resolve("report.json"));
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("verdict: EQUAL (exit 0)"), r.all());
    }
}
