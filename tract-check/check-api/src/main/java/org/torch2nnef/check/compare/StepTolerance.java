package org.torch2nnef.check.compare;

import java.util.Locale;

/**
 * The tolerance for outputs torch computed quantized and dequantized at the end: each element may
 * differ from torch's by at most {@code maxSteps} quantization steps, and at most {@code fraction}
 * of the elements may differ at all. The default, at most 1 step on at most 1% of the elements, is
 * what float arithmetic between quantization points (tract's, and the reference interpreter's)
 * costs against torch's integer kernels on the quantized samples: none of the small samples differs
 * and a single op differs on at most 0.1% of its elements (libtorch 2.7.1, x86 and qnnpack
 * engines); a value that falls on a rounding boundary lands one step away, never two.
 *
 * @param maxSteps the largest difference allowed on any element, in steps
 * @param fraction the share of elements allowed to differ by 1 to {@code maxSteps} steps
 */
public record StepTolerance(long maxSteps, double fraction) {
    /** At most 1 step on at most 1% of the elements. */
    public static final StepTolerance DEFAULT = new StepTolerance(1, 0.01);

    /** Canonical constructor; {@code maxSteps >= 0}, {@code 0 <= fraction <= 1}. */
    public StepTolerance {
        if (maxSteps < 0) {
            throw new IllegalArgumentException("max steps " + maxSteps + " is negative");
        }
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException(
                    "step fraction " + fraction + " is not between 0 and 1");
        }
    }

    /** Compact text such as {@code <=1 step on <=1% of elements}. */
    public String describe() {
        return String.format(
                Locale.ROOT,
                "<=%d step%s on <=%s%% of elements",
                maxSteps,
                maxSteps == 1 ? "" : "s",
                percent(fraction));
    }

    static String percent(double share) {
        double p = share * 100;
        return p == Math.rint(p) ? Long.toString((long) p) : String.format(Locale.ROOT, "%.2g", p);
    }
}
