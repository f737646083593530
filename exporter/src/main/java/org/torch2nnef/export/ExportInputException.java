package org.torch2nnef.export;

/**
 * The user's inputs to an export are wrong: a model file that is not a traced TorchScript archive,
 * input declarations or dynamic axes that do not fit the model, an unreadable inputs npz. The CLI
 * reports these as input errors (exit code 2), other {@link ExportException}s as export failures.
 */
public final class ExportInputException extends ExportException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong with which input
     */
    public ExportInputException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong with which input
     * @param cause the underlying failure
     */
    public ExportInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
