package org.torch2nnef.graph.shapes;

import org.torch2nnef.graph.Dim;

/**
 * How torch resolves the bounds of {@code aten::slice}; shared by shape inference and the
 * translator.
 */
public final class SliceBounds {
    /** What traced code writes for an open-ended slice ({@code x[1:]}): INT64_MAX. */
    public static final long OPEN_END = Long.MAX_VALUE;

    private SliceBounds() {}

    /**
     * A slice bound clamped to {@code [0, length]} as torch does; negative bounds count from the
     * end. With a symbolic length a positive constant bound is taken as within range, as tracing
     * recorded it.
     *
     * @param b the bound as traced
     * @param length the size of the sliced axis
     * @return the bound as a position from the start
     */
    public static Dim resolve(Dim b, Dim length) {
        if (b.isConstant() && b.constant() == OPEN_END) {
            return length;
        }
        Dim resolved = b.isConstant() && b.constant() < 0 ? length.plus(b) : b;
        if (resolved.isConstant() && length.isConstant()) {
            return Dim.of(Math.max(0, Math.min(resolved.constant(), length.constant())));
        }
        return resolved;
    }
}
