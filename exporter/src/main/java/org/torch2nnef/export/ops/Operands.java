package org.torch2nnef.export.ops;

import java.util.Arrays;
import java.util.List;
import org.torch2nnef.export.TractTarget;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.Value;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.torchscript.TorchDType;

/**
 * Operands of element-wise ops with torch's (numpy) broadcasting made explicit: a lower-rank tensor
 * gets leading unit axes, so the NNEF text means the same under NNEF's and tract's rules. Known
 * numbers become literals of the other operand's type.
 *
 * <p>Two symbolic sizes shape inference matched without being the same expression (equal for every
 * value of the symbols, or assumed equal at the example sizes) would reach tract as two expressions
 * it cannot unify: it keeps {@code a#b} as the result's size and later refuses e.g. a reshape to
 * {@code a}. So the operand whose size is not the result's is cut to the result's size with {@code
 * tract_core_dyn_slice}, whose output has exactly its {@code len} (NNEF's {@code slice} yields
 * {@code min(end, size)}).
 */
public final class Operands {
    private Operands() {}

    /**
     * @param ctx the translation
     * @param v a value
     * @return whether it is a tensor at run time (not a number known at export time)
     */
    public static boolean isTensor(TranslationContext ctx, Value v) throws TranslationException {
        if (ctx.values().scalarConstant(v).isPresent()) {
            return false;
        }
        return v.knownTensor().isPresent()
                || (v.tensorType().isPresent() && ctx.values().known(v).isEmpty());
    }

    /**
     * @param ctx the translation
     * @param node a binary element-wise op: operands are its inputs 0 and 1, the result its output
     *     0
     * @return both operands, brought to the result's shape by {@link #fit(TranslationContext,
     *     Value, Shape)}
     * @throws TranslationException if an operand has no NNEF expression
     */
    public static Expr[] broadcast(TranslationContext ctx, Node node) throws TranslationException {
        Value a = node.input(0);
        Value b = node.input(1);
        if (!isTensor(ctx, a) || !isTensor(ctx, b)) {
            return new Expr[] {ctx.nnef().tensorLike(a, b), ctx.nnef().tensorLike(b, a)};
        }
        Shape result = ctx.types().shape(node.output(0));
        return new Expr[] {fit(ctx, a, result), fit(ctx, b, result)};
    }

    /**
     * @param ctx the translation
     * @param v a tensor operand of an element-wise op
     * @param result the op's result shape
     * @return the operand with leading unit axes up to the result's rank, and every size that is
     *     neither 1 nor the result's expression cut to the result's
     * @throws TranslationException if it has no tensor or type
     */
    public static Expr fit(TranslationContext ctx, Value v, Shape result)
            throws TranslationException {
        return fitSizes(ctx, toRank(ctx, v, result.rank()), ctx.types().shape(v), result);
    }

    /**
     * @param ctx the translation
     * @param e an operand
     * @param shape its shape
     * @param result the op's result shape
     * @return {@code e} with leading unit axes up to the result's rank, and every size that is
     *     neither 1 nor the result's cut to the result's
     * @throws TranslationException if a symbolic size has no NNEF form or tract extensions are
     *     refused
     */
    public static Expr fit(TranslationContext ctx, Expr e, Shape shape, Shape result)
            throws TranslationException {
        return fitSizes(ctx, toRank(ctx, e, shape.rank(), result.rank()), shape, result);
    }

    /**
     * {@code e}, already of the result's rank, with the sizes of {@code shape} cut to the result's.
     */
    private static Expr fitSizes(TranslationContext ctx, Expr e, Shape shape, Shape result)
            throws TranslationException {
        int lead = result.rank() - shape.rank();
        for (int axis = Math.max(0, lead); axis < result.rank(); axis++) {
            Dim have = shape.dims().get(axis - lead);
            Dim want = result.dims().get(axis);
            if (!have.equals(want) && !have.equals(Dim.of(1))) {
                if (!want.isConstant()) {
                    ctx.tract()
                            .requireTractForm(
                                    TractTarget.SYMBOLS_IN_EXPRESSIONS); // len is a size expression
                }
                Expr len = ctx.nnef().dim(want);
                e =
                        ctx.nnef()
                                .temp(
                                        "fitted",
                                        Invocation.builder(
                                                        ctx.tract().tractOp("tract_core_dyn_slice"))
                                                .arg(e)
                                                .arg("start", Expr.of(0))
                                                .arg("end", len)
                                                .arg("len", len)
                                                .arg("axis", Expr.of(axis))
                                                .build());
            }
        }
        return e;
    }

