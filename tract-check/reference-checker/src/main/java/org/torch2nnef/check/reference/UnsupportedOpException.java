package org.torch2nnef.check.reference;

/** The model invokes an operation the reference interpreter cannot execute. */
public class UnsupportedOpException extends NnefExecutionException {
    private static final long serialVersionUID = 1L;

    private final String op;

    /** {@code op} is unknown or unsupported; {@code message} explains. */
    public UnsupportedOpException(String op, String message) {
        super(message);
        this.op = op;
    }

    private UnsupportedOpException(String op, String message, Throwable cause) {
        super(message, cause);
        this.op = op;
    }

    /** The operation's name. */
    public String op() {
        return op;
    }

    @Override
    NnefExecutionException within(String context) {
        return new UnsupportedOpException(op, context + ": " + getMessage(), this);
    }
}
