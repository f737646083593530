package org.torch2nnef.graph;

import java.util.Optional;
import org.torch2nnef.torchscript.code.SourcePos;

/**
 * Traced code the graph builder cannot turn into a graph. The message names the code position, the
 * original source line when known, and the module path and class.
 */
public final class GraphBuildException extends RuntimeException {
    private final transient SourcePos pos;
    private final String modulePath;
    private final boolean overLimit;

    /**
     * @param message the full message
     * @param pos where in the code, if known
     * @param modulePath the module whose code it is
     * @param cause the underlying error, or null
     */
    public GraphBuildException(String message, SourcePos pos, String modulePath, Throwable cause) {
        this(message, pos, modulePath, cause, false);
    }

    /**
     * @param overLimit true when the code exceeds one of {@link
     *     org.torch2nnef.torchscript.code.Limits} or recurses: hostile or broken input, not an
     *     unsupported model
     */
    GraphBuildException(
            String message, SourcePos pos, String modulePath, Throwable cause, boolean overLimit) {
        super(message, cause);
        this.pos = pos;
        this.modulePath = modulePath;
        this.overLimit = overLimit;
    }

    /** True when the code exceeds a documented limit or recurses: an input error. */
    public boolean overLimit() {
        return overLimit;
    }

    /**
     * @return where in the code the problem is, if known
     */
    public Optional<SourcePos> pos() {
        return Optional.ofNullable(pos);
    }

    /**
     * @return the module path ({@code ""} for the root)
     */
    public String modulePath() {
        return modulePath;
    }
}
