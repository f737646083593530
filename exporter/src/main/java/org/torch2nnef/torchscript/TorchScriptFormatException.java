package org.torch2nnef.torchscript;

import java.io.IOException;

/**
 * A TorchScript archive that cannot be read: not a zip, a truncated or corrupt zip, a missing
 * {@code data.pkl} or storage entry, or a pickle that uses something this reader refuses (such as
 * an unknown global). The message names the archive and, where known, the entry.
 */
public class TorchScriptFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong and where
     */
    public TorchScriptFormatException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong and where
     * @param cause the underlying failure
     */
    public TorchScriptFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
