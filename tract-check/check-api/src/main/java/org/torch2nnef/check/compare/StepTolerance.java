package org.torch2nnef.check.compare;

import java.util.Locale;

/**
 * The tolerance for outputs torch computed quantized and dequantized at the end: each element may
 * differ from torch's by at most {@code maxSteps} quantization steps, and at most {@code fraction}
 * of the elements may differ at all. The default, at most 1 step on at most 1% of the elements, is
 * what torch's engines cost against each other: the export computes as x86/fbgemm do (sums of
 * codes, requantization times 1 / scale), and a single op then differs on at most one element in
 * 65536 against x86 and onednn (which adds the zero point before rounding), on 0.03% against
 * qnnpack (fixed-point requantization); every quantized sample is bit-identical (libtorch 2.7.1,
 * README "Checking quantized models").
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
