package org.torch2nnef.export.ops;

import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.graph.Value;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;

/**
 * Operands of element-wise ops with torch's (numpy) broadcasting made explicit: a lower-rank
 * tensor gets leading unit axes, so the NNEF text means the same under NNEF's and tract's rules.
 * Known numbers become literals of the other operand's type.
 */
public final class Operands {
    private Operands() {
    }

    /**
     * @param ctx the translation
     * @param v   a value
     * @return whether it is a tensor at run time (not a number known at export time)
     */
    public static boolean isTensor(TranslationContext ctx, Value v) throws TranslationException {
        if (ctx.scalarConstant(v).isPresent()) {
            return false;
        }
        return v.knownTensor().isPresent() || (v.tensorType().isPresent() && ctx.known(v).isEmpty());
    }

    /**
     * @param ctx the translation
     * @param a   first operand
     * @param b   second operand
     * @return both operands, the lower-rank tensor unsqueezed to the other's rank
     * @throws TranslationException if an operand has no NNEF expression
     */
    public static Expr[] broadcast(TranslationContext ctx, Value a, Value b) throws TranslationException {
        if (!isTensor(ctx, a) || !isTensor(ctx, b)) {
            return new Expr[] {ctx.tensorLike(a, b), ctx.tensorLike(b, a)};
        }
        int rank = Math.max(ctx.rank(a), ctx.rank(b));
        return new Expr[] {toRank(ctx, a, rank), toRank(ctx, b, rank)};
    }

    /**
     * @param ctx    the translation
     * @param v      a tensor value
     * @param target the wanted rank
     * @return its tensor with leading unit axes up to {@code target}, emitted once per value and rank
     * @throws TranslationException if it has no tensor or type
     */
    public static Expr toRank(TranslationContext ctx, Value v, int target) throws TranslationException {
        int rank = ctx.rank(v);
        if (rank >= target) {
            return ctx.tensor(v);
        }
        return ctx.derived(java.util.List.of("unsqueezed", v, target), () -> toRank(ctx, ctx.tensor(v), rank, target));
    }

    /**
     * @param ctx    the translation
     * @param e      a tensor
     * @param rank   its rank
     * @param target the wanted rank
     * @return {@code e}, with leading unit axes added when {@code rank < target}
     */
    public static Expr toRank(TranslationContext ctx, Expr e, int rank, int target) {
        if (rank >= target) {
            return e;
        }
        return ctx.temp("unsqueezed", Invocation.builder("unsqueeze").arg(e).arg("axes", Axes.range(0, target - rank)).build());
    }

    /**
     * @param ctx   the translation
     * @param e     an operand
     * @param v     the value it stands for, to pick the literal type
     * @param scale a factor
     * @return {@code e * scale}, or {@code e} when the factor is 1
     */
    public static Expr scaled(TranslationContext ctx, Expr e, Value v, double scale) {
        if (scale == 1.0) {
            return e;
        }
        if (e instanceof Expr.RealLit r) {
            return Expr.of((float) (r.value() * scale));
        }
        if (e instanceof Expr.IntLit i && scale == Math.rint(scale)) {
            return Expr.of(i.value() * (long) scale);
        }
        Expr factor = ctx.isFloat(v) ? Expr.of((float) scale) : Expr.of((long) scale);
        return ctx.temp("scaled", Invocation.of("mul", e, factor));
    }
}
