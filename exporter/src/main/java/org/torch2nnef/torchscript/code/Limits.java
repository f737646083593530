package org.torch2nnef.torchscript.code;

import org.torch2nnef.nnef.contract.Limit;

/**
 * Bounds on the shape of the {@code code/} text and of what the inliner makes of it, so that a
 * hostile archive gets a message instead of a {@code StackOverflowError}. README lists them.
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
     * Reads every limit once, so that a malformed property is reported before any work.
     *
     * @throws IllegalArgumentException naming the property and its value
     */
    public static void validate() {
        for (Limit limit : new Limit[] {EXPRESSION_DEPTH, LINE_LENGTH, CALL_DEPTH}) {
            limit.value();
        }
    }
}
