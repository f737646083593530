package org.torch2nnef.nnef.io;

import java.io.IOException;

/**
 * The output path cannot be used, before anything was written: it is not writable, or it holds
 * files that an export did not write. A usage error, unlike a write that fails midway.
 */
public final class OutputRefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    /** {@code message} names the output path. */
    public OutputRefusedException(String message) {
        super(message);
    }
}
