package org.torch2nnef.check.reference;

/**
 * A model could not be executed by the reference interpreter: an unknown or unsupported operation,
 * a bad argument, a missing or mis-shaped input. The message names the operation, the assignment
 * (its position in the graph or fragment body and its text) and the tensor(s) it defines.
 */
public class NnefExecutionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}. */
    public NnefExecutionException(String message) {
        super(message);
    }

    /** A failure described by {@code message}, caused by {@code cause}. */
    public NnefExecutionException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The same failure, its message prefixed by {@code context} (where it happened). */
    NnefExecutionException within(String context) {
        return new NnefExecutionException(context + ": " + getMessage(), this);
    }
}
