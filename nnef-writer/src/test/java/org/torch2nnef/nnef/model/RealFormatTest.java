package org.torch2nnef.nnef.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RealFormatTest {

    @Test
    void floatEdgeCasesPrintShortestWithDotAndLowerCaseExponent() {
        // Expected texts: the fewest significant digits that Float.parseFloat maps back to the
        // same float, laid out plain in [1e-3, 1e7) and scientific outside.
        assertEquals("1.0e-5", RealFormat.ofFloat(1e-5f));
        // 2^-149 = 1.401298e-45; 1e-45 lies above the midpoint 0.7e-45, so "1.0e-45" already reads
        // back as it (Float.toString's "1.4E-45" has a digit more than needed)
        assertEquals("1.0e-45", RealFormat.ofFloat(Float.MIN_VALUE));
        assertEquals(Float.MIN_VALUE, Float.parseFloat("1.0e-45"));
        assertEquals("3.4028235e38", RealFormat.ofFloat(Float.MAX_VALUE));
        assertEquals("-0.0", RealFormat.ofFloat(-0.0f));
        assertEquals("0.0", RealFormat.ofFloat(0.0f));
        assertEquals("inf", RealFormat.ofFloat(Float.POSITIVE_INFINITY));
        assertEquals("-inf", RealFormat.ofFloat(Float.NEGATIVE_INFINITY));
        assertEquals("nan", RealFormat.ofFloat(Float.NaN));
        assertEquals("0.1", RealFormat.ofFloat(0.1f));
        assertEquals("0.33333334", RealFormat.ofFloat(1f / 3f));
        assertEquals("100.0", RealFormat.ofFloat(100f));
        assertEquals("1234567.0", RealFormat.ofFloat(1234567f));
        assertEquals("1.0e7", RealFormat.ofFloat(1e7f));
        assertEquals("0.001", RealFormat.ofFloat(0.001f));
        assertEquals("9.0e-4", RealFormat.ofFloat(0.0009f));
        assertEquals("-2.5", RealFormat.ofFloat(-2.5f));
    }

    @Test
    void doubleKeepsItsOwnPrecision() {
        assertEquals("1.0e-5", RealFormat.ofDouble(1e-5));
        // (double) 1e-5f is not 1e-5: printing it as a double shows all its digits
        // (exactly 9.99999974737875163555145263671875e-6; Double.toString agrees on 16 digits)
        assertEquals("9.999999747378752e-6", RealFormat.ofDouble(1e-5f));
        assertEquals("0.30000000000000004", RealFormat.ofDouble(0.1 + 0.2));
        // Java 17's Double.toString gives 1.9999999999999998E23 here (JDK-4511638)
        assertEquals("2.0e23", RealFormat.ofDouble(2e23));
        // 2^-1074 = 4.94e-324 rounds to one digit as 5e-324, which reads back as 2^-1074
        assertEquals("5.0e-324", RealFormat.ofDouble(Double.MIN_VALUE));
        assertEquals("1.7976931348623157e308", RealFormat.ofDouble(Double.MAX_VALUE));
    }

    @Test
    void randomFloatsAndDoublesParseBackExactly() {
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < 20000; i++) {
            float f = Float.intBitsToFloat(r.nextInt());
            if (Float.isNaN(f)) {
                continue;
            }
            String s = RealFormat.ofFloat(f);
            assertEquals(
                    Float.floatToIntBits(f),
                    Float.floatToIntBits(Float.parseFloat(s.replace("inf", "Infinity"))),
                    s);
            assertTrue(s.contains(".") || s.endsWith("inf"), s);
            assertTrue(
                    s.length() <= Float.toString(f).length() + 1, s + " vs " + Float.toString(f));
            double d = Double.longBitsToDouble(r.nextLong());
            if (Double.isNaN(d)) {
                continue;
            }
            String t = RealFormat.ofDouble(d);
            assertEquals(
                    Double.doubleToLongBits(d),
                    Double.doubleToLongBits(Double.parseDouble(t.replace("inf", "Infinity"))),
                    t);
        }
    }

    @Test
    void realLiteralParsePrefersFloatWhenNothingIsLost() {
        Expr.RealLit a = Expr.RealLit.parse("0.1");
        assertTrue(a.single());
        assertEquals(0.1f, a.floatValue());
        Expr.RealLit b = Expr.RealLit.parse("0.30000000000000004");
        assertTrue(!b.single());
        assertEquals(0.1 + 0.2, b.value());
        assertEquals(Expr.of(1e-5f), Expr.RealLit.parse("1e-5"));
        assertEquals(Expr.of(Float.NEGATIVE_INFINITY), Expr.RealLit.parse("-inf"));
        assertEquals(Expr.of(0.1f), Expr.of(0.1)); // equal NNEF text
    }
}
