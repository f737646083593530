package org.torch2nnef.check.compare;

import org.torch2nnef.nnef.contract.DType;

/**
 * tract's approximation levels ({@code --approx}), with the tolerances of tract's {@code
 * Approximation::atol_rtol_outliers} (tract-data, 0.21.8 and later; unchanged to 0.23). An element
 * passes when {@code |expected - actual| <= atol + rtol * |actual|} in f32, or both are NaN, or
 * both are infinite with the same sign; a tensor passes when the share of failing elements is at
 * most the outlier ratio.
 */
public enum Approximation {
    EXACT("exact"),
    CLOSE("close"),
    APPROXIMATE("approximate"),
    VERY("very"),
    SUPER("super"),
    ULTRA("ultra");

    /** Our default, stricter than the last three, as loose as rounding of reordered sums needs. */
    public static final Approximation DEFAULT = APPROXIMATE;

    private final String cliName;

    Approximation(String cliName) {
        this.cliName = cliName;
    }

    /** The spelling of tract's {@code --approx} value. */
    public String cliName() {
        return cliName;
    }

    /**
     * Tolerances for comparing tensors whose expected type is {@code dtype}. tract widens the close
     * and approximate levels for f16.
     */
    public Tolerance tolerance(DType dtype) {
        boolean f16 = dtype == DType.F16;
        switch (this) {
            case EXACT:
                return new Tolerance(0, 0, 0);
            case CLOSE:
                return f16 ? new Tolerance(1e-3, 1e-3, 0) : new Tolerance(1e-7, 1e-7, 0);
            case APPROXIMATE:
                return f16 ? new Tolerance(1e-3, 5e-3, 0) : new Tolerance(1e-4, 5e-4, 0);
            case VERY:
                return new Tolerance(5e-2, 1e-2, 0);
            case SUPER:
                return new Tolerance(0.1, 0.05, 0.0001);
            case ULTRA:
                return new Tolerance(0.2, 0.1, 0.0005);
            default:
                throw new IllegalStateException("unhandled " + this);
        }
    }

    /**
     * Parses a level by its tract name ({@code approx} is accepted for {@code approximate}, as
     * tract does).
     *
     * @throws IllegalArgumentException listing the valid names
     */
    public static Approximation parse(String text) {
        if ("approx".equalsIgnoreCase(text)) {
            return APPROXIMATE;
        }
        for (Approximation a : values()) {
            if (a.cliName.equalsIgnoreCase(text)) {
                return a;
            }
        }
        throw new IllegalArgumentException(
                "unknown approximation '"
                        + text
                        + "', expected one of exact, close, approximate, very, super, ultra");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
