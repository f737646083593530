package org.torch2nnef.check.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.OutputQuantization;
import org.torch2nnef.nnef.contract.TensorBundle;

/**
 * Outputs compared in quantization steps: dequantized codes {@code (q - zp) * scale}, some moved by
 * whole steps, are counted per element and judged by {@link StepTolerance}.
 */
class StepComparisonTest {
    private static final OutputQuantization.Step STEP = new OutputQuantization.Step(0.0068, 114);

    @TempDir Path tmp;

    /** 200 dequantized codes, with {@code moves[i]} steps added to element i. */
    private static HostTensor codes(String name, int... moves) {
        float[] v = new float[200];
        for (int i = 0; i < v.length; i++) {
            int q = (i * 37) % 256 + (i < moves.length ? moves[i] : 0);
            v[i] = (float) ((q - STEP.zeroPoint()) * STEP.scale());
        }
        return HostTensor.ofFloats(name, new long[] {2, 100}, v);
    }

    @Test
    void countsElementsOneAndMoreStepsAway() {
        OutputComparison c =
                TensorComparator.compareInSteps(
                        codes("y"), codes("y", 1, -1, 0, 2), STEP, StepTolerance.DEFAULT);
        StepCounts s = c.steps();
        assertEquals(2, s.maxSteps());
        assertEquals(2, s.offByOne());
        assertEquals(1, s.offByMore());
        assertEquals(200, s.elementCount());
        assertEquals(0.01, s.offByOneFraction());
        assertFalse(c.passed(), "2 steps is over the default 1");
        assertTrue(c.reason().contains("max 2, off by 1: 2/200 (1%), by >1: 1/200"), c.reason());
        assertTrue(c.reason().contains("worst at [0, 3]"), c.reason());
        assertEquals(3, c.outliers());
    }

    @Test
    void passesAtOneStepOnAtMostTheFraction() {
        // 2 of 200 elements one step away: 1%, the default's limit
        OutputComparison ok =
                TensorComparator.compareInSteps(
                        codes("y"), codes("y", 1, -1), STEP, StepTolerance.DEFAULT);
        assertTrue(ok.passed(), ok.reason());
        assertEquals(1, ok.steps().maxSteps());
        // 3 of 200: 1.5%
        OutputComparison over =
                TensorComparator.compareInSteps(
                        codes("y"), codes("y", 1, -1, 1), STEP, StepTolerance.DEFAULT);
        assertFalse(over.passed());
        assertTrue(
                TensorComparator.compareInSteps(
                                codes("y"), codes("y", 1, -1, 1), STEP, new StepTolerance(1, 0.02))
                        .passed());
        assertTrue(
                TensorComparator.compareInSteps(
                                codes("y"),
                                codes("y", 0, 0, 0, 2),
                                STEP,
                                new StepTolerance(2, 0.01))
                        .passed());
    }

    @Test
    void nanAgainstANumberFailsAndShapesAreCheckedFirst() {
        HostTensor nan = codes("y");
        float[] v = new float[200];
        v[5] = Float.NaN;
        OutputComparison c =
                TensorComparator.compareInSteps(
                        HostTensor.ofFloats("y", new long[] {2, 100}, v),
                        nan,
                        STEP,
                        StepTolerance.DEFAULT);
        assertFalse(c.passed());
        assertEquals(-1, c.steps().maxSteps());
        OutputComparison shape =
                TensorComparator.compareInSteps(
                        codes("y"),
                        HostTensor.ofFloats("y", new long[] {200}, new float[200]),
                        STEP,
                        StepTolerance.DEFAULT);
        assertFalse(shape.passed());
        assertNull(shape.steps());
        assertTrue(shape.reason().startsWith("shape mismatch"), shape.reason());
    }

    @Test
    void onlyTheNamedOutputsAreComparedInSteps() {
        TensorBundle expected = new TensorBundle("torch");
        expected.add(codes("q"));
        expected.add(codes("f"));
        TensorBundle actual = new TensorBundle("checker");
        actual.add(codes("q", 1));
        actual.add(codes("f", 1));
        List<OutputComparison> out =
                TensorComparator.compareOutputs(
                        expected,
                        actual,
                        List.of("q", "f"),
                        Approximation.APPROXIMATE,
                        Map.of("q", STEP),
                        StepTolerance.DEFAULT);
        assertTrue(out.get(0).passed(), out.get(0).reason());
        assertFalse(out.get(1).passed(), "a float output one step away is outside approximate");
        assertNull(out.get(1).steps());
    }

    @Test
    void reportsShowTheCountsInJsonAndTable() throws Exception {
        OutputComparison c =
                TensorComparator.compareInSteps(
                        codes("y"), codes("y", 1), STEP, StepTolerance.DEFAULT);
        CheckReport report =
                CheckReport.fromComparisons("reference", "dev", "approximate", List.of(c));
        String table = report.toConsoleTable();
        assertTrue(
                table.contains(
                        "steps of 0.00680 (zero point 114): max 1, off by 1: 1/200 (0.50%), by >1:"
                                + " 0/200 (0%); allowed <=1 step on <=1% of elements"),
                table);
        Path json = tmp.resolve("report.json");
        report.writeJson(json);
        String text = Files.readString(json);
        assertTrue(text.contains("\"offByOneFraction\" : 0.005"), text);
        assertTrue(text.contains("\"maxSteps\" : 1"), text);
        assertEquals(c.steps(), CheckReport.readJson(json).outputs().get(0).steps());
    }

    @Test
    void toleranceRefusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new StepTolerance(-1, 0.01));
        assertThrows(IllegalArgumentException.class, () -> new StepTolerance(1, 1.5));
        assertEquals("<=1 step on <=1% of elements", StepTolerance.DEFAULT.describe());
    }
}
