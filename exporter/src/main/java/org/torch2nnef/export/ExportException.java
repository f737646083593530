package org.torch2nnef.export;

/** An export that cannot produce a correct NNEF model; the message says what and where. */
public class ExportException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong and where
     */
    public ExportException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong and where
     * @param cause the underlying failure
     */
    public ExportException(String message, Throwable cause) {
        super(message, cause);
    }
}
