package org.torch2nnef.export.ops;

import org.torch2nnef.export.TranslationException;
import org.torch2nnef.nnef.model.Expr;

/** Torch axis arithmetic for translators. */
public final class Axes {
    private Axes() {}

    /**
     * @param axis a torch axis, negative counting from the end
     * @param rank the tensor's rank
     * @return the axis in {@code [0, rank)}
     * @throws TranslationException if out of range
     */
    public static int normalize(long axis, int rank) throws TranslationException {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new TranslationException(
                    "axis " + axis + " is out of range for a tensor of rank " + rank);
        }
        return (int) a;
    }

    /**
     * @param from first axis
     * @param to one past the last axis
     * @return {@code [from, ..., to-1]} as an NNEF integer array
     */
    public static Expr range(int from, int to) {
        long[] out = new long[Math.max(0, to - from)];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i;
        }
        return Expr.ints(out);
    }
}
