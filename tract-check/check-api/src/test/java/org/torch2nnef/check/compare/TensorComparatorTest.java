package org.torch2nnef.check.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.torch2nnef.nnef.contract.DType;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.TensorBundle;

/**
 * Tolerances are tract's (data/src/tensor.rs, atol_rtol_outliers); the element rule is |expected -
 * actual| <= atol + rtol * |actual| in f32, so the expected verdicts below follow from that rule by
 * hand.
 */
class TensorComparatorTest {
    private static HostTensor f32(String name, float... v) {
        return HostTensor.ofFloats(name, new long[] {v.length}, v);
    }

    @Test
    void tractToleranceTable() {
        assertEquals(new Tolerance(0, 0, 0), Approximation.EXACT.tolerance(DType.F32));
        assertEquals(new Tolerance(1e-7, 1e-7, 0), Approximation.CLOSE.tolerance(DType.F32));
        assertEquals(new Tolerance(1e-3, 1e-3, 0), Approximation.CLOSE.tolerance(DType.F16));
        assertEquals(new Tolerance(1e-4, 5e-4, 0), Approximation.APPROXIMATE.tolerance(DType.F32));
        assertEquals(new Tolerance(1e-3, 5e-3, 0), Approximation.APPROXIMATE.tolerance(DType.F16));
        assertEquals(new Tolerance(5e-2, 1e-2, 0), Approximation.VERY.tolerance(DType.F16));
        assertEquals(new Tolerance(0.1, 0.05, 0.0001), Approximation.SUPER.tolerance(DType.F32));
        assertEquals(new Tolerance(0.2, 0.1, 0.0005), Approximation.ULTRA.tolerance(DType.I64));
        assertEquals(Approximation.APPROXIMATE, Approximation.DEFAULT);
        assertEquals(Approximation.VERY, Approximation.parse("very"));
        assertEquals(Approximation.APPROXIMATE, Approximation.parse("approx"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Approximation.parse("loose"));
        assertTrue(e.getMessage().contains("'loose'") && e.getMessage().contains("ultra"));
    }

    @Test
    void approximateAcceptsAtolPlusRtolTimesActualAndRejectsBeyond() {
        // actual 1: bound = 1e-4 + 5e-4 * 1 = 6e-4.
        OutputComparison ok =
                TensorComparator.compare(
                        f32("o", 1.0005f), f32("o", 1f), Approximation.APPROXIMATE);
        assertTrue(ok.passed(), ok.reason());
        assertEquals(0, ok.outliers());
        assertEquals(0.0005, ok.maxAbsError(), 1e-7);
        assertEquals(0.0005 / 1.0005, ok.maxRelError(), 1e-7);

        OutputComparison bad =
                TensorComparator.compare(
                        f32("o", 0, 1.001f), f32("o", 0, 1f), Approximation.APPROXIMATE);
        assertFalse(bad.passed());
        assertEquals(1, bad.outliers());
        assertEquals(2, bad.elementCount());
        assertTrue(bad.reason().contains("first at [1]: expected 1.001, got 1.0"), bad.reason());
        assertTrue(
                TensorComparator.compare(f32("o", 1.001f), f32("o", 1f), Approximation.VERY)
                        .passed());
        assertFalse(
                TensorComparator.compare(f32("o", 1.0000001f), f32("o", 1f), Approximation.EXACT)
                        .passed());
    }

    /** The relative term scales with the actual value, so the rule is not symmetric. */
    @Test
    void relativeToleranceUsesTheActualValueLikeTract() {
        // very: bound = 0.05 + 0.01 * |actual|; 0.0505 <= 0.05 + 0.000505 but 0.0505 > 0.05 + 0.
        assertTrue(
                TensorComparator.compare(f32("o", 0f), f32("o", 0.0505f), Approximation.VERY)
                        .passed());
        assertFalse(
                TensorComparator.compare(f32("o", 0.0505f), f32("o", 0f), Approximation.VERY)
                        .passed());
    }

    @Test
    void superAllowsOneOutlierInTenThousandButNotTwo() {
        float[] exp = new float[10_000];
        float[] one = new float[10_000];
        one[17] = 5f;
        float[] two = one.clone();
        two[9_999] = -5f;
        assertTrue(
                TensorComparator.compare(f32("o", exp), f32("o", one), Approximation.SUPER)
                        .passed());
        OutputComparison c =
                TensorComparator.compare(f32("o", exp), f32("o", two), Approximation.SUPER);
        assertFalse(c.passed());
        assertEquals(2, c.outliers());
        assertEquals(5, c.maxAbsError());
    }

    @Test
    void nanAndInfinitiesMatchLikeTract() {
        float nan = Float.NaN;
        float inf = Float.POSITIVE_INFINITY;
        assertTrue(
                TensorComparator.compare(
                                f32("o", nan, inf, -inf),
                                f32("o", nan, inf, -inf),
                                Approximation.EXACT)
                        .passed());
        OutputComparison c =
                TensorComparator.compare(
                        f32("o", nan, inf), f32("o", 0, -inf), Approximation.EXACT);
        assertFalse(c.passed());
        assertEquals(2, c.outliers());
        assertEquals(Double.POSITIVE_INFINITY, c.maxAbsError());
        // tract quirk kept for identical verdicts: with rtol > 0 the bound atol + rtol * |-inf| is
        // infinite, so inf against -inf passes; only the NaN is an outlier.
        c = TensorComparator.compare(f32("o", nan, inf), f32("o", 0, -inf), Approximation.ULTRA);
        assertEquals(1, c.outliers());
    }

    @Test
    void shapeOrTypeMismatchFailsWithAReason() {
        HostTensor e = HostTensor.ofFloats("o", new long[] {2, 2}, 1, 2, 3, 4);
        HostTensor flat = HostTensor.ofFloats("o", new long[] {4}, 1, 2, 3, 4);
        OutputComparison c = TensorComparator.compare(e, flat, Approximation.ULTRA);
        assertFalse(c.passed());
        assertEquals("shape mismatch: expected [2, 2], got [4]", c.reason());

        ByteBuffer ints = ByteBuffer.allocate(16);
        HostTensor i32 = HostTensor.of("o", DType.I32, new long[] {2, 2}, ints);
        c = TensorComparator.compare(e, i32, Approximation.ULTRA);
        assertFalse(c.passed());
        assertEquals("element type mismatch: expected f32, got i32", c.reason());
        assertEquals(-1, c.outliers());
    }

    @Test
    void missingOutputFailsNamingWhatWasThere() {
        TensorBundle expected = new TensorBundle("exp").add(f32("a", 1)).add(f32("b", 2));
        TensorBundle actual = new TensorBundle("got.npz").add(f32("a", 1));
        List<OutputComparison> r =
                TensorComparator.compareOutputs(
                        expected, actual, List.of("a", "b"), Approximation.CLOSE);
        assertTrue(r.get(0).passed());
        assertFalse(r.get(1).passed());
        assertEquals("output missing from got.npz (has [a])", r.get(1).reason());
    }
}
