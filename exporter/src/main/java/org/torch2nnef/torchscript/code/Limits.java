package org.torch2nnef.torchscript.code;

/**
 * Bounds on the shape of the {@code code/} text and of what the inliner makes of it, so that a
 * hostile archive gets a message instead of a {@code StackOverflowError}. Each is read from the
 * system property {@code torch2nnef.limit.NAME} (set through {@code TORCH2NNEF_JAVA_OPTS}) when
 * asked for, so tests and very unusual models can raise it; README lists them.
 */
public final class Limits {
    /** Nesting of brackets, calls, operators and type arguments within one expression. */
    public static final Limit EXPRESSION_DEPTH = new Limit("expressionDepth", 400);

    /** Characters in one source line: traced code keeps lines short (a few hundred). */
    public static final Limit LINE_LENGTH = new Limit("lineLength", 1_000_000);

    /** Methods inlined inside one another (module nesting plus helper calls). */
    public static final Limit CALL_DEPTH = new Limit("callDepth", 200);

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
