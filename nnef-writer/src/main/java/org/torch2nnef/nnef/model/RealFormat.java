package org.torch2nnef.nnef.model;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.function.Predicate;
import org.torch2nnef.nnef.io.NnefPrinter;

/**
 * Canonical NNEF text of real numbers: the fewest significant digits that parse back to the same
 * {@code float} (or {@code double}), always with a {@code '.'} (NNEF and tract tell reals from
 * integers by it), a lower-case {@code e} exponent (tract only recognises {@code 'e'}), plain
 * notation for magnitudes in [1e-3, 1e7) and {@code inf}/{@code -inf} for infinities (the only
 * non-finite spellings tract's numeric-literal grammar accepts). NaN has no spelling: it is
 * rendered {@code nan} here, which {@link NnefPrinter} refuses to write.
 *
 * <p>Unlike {@link Float#toString} on Java 17 (JDK-4511638) the digits are the shortest, so the
 * text does not depend on the JDK.
 */
public final class RealFormat {
    private RealFormat() {}

    /** Canonical text of {@code v} read as a 32-bit float. */
    public static String ofFloat(float v) {
        return shortest(v, 9, d -> d.floatValue() == v);
    }

    /** Canonical text of {@code v} read as a 64-bit double. */
    public static String ofDouble(double v) {
        return shortest(v, 17, d -> d.doubleValue() == v);
    }

    /**
     * The decimal with the fewest significant digits (at most {@code maxDigits}, which always
     * suffice) that {@code readsBack} accepts.
     */
    private static String shortest(double v, int maxDigits, Predicate<BigDecimal> readsBack) {
        String special = special(v);
        if (special != null) {
            return special;
        }
        BigDecimal exact = new BigDecimal(v);
        for (int p = 1; p < maxDigits; p++) {
            BigDecimal d = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (readsBack.test(d)) {
                return layout(d, v);
            }
        }
        return layout(exact.round(new MathContext(maxDigits, RoundingMode.HALF_EVEN)), v);
    }

    private static String special(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return Double.doubleToRawLongBits(v) == 0 ? "0.0" : "-0.0";
        }
        return null;
    }

    /** Lays out the decimal {@code d} (non-zero, finite) in plain or scientific notation. */
    private static String layout(BigDecimal d, double v) {
        BigDecimal stripped = d.stripTrailingZeros();
        String digits = stripped.unscaledValue().abs().toString();
        // value = 0.digits * 10^(exponent+1) ; exponent is the power of ten of the first digit
        int exponent = digits.length() - 1 - stripped.scale();
        StringBuilder sb = new StringBuilder(digits.length() + 8);
        if (v < 0) {
            sb.append('-');
        }
        if (exponent >= -3 && exponent < 7) {
            if (exponent < 0) {
                sb.append("0.");
                sb.append("0".repeat(-exponent - 1));
                sb.append(digits);
            } else if (digits.length() > exponent + 1) {
                sb.append(digits, 0, exponent + 1)
                        .append('.')
                        .append(digits, exponent + 1, digits.length());
            } else {
                sb.append(digits).append("0".repeat(exponent + 1 - digits.length())).append(".0");
            }
        } else {
            sb.append(digits.charAt(0)).append('.');
            sb.append(digits.length() > 1 ? digits.substring(1) : "0");
            sb.append('e').append(exponent);
        }
        return sb.toString();
    }
}
