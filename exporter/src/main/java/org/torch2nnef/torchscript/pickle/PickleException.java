package org.torch2nnef.torchscript.pickle;

/** A pickle stream that is malformed or asks for something the reader refuses. */
public class PickleException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, including where in which stream
     */
    public PickleException(String message) {
        super(message);
    }
}
