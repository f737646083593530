package org.torch2nnef.nnef.contract;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The value of the {@link ModelPropertyKeys#OUTPUT_QUANTIZATION} property: for each graph output
 * that is torch's dequantization of an 8-bit tensor, the scale and zero point torch quantized it
 * with, e.g. {@code logits: scale=0.0067890044 zero_point=114; other: scale=0.5 zero_point=0}. The
 * exporter writes it; the check reads it to compare those outputs in quantization steps.
 */
public final class OutputQuantization {
    private OutputQuantization() {}

    /**
     * One output's quantization.
     *
     * @param scale the step between two consecutive 8-bit codes
     * @param zeroPoint the code of 0
     */
    public record Step(double scale, long zeroPoint) {
        /** Canonical constructor; the scale must be positive and finite. */
        public Step {
            if (!(scale > 0) || Double.isInfinite(scale)) {
                throw new IllegalArgumentException("quantization scale " + scale + " is not > 0");
            }
        }
    }

    /** The property text of {@code steps} (output name to its step), in the map's order. */
    public static String format(Map<String, Step> steps) {
        StringBuilder sb = new StringBuilder();
        steps.forEach(
                (name, s) -> {
                    if (sb.length() > 0) {
                        sb.append("; ");
                    }
                    sb.append(
                            String.format(
                                    Locale.ROOT,
                                    "%s: scale=%s zero_point=%d",
                                    name,
                                    Double.toString(s.scale()),
                                    s.zeroPoint()));
                });
        return sb.toString();
    }

    /**
     * Parses {@link #format}'s text.
     *
     * @throws IllegalArgumentException quoting the part that is not {@code NAME: scale=S
     *     zero_point=Z}
     */
    public static Map<String, Step> parse(String text) {
        Map<String, Step> out = new LinkedHashMap<>();
        for (String part : text.split(";")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            String[] nameRest = p.split(":", 2);
            String[] fields =
                    nameRest.length == 2 ? nameRest[1].strip().split("\\s+") : new String[0];
            if (fields.length != 2
                    || !fields[0].startsWith("scale=")
                    || !fields[1].startsWith("zero_point=")) {
                throw new IllegalArgumentException(
                        ModelPropertyKeys.OUTPUT_QUANTIZATION
                                + ": '"
                                + p
                                + "' is not 'NAME: scale=S zero_point=Z'");
            }
            try {
                out.put(
                        nameRest[0].strip(),
                        new Step(
                                Double.parseDouble(fields[0].substring("scale=".length())),
                                Long.parseLong(fields[1].substring("zero_point=".length()))));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        ModelPropertyKeys.OUTPUT_QUANTIZATION
                                + ": '"
                                + p
                                + "' has a malformed number ("
                                + e.getMessage()
                                + ")");
            }
        }
        return out;
    }
}
