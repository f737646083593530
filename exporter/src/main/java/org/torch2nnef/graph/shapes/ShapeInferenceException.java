package org.torch2nnef.graph.shapes;

/**
 * Shapes or dtypes that cannot be inferred: bad inputs, an op without a rule, inconsistent sizes.
 */
public final class ShapeInferenceException extends RuntimeException {

    /**
     * @param message what is wrong, and where
     */
    public ShapeInferenceException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, and where
     * @param cause the underlying error
     */
    public ShapeInferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
