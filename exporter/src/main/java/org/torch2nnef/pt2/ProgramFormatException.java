package org.torch2nnef.pt2;

import org.torch2nnef.torchscript.TorchScriptFormatException;

/**
 * A {@code .pt2} archive that cannot be read as a torch.export program: the message names the file,
 * the entry or graph node, and what is wrong. An input error, as for a damaged {@code .pt}.
 */
public final class ProgramFormatException extends TorchScriptFormatException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, naming the file and where
     */
    public ProgramFormatException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, naming the file and where
     * @param cause the underlying failure
     */
    public ProgramFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
