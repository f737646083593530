package org.torch2nnef.check;

import java.io.IOException;

/**
 * The torch reference run ended without an answer: its process crashed, was killed, ran out of
 * memory or time. Unlike a model libtorch refuses (a plain {@link IOException}, exit code 2), this
 * says nothing about the input's validity, so the check is exit code 3.
 */
public final class TorchRunAbortedException extends IOException {
    private static final long serialVersionUID = 1L;

    /** {@code message} says what happened: the signal, the timeout or the memory cap. */
    public TorchRunAbortedException(String message) {
        super(message);
    }
}
