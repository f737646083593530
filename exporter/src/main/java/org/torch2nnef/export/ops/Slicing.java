package org.torch2nnef.export.ops;

import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;

/**
 * NNEF {@code slice} along one axis with bounds already resolved by the translator: both in
 * {@code [0, length]}, possibly symbolic. Bounds are never written negative or as {@code 0} for
 * the end, since tract reads an end {@code <= 0} as counting from the end of the axis.
 */
public final class Slicing {
    private Slicing() {
    }

    /**
     * @param ctx    the translation
     * @param x      the sliced tensor
     * @param axis   the axis, in {@code [0, rank)}
     * @param begin  the first index
     * @param end    one past the last index; must not be the constant 0 (an empty slice)
     * @param stride the step, positive
     * @return the {@code slice} invocation
     * @throws TranslationException if the slice is empty (NNEF has no empty tensors) or a bound cannot be written
     */
    public static Invocation slice(TranslationContext ctx, Expr x, int axis, Dim begin, Dim end, long stride)
            throws TranslationException {
        Dim size = end.minus(begin);
        if (end.isConstant() && end.constant() == 0 || size.isConstant() && size.constant() <= 0) {
            throw new TranslationException("slice [" + begin + ", " + end + ") along axis " + axis
                    + " is empty; NNEF has no empty tensors");
        }
        Invocation.Builder b = Invocation.builder("slice").arg(x).arg("axes", Expr.ints(axis))
                .arg("begin", Expr.array(ctx.dim(begin))).arg("end", Expr.array(ctx.dim(end)));
        if (stride != 1) {
            b.arg("stride", Expr.ints(stride));
        }
        return b.build();
    }
}
