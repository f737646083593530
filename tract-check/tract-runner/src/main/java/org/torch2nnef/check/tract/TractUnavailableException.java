package org.torch2nnef.check.tract;

/** tract could not be found, started, or is a release we cannot drive. */
public final class TractUnavailableException extends Exception {
    /** With a message saying what was tried. */
    public TractUnavailableException(String message) {
        super(message);
    }

    /** With a message and the underlying failure. */
    public TractUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
