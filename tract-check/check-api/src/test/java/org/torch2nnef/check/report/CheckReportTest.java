package org.torch2nnef.check.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.check.compare.Approximation;
import org.torch2nnef.check.compare.OutputComparison;
import org.torch2nnef.check.compare.TensorComparator;
import org.torch2nnef.nnef.contract.HostTensor;

class CheckReportTest {
    @TempDir Path tmp;

    private static CheckReport sample() {
        OutputComparison ok =
                TensorComparator.compare(
                        HostTensor.ofFloats("logits", new long[] {2}, 1, 2),
                        HostTensor.ofFloats("logits", new long[] {2}, 1, 2.00001f),
                        Approximation.APPROXIMATE);
        OutputComparison bad =
                TensorComparator.compare(
                        HostTensor.ofFloats("hidden", new long[] {1, 2}, 1, 2),
                        HostTensor.ofFloats("hidden", new long[] {2}, 1, 2),
                        Approximation.APPROXIMATE);
        List<OutputComparison> outs = List.of(ok, bad);
        return new CheckReport(
                "tract",
                "0.21.13",
                "approximate",
                outs,
                CheckReport.verdictOf(outs),
                "tract failed (exit 1): Error: Checking output 1",
                "tract output\n",
                List.of("tract", "m"));
    }

    @Test
    void exitCodeContract() {
        assertEquals(0, ExitCode.EQUAL.code());
        assertEquals(1, ExitCode.OUTPUTS_DIFFER.code());
        assertEquals(2, ExitCode.USAGE_OR_INPUT_ERROR.code());
        assertEquals(3, ExitCode.CHECKER_UNAVAILABLE.code());
        assertEquals(1, sample().exitCode());
        assertEquals(ExitCode.EQUAL, CheckReport.verdictOf(List.of(sample().outputs().get(0))));
    }

    @Test
    void inProcessReportFollowsItsComparisons() {
        CheckReport r =
                CheckReport.fromComparisons(
                        "reference", "0.1.0", "approximate", sample().outputs());
        assertEquals(ExitCode.OUTPUTS_DIFFER, r.verdict());
        assertEquals("1 of 2 outputs differ", r.message());
        assertEquals(
                ExitCode.EQUAL,
                CheckReport.fromComparisons(
                                "reference", "0.1.0", "close", sample().outputs().subList(0, 1))
                        .verdict());
    }

    @Test
    void jsonRoundTripsIncludingNotComparedFigures() throws Exception {
        CheckReport r = sample();
        Path f = tmp.resolve("report.json");
        r.writeJson(f);
        CheckReport back = CheckReport.readJson(f);
        assertEquals(r, back);
        assertTrue(r.toJson().contains("\"verdict\" : \"OUTPUTS_DIFFER\""), r.toJson());
        assertTrue(Double.isNaN(back.outputs().get(1).maxAbsError()));
    }

    @Test
    void theTractTargetAndWarningsReachTheTableAndTheJson() throws Exception {
        CheckReport r =
                sample().withTractTarget("0.20.22 (given)", List.of("tract 0.21.13 is newer"));
        Path f = tmp.resolve("targeted.json");
        r.writeJson(f);
        assertEquals(r, CheckReport.readJson(f));
        List<String> lines = r.toConsoleTable().lines().toList();
        assertEquals("tract target: 0.20.22 (given)", lines.get(1));
        assertEquals("warning: tract 0.21.13 is newer", lines.get(2));
    }

    @Test
    void consoleTableHasOneLinePerOutputAndTheVerdict() {
        String table = sample().toConsoleTable();
        List<String> lines = table.lines().toList();
        assertEquals(5, lines.size(), table);
        assertEquals("check: tract 0.21.13, approximation approximate", lines.get(0));
        assertTrue(lines.get(2).startsWith("logits") && lines.get(2).endsWith("ok"), table);
        assertTrue(
                lines.get(3).startsWith("hidden")
                        && lines.get(3).contains("FAIL shape mismatch: expected [1, 2], got [2]"),
                table);
        assertTrue(
                lines.get(4).startsWith("verdict: OUTPUTS_DIFFER (exit 1): tract failed"), table);
    }
}
