package org.torch2nnef.export.ops;

import java.util.ArrayList;
import java.util.List;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.nnef.model.Expr;

/**
 * The {@code shape} argument of an NNEF {@code reshape}, written so that tract can check it.
 *
 * <p>tract checks a reshape by comparing the product of the merged input sizes with the target size
 * as expressions, structurally ({@code from_volume == to_volume} in core/src/ops/change_axes.rs),
 * after its declutter pass has dropped the sizes both sides share. Its product of {@code 3} and
 * {@code S+3} is {@code 3*S+9}, which is not equal to the {@code 9+3*S} tract reads from the
 * expanded {@code 3 * S + 9} (tract 0.21 and 0.22 fail with "3*S+9 should be equal to 9+3*S"), nor
 * to what a {@code -1} resolves to. So an output size that merges several input sizes, one of them
 * a sum or a division, is written as the product of those sizes, {@code 3 * (S + 3)}, which tract
 * reduces the same way on both sides.
 *
 * <p>A symbolic size the input has at the same axis is written {@code 0} (NNEF's and tract's "copy
 * the input's size"), and other symbolic sizes are computed from the inputs' shapes when the target
 * allows ({@code NnefEmitter.dim}), so the reshape holds whether tract is given the symbols or
 * concrete input facts.
 */
final class ReshapeShapes {
    private ReshapeShapes() {}

    /**
     * @param ctx the translation
     * @param from the input's sizes
     * @param to the output's sizes (same number of items)
     * @return the shape argument: each output size that is the product of a run of input sizes, in
     *     order, as that product; every other size as itself
     * @throws TranslationException if a size has no NNEF expression
     */
    static Expr of(TranslationContext ctx, List<Dim> from, List<Dim> to)
            throws TranslationException {
        List<Expr> items = new ArrayList<>(to.size());
        int next = 0; // the first input size not yet merged into an output size
        for (int i = 0; i < to.size(); i++) {
            Dim size = to.get(i);
            int end = next < 0 ? -1 : runEnd(from, next, size);
            if (!size.isConstant() && i < from.size() && from.get(i).equals(size)) {
                items.add(Expr.of(0)); // the input's size at the same axis, however it is known
                next = end;
            } else if (end < 0) {
                next = -1; // the runs no longer line up: sizes as they are from here on
                items.add(ctx.nnef().dim(size));
            } else {
                items.add(product(ctx, from.subList(next, end), size));
                next = end;
            }
        }
        return Expr.array(items);
    }

    /**
     * @param ctx the translation
     * @param factors sizes merged into one
     * @param size their product
     * @return the product of the factors other than 1 when two or more are left and one is a sum or
     *     a division ({@code S + 3}), else {@code size} (products of monomials reduce alike)
     * @throws TranslationException if a size has no NNEF expression
     */
    static Expr product(TranslationContext ctx, List<Dim> factors, Dim size)
            throws TranslationException {
        List<Dim> kept = factors.stream().filter(d -> !d.equals(Dim.of(1))).toList();
        if (kept.size() < 2 || kept.stream().allMatch(Dim::isMonomial)) {
            return ctx.nnef().dim(size);
        }
        Expr e = ctx.nnef().dim(kept.get(0));
        for (int i = 1; i < kept.size(); i++) {
            e = Expr.mul(e, ctx.nnef().dim(kept.get(i)));
        }
        return e;
    }

    /**
     * The end of the shortest run of input sizes from {@code start} whose product is {@code size},
     * or -1.
     */
    private static int runEnd(List<Dim> from, int start, Dim size) {
        if (size.equals(Dim.of(1))
                && (start == from.size() || !from.get(start).equals(Dim.of(1)))) {
            return start; // a new unit axis
        }
        Dim product = Dim.of(1);
        for (int k = start; k < from.size(); k++) {
            product = product.times(from.get(k));
            if (!size.symbols().containsAll(product.symbols())) {
                return -1; // products of sizes never lose a symbol
            }
            if (product.provablyEquals(size)) {
                return k + 1;
            }
        }
        return -1;
    }
}