    /**
     * Operands of an arithmetic op in the dtype torch computes it in ({@code torch.result_type}, or
     * float32 for the true division of integers): a tensor of another dtype is cast (tract would
     * otherwise convert a constant operand to the other's type, or refuse the mix), a known number
     * becomes a literal of that dtype, and the lower-rank tensor is unsqueezed.
     *
     * @param ctx the translation
     * @param a first operand
     * @param b second operand
     * @param compute the dtype the op computes in
     * @param result the op's result shape: tensors are brought to it by {@link
     *     #fit(TranslationContext, Value, Shape)}
     * @return both operands
     * @throws TranslationException if an operand has no NNEF expression, or a cast is impossible
     */
    public static Expr[] promoted(
            TranslationContext ctx, Value a, Value b, TorchDType compute, Shape result)
            throws TranslationException {
        return new Expr[] {promoted(ctx, a, compute, result), promoted(ctx, b, compute, result)};
    }

    private static Expr promoted(TranslationContext ctx, Value v, TorchDType compute, Shape result)
            throws TranslationException {
        if (!isTensor(ctx, v)) {
            Expr literal = ctx.nnef().literal(v, compute);
            return literal instanceof Expr.IntLit i
                    ? item(ctx, i.value(), compute, result.rank())
                    : literal;
        }
        Expr e = fit(ctx, v, result);
        TorchDType from = ctx.types().dtype(v);
        if (from == compute) {
            return e;
        }
        return ctx.nnef()
                .derived(
                        List.of("cast", v, compute, result),
                        () -> {
                            Expr cast = CastOps.cast(ctx, e, from, compute);
                            return cast == e ? e : ctx.nnef().temp("cast", cast);
                        });
    }

    /**
     * A number as a one-item tensor of {@code dtype} and {@code rank} (all sizes 1), declared once
     * per value: tract reads an integer literal as a symbolic size (TDim), which turns the result
     * of an integer op into a TDim tensor that later ops and its output writer refuse, and a float
     * literal as float32.
     *
     * @param ctx the translation
     * @param value the number (integers exact up to 2^53)
     * @param dtype its dtype
     * @param rank its rank
     * @return the variable
     * @throws TranslationException for dtypes a {@code .dat} cannot hold
     */
    public static Expr item(TranslationContext ctx, double value, TorchDType dtype, int rank)
            throws TranslationException {
        return ctx.nnef()
                .derived(
                        List.of("item", value, dtype, rank),
                        () -> {
                            long[] units = new long[rank];
                            Arrays.fill(units, 1);
                            return ctx.nnef()
                                    .variable("item", ExportTimeTensors.of(dtype, units, value));
                        });
    }

    /**
     * @param ctx the translation
     * @param v a tensor value
     * @param target the wanted rank
     * @return its tensor with leading unit axes up to {@code target}, emitted once per value and
     *     rank
     * @throws TranslationException if it has no tensor or type
     */
    public static Expr toRank(TranslationContext ctx, Value v, int target)
            throws TranslationException {
        int rank = ctx.types().rank(v);
        if (rank >= target) {
            return ctx.nnef().tensor(v);
        }
        return ctx.nnef()
                .derived(
                        List.of("unsqueezed", v, target),
                        () -> toRank(ctx, ctx.nnef().tensor(v), rank, target));
    }

    /**
     * @param ctx the translation
     * @param e a tensor
     * @param rank its rank
     * @param target the wanted rank
     * @return {@code e}, with leading unit axes added when {@code rank < target}
     */
    public static Expr toRank(TranslationContext ctx, Expr e, int rank, int target) {
        if (rank >= target) {
            return e;
        }
        return ctx.nnef()
                .temp(
                        "unsqueezed",
                        Invocation.builder("unsqueeze")
                                .arg(e)
                                .arg("axes", Axes.range(0, target - rank))
                                .build());
    }

    /**
     * @param ctx the translation
     * @param e an operand
     * @param v the value it stands for, to pick the literal type
     * @param scale a factor
     * @return {@code e * scale}, or {@code e} when the factor is 1
     */
    public static Expr scaled(TranslationContext ctx, Expr e, Value v, double scale) {
        return scaled(ctx, e, ctx.types().isFloat(v), scale);
    }

    /**
     * @param ctx the translation
     * @param e an operand
     * @param floating whether it is a float tensor (picks the literal type)
     * @param scale a factor
     * @return {@code e * scale}, or {@code e} when the factor is 1
     */
    public static Expr scaled(TranslationContext ctx, Expr e, boolean floating, double scale) {
        if (scale == 1.0) {
            return e;
        }
        if (e instanceof Expr.RealLit r) {
            return Expr.of((float) (r.value() * scale));
        }
        if (e instanceof Expr.IntLit i && scale == Math.rint(scale)) {
            return Expr.of(i.value() * (long) scale);
        }
        Expr factor = floating ? Expr.of((float) scale) : Expr.of((long) scale);
        return ctx.nnef().temp("scaled", Invocation.of("mul", e, factor));
    }
}
