package org.torch2nnef.nnef.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Float16Test {
    // Bit patterns from the binary16 layout: sign(1) exponent(5, bias 15) mantissa(10).

    @Test
    void knownValues() {
        assertEquals((short) 0x3C00, Float16.fromFloat(1.0f)); // 2^0: exponent 15
        assertEquals((short) 0xC000, Float16.fromFloat(-2.0f)); // sign, exponent 16
        assertEquals(
                (short) 0x7BFF, Float16.fromFloat(65504f)); // largest finite: 2^15 * (2 - 2^-10)
        assertEquals((short) 0x0001, Float16.fromFloat(0x1p-24f)); // smallest subnormal
        assertEquals((short) 0x0400, Float16.fromFloat(0x1p-14f)); // smallest normal
        assertEquals(
                (short) 0x2E66,
                Float16.fromFloat(0.1f)); // 0.1 = 1.6 * 2^-4 -> mantissa round(0.6*1024)=614=0x266
        assertEquals((short) 0x8000, Float16.fromFloat(-0.0f));
        assertEquals((short) 0x7C00, Float16.fromFloat(Float.POSITIVE_INFINITY));
    }

    @Test
    void widensExactly() {
        assertEquals(65504f, Float16.toFloat((short) 0x7BFF)); // largest finite
        assertEquals(0x1p-24f, Float16.toFloat((short) 0x0001)); // smallest subnormal
        assertEquals(0x1p-14f, Float16.toFloat((short) 0x0400)); // smallest normal
        assertEquals(-2f, Float16.toFloat((short) 0xC000));
    }

    @Test
    void roundsHalfToEven() {
        assertEquals(
                (short) 0x7C00,
                Float16.fromFloat(65520f)); // halfway 65504..65536 -> even -> overflow to inf
        assertEquals((short) 0x7BFF, Float16.fromFloat(65519f));
        assertEquals((short) 0x0000, Float16.fromFloat(0x1p-25f)); // halfway 0..2^-24 -> even (0)
        assertEquals(
                (short) 0x0000, Float16.fromFloat(0x1p-26f)); // below half the smallest subnormal
        assertEquals(
                (short) 0x0002, Float16.fromFloat(0x1.8p-24f)); // 1.5 * 2^-24 halfway 1..2 -> 2
        assertEquals(
                (short) 0x3C00, Float16.fromFloat(1.0f + 0x1p-11f)); // halfway 1..1+2^-10 -> even
        assertEquals(
                (short) 0x3C02,
                Float16.fromFloat(1.0f + 3 * 0x1p-11f)); // halfway 1+2^-10..1+2^-9 -> even
    }

    @Test
    void everyHalfRoundTrips() {
        for (int h = 0; h < 0x10000; h++) {
            float f = Float16.toFloat((short) h);
            if (Float.isNaN(f)) {
                assertTrue(((h >>> 10) & 0x1F) == 0x1F && (h & 0x3FF) != 0);
                assertTrue(Float.isNaN(Float16.toFloat(Float16.fromFloat(f))));
                continue;
            }
            assertEquals((short) h, Float16.fromFloat(f), Integer.toHexString(h));
        }
    }
}
