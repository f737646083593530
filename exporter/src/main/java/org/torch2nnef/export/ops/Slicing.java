package org.torch2nnef.export.ops;

import java.util.Optional;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;

/**
 * NNEF {@code slice} along one axis with bounds already resolved by the translator: both in
 * {@code [0, length]}, possibly symbolic. Bounds are never written negative or as {@code 0} for
 * the end, since tract reads an end {@code <= 0} as counting from the end of the axis.
 *
 * <p>A slice within one piece of a recorded {@link TranslationContext#concatenation concatenation}
 * (e.g. {@code h_n[-1]} of a recurrent layer) slices the piece: besides skipping the concat, this
 * keeps tract before 0.23.0 loading the model, whose PushSliceUp declutter pass fails on a tensor
 * read only by two or more slices that all start past 0 ({@code boundaries[0] == 0} in
 * core/src/optim/slice.rs; fixed by sonos/tract 803bdad).
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
        if (stride == 1 && begin.isConstant() && end.isConstant()) {
            Optional<TranslationContext.Concatenation> c = ctx.concatenation(x).filter(k -> k.axis() == axis);
            long offset = 0;
            for (int i = 0; c.isPresent() && i < c.get().pieces().size(); i++) {
                Dim piece = c.get().sizes().get(i);
                if (!piece.isConstant()) {
                    break;
                }
                if (begin.constant() >= offset && end.constant() <= offset + piece.constant()) {
                    return slice(ctx, c.get().pieces().get(i), axis, begin.minus(offset),
                            end.minus(offset), 1);
                }
                offset += piece.constant();
            }
        }
        Invocation.Builder b = Invocation.builder("slice").arg(x).arg("axes", Expr.ints(axis))
                .arg("begin", Expr.array(ctx.dim(begin))).arg("end", Expr.array(ctx.dim(end)));
        if (stride != 1) {
            b.arg("stride", Expr.ints(stride));
        }
        return b.build();
    }
}
