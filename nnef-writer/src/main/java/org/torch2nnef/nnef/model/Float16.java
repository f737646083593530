package org.torch2nnef.nnef.model;

/** IEEE 754 half precision (binary16) conversions; Java 17 has none built in. */
public final class Float16 {
    private Float16() {}

    /** The float value of the half-precision bit pattern {@code bits} (exact). */
    public static float toFloat(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(
                    sign | 0x7F80_0000 | (mant << 13)); // inf / NaN (payload kept)
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f; // subnormal: mant * 2^-24, exact in float
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    /**
     * The half-precision bit pattern nearest to {@code f} (round half to even, overflow to inf).
     */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xFF;
        int mant = bits & 0x7F_FFFF;
        if (exp == 0xFF) {
            return (short) (sign | 0x7C00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
        }
        int e = exp - 127 + 15; // biased half exponent
        if (e >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign; // below half the smallest subnormal: rounds to zero
            }
            // subnormal: shift the full significand (with implicit 1) right, rounding to even
            int full = mant | 0x80_0000;
            int shift = 14 - e;
            int q = full >>> shift;
            int rem = full & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (rem > halfway || (rem == halfway && (q & 1) != 0)) {
                q++;
            }
            return (short) (sign | q);
        }
        int q = (e << 10) | (mant >>> 13);
        int rem = mant & 0x1FFF;
        if (rem > 0x1000 || (rem == 0x1000 && (q & 1) != 0)) {
            q++; // may carry into the exponent, up to inf: still correct
        }
        return (short) (sign | q);
    }
}
