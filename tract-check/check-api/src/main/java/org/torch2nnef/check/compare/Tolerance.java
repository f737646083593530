package org.torch2nnef.check.compare;

/**
 * Absolute and relative tolerance and the allowed share of outliers (0 to 1).
 *
 * @param atol absolute tolerance
 * @param rtol relative tolerance, applied to the actual value's magnitude as tract does
 * @param outlierRatio share of elements allowed outside the tolerance
 */
public record Tolerance(double atol, double rtol, double outlierRatio) {
    /** Compact text such as {@code atol=1e-4 rtol=5e-4 outliers<=0}. */
    public String describe() {
        return "atol=" + atol + " rtol=" + rtol + " outliers<=" + outlierRatio;
    }
}
