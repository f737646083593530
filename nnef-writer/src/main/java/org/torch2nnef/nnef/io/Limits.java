package org.torch2nnef.nnef.io;

/**
 * Bounds on the NNEF text read back, so that a hostile archive gets a message instead of an {@code
 * OutOfMemoryError} or a {@code StackOverflowError}. Each is read from the system property {@code
 * torch2nnef.limit.NAME} (set through {@code TORCH2NNEF_JAVA_OPTS}) when asked for, so tests and
 * very unusual models can raise it; README lists them.
 */
public final class Limits {
    /** Bytes of graph.nnef or graph.quant text: 16000 ops print to about 2 MB. */
    public static final Limit GRAPH_TEXT_BYTES = new Limit("graphTextBytes", 256L << 20);

    /** Nesting of brackets and operators within one NNEF expression. */
    public static final Limit NNEF_EXPRESSION_DEPTH = new Limit("nnefExpressionDepth", 400);

    /** Fragments invoked inside one another's bodies. */
    public static final Limit FRAGMENT_DEPTH = new Limit("fragmentDepth", 200);

    private Limits() {}

    /**
     * One named bound and its default.
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
}
