package org.torch2nnef.check.tract;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What tract's pulsifier tells of a pulsed model, read from {@code tract MODEL --pulse S=N dump}:
 * it lists the model's properties ({@code * KEY: VALUE}, the value a tensor's debug form {@code
 * SHAPE,I64 V0, V1}), among which {@code pulse.delay} (per output, the items the output lags its
 * input by) and {@code pulse.output_axes} (per output, its streaming axis), set by {@code
 * PulsedModel::into_typed} (tract's pulse/src/model.rs, 0.20 to 0.22).
 *
 * @param delays per output, its delay in items of its streaming axis
 * @param outputAxes per output, its streaming axis
 */
public record PulseProperties(long[] delays, long[] outputAxes) {
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");
    private static final Pattern PROPERTY =
            Pattern.compile("^\\*\\s+(pulse\\.[a-z_]+):\\s+[0-9,]*,I64\\s+(.*)$");

    /** Validates and copies. */
    public PulseProperties {
        delays = delays.clone();
        outputAxes = outputAxes.clone();
        if (delays.length != outputAxes.length) {
            throw new IllegalArgumentException(
                    delays.length + " delays for " + outputAxes.length + " output axes");
        }
    }

    /**
     * @param dumpOutput what {@code tract ... --pulse S=N dump} printed
     * @return the delays and output axes
     * @throws IllegalArgumentException when either property is missing
     */
    public static PulseProperties parse(String dumpOutput) {
        long[] delays = null;
        long[] axes = null;
        for (String line : ANSI.matcher(dumpOutput).replaceAll("").split("\\R")) {
            Matcher m = PROPERTY.matcher(line.strip());
            if (!m.matches()) {
                continue;
            }
            long[] values = values(m.group(2));
            switch (m.group(1)) {
                case "pulse.delay" -> delays = values;
                case "pulse.output_axes" -> axes = values;
                default -> {}
            }
        }
        if (delays == null || axes == null) {
            throw new IllegalArgumentException(
                    "tract's dump of the pulsed model lists no "
                            + (delays == null ? "pulse.delay" : "pulse.output_axes")
                            + " property");
        }
        return new PulseProperties(delays, axes);
    }

    private static long[] values(String text) {
        return Arrays.stream(text.split(",\\s*"))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .mapToLong(Long::parseLong)
                .toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PulseProperties p
                && Arrays.equals(delays, p.delays)
                && Arrays.equals(outputAxes, p.outputAxes);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(delays) + Arrays.hashCode(outputAxes);
    }

    @Override
    public String toString() {
        return "delays " + Arrays.toString(delays) + ", output axes " + Arrays.toString(outputAxes);
    }
}
