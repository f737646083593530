package org.torch2nnef.nnef.io;

import java.io.IOException;

/**
 * A file or archive that is not valid NNEF; the message names the file or entry and the problem.
 */
public class NnefFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** A format error described by {@code message}. */
    public NnefFormatException(String message) {
        super(message);
    }

    /** A format error caused by {@code cause}. */
    public NnefFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
