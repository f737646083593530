package org.torch2nnef.nnef.contract;

/**
 * A bound on hostile input, one of a family that every module names {@code torch2nnef.limit.NAME}
 * and reads from that system property when asked for (so tests and unusual models can raise it;
 * {@code bin/torch2nnef} passes {@code TORCH2NNEF_JAVA_OPTS} to the JVM).
 *
 * @param name the suffix of its system property
 * @param defaultValue the bound when the property is unset
 */
public record Limit(String name, long defaultValue) {
    /** The system property that overrides the default. */
    public String property() {
        return "torch2nnef.limit." + name;
    }

    /**
     * @return the bound in force: the property's value, else the default
     * @throws IllegalArgumentException when the property is set but not a positive integer
     */
    public long value() {
        String set = System.getProperty(property());
        if (set == null) {
            return defaultValue;
        }
        try {
            long v = Long.parseLong(set.trim());
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                "-D" + property() + "=" + set + ": expected a positive integer");
    }

    /** How messages name the limit and the way to raise it. */
    public String describe() {
        return "limit " + value() + ", raise with -D" + property() + "=N";
    }
}
