package org.torch2nnef.export.ops;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.torch2nnef.export.FragmentText;
import org.torch2nnef.export.OpFamily;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.shapes.NodeTypes;
import org.torch2nnef.graph.shapes.ScalarTypes;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.torchscript.TorchDType;

/**
 * Comparisons, logic and selection, all standard NNEF: {@code eq}/{@code ne}/{@code lt}/{@code le}/
 * {@code gt}/{@code ge} (tensor or number operand), {@code logical_and}/{@code or}/{@code xor}/
 * {@code not} (any dtype; non-zero is true), the bitwise forms and operators ({@code &}, {@code |},
 * {@code ^}, {@code ~}) on bool tensors, {@code where} (tensor or number branches, e.g. the sign
 * activation {@code where(x > 0, 1, -1)}), {@code masked_fill}, {@code maximum}/{@code minimum},
 * {@code clamp_min}/{@code clamp_max} and {@code isnan} (as {@code x != x}).
 */
public final class ComparisonOps implements OpFamily {

    /**
     * Comparisons, each with a {@code .Tensor} and a {@code .Scalar} overload, to the NNEF op
     * computing them.
     */
    private static final Map<String, String> COMPARE =
            Map.of("eq", "eq", "ne", "ne", "lt", "lt", "le", "le", "gt", "gt", "ge", "ge");

    /**
     * Exclusive or of two logical tensors (NNEF has none; {@code ne} is for scalars only). Written
     * with invocations, as tract reads no {@code &&}/{@code ||}/{@code !} operators.
     */
    private static final FragmentText.Lazy XOR =
            FragmentText.lazy(
                    """
            fragment t2n_xor( x: tensor<logical>, y: tensor<logical> ) -> ( z: tensor<logical> )
            {
                z = and(or(x, y), not(and(x, y)));
            }""");

    @Override
    public void register(OpRegistry r) {
        COMPARE.forEach(
                (name, op) ->
                        r.op("aten::" + name + ".Tensor(Tensor self, Tensor other) -> Tensor")
                                .overload(
                                        "aten::"
                                                + name
                                                + ".Scalar(Tensor self, Scalar other) -> Tensor")
                                .shape(ComparisonOps::comparisonShape)
                                .translate((node, ctx) -> binary(node, ctx, op)));
        r.op("aten::maximum(Tensor self, Tensor other) -> Tensor")
                .shape(ElementwiseOps::arithmeticShape)
                .translate((node, ctx) -> binary(node, ctx, "max"));
        r.op("aten::minimum(Tensor self, Tensor other) -> Tensor")
                .shape(ElementwiseOps::arithmeticShape)
                .translate((node, ctx) -> binary(node, ctx, "min"));
        r.op("aten::clamp_min(Tensor self, Scalar min) -> Tensor")
                .shape(ElementwiseOps::sameShape)
                .translate((node, ctx) -> binary(node, ctx, "max"));
        r.op("aten::clamp_max(Tensor self, Scalar max) -> Tensor")
                .shape(ElementwiseOps::sameShape)
                .translate((node, ctx) -> binary(node, ctx, "min"));
        r.op("aten::logical_and(Tensor self, Tensor other) -> Tensor")
                .shape(ComparisonOps::comparisonShape)
                .translate((node, ctx) -> logical(node, ctx, "and", false));
        r.op("aten::logical_or(Tensor self, Tensor other) -> Tensor")
                .shape(ComparisonOps::comparisonShape)
                .translate((node, ctx) -> logical(node, ctx, "or", false));
        r.op("aten::logical_xor(Tensor self, Tensor other) -> Tensor")
                .shape(ComparisonOps::comparisonShape)
                .translate((node, ctx) -> logical(node, ctx, null, false));
        bitwise(r, "and", "aten::bitwise_and", "aten::__and__");
        bitwise(r, "or", "aten::bitwise_or", "aten::__or__");
        bitwise(r, null, "aten::bitwise_xor", "aten::__xor__");
        r.op("aten::isnan(Tensor self) -> Tensor")
                .shape(ComparisonOps::boolShape)
                .translate(ComparisonOps::isnan);
        r.op("aten::logical_not(Tensor self) -> Tensor")
                .shape(ComparisonOps::boolShape)
                .translate(
                        (node, ctx) ->
                                ctx.nnef()
                                        .define(
                                                node.output(0),
                                                Invocation.of("not", truth(ctx, node.input(0)))));
        r.op("aten::bitwise_not(Tensor self) -> Tensor")
                .shape(ElementwiseOps::sameShape)
                .translate(
                        (node, ctx) ->
                                ctx.nnef()
                                        .define(
                                                node.output(0),
                                                Invocation.of(
                                                        "not", bools(node, ctx, node.input(0)))));
        r.op("aten::where.self(Tensor condition, Tensor self, Tensor other) -> Tensor")
                .overload(
                        "aten::where.ScalarOther(Tensor condition, Tensor self, Scalar other) -> Tensor")
                .overload(
                        "aten::where.ScalarSelf(Tensor condition, Scalar self, Tensor other) -> Tensor")
                .overload(
                        "aten::where.Scalar(Tensor condition, Scalar self, Scalar other) -> Tensor")
                .shape(ComparisonOps::whereShape)
                .translate(ComparisonOps::where);
        r.op("aten::masked_fill.Scalar(Tensor self, Tensor mask, Scalar value) -> Tensor")
                .overload(
                        "aten::masked_fill.Tensor(Tensor self, Tensor mask, Tensor value) -> Tensor")
                .shape(
                        n -> {
                            n.tensor(n.at("mask")); // the mask must be a tensor
                            n.output(0, n.tensor(0));
                        })
                .translate(ComparisonOps::maskedFill);
    }

    /**
     * Registers the bitwise ops of one operation ({@code .Tensor} and {@code .Scalar} overloads
     * each): bool stays bool, integers promote as arithmetic does.
     *
     * @param op the NNEF op ({@code and}, {@code or}), or null for exclusive or
     * @param kinds the function and operator forms, e.g. {@code aten::bitwise_and}, {@code
     *     aten::__and__}
     */
    private static void bitwise(OpRegistry r, String op, String... kinds) {
        for (String kind : kinds) {
            r.op(kind + ".Tensor(Tensor self, Tensor other) -> Tensor")
                    .overload(kind + ".Scalar(Tensor self, Scalar other) -> Tensor")
                    .shape(
                            n ->
                                    n.output(
                                            0,
                                            ScalarTypes.resultType(List.of(n.input(0), n.input(1))),
                                            ElementwiseOps.broadcastShape(n, 2)))
                    .translate((node, ctx) -> logical(node, ctx, op, true));
        }
    }

    private static void comparisonShape(NodeTypes n) {
        n.output(0, TorchDType.BOOL, ElementwiseOps.broadcastShape(n, 2));
    }

    private static void boolShape(NodeTypes n) {
        n.output(0, TorchDType.BOOL, n.tensor(0).shape());
    }

    private static void whereShape(NodeTypes n) {
        n.output(
                0,
                ScalarTypes.resultType(List.of(n.input(n.at("self")), n.input(n.at("other")))),
                ElementwiseOps.broadcastShape(n, 3));
    }

    /** NaN is the only value not equal to itself: {@code x != x}. */
    private static void isnan(Node node, TranslationContext ctx) throws TranslationException {
        Expr x = ctx.nnef().tensor(node.input(0));
        ctx.nnef().define(node.output(0), Invocation.of("ne", x, x));
    }

    /**
     * A comparison in the operands' promoted dtype ({@code i < 2.5} compares as floats); max/min
     * compute in the output's.
     */
    private static void binary(Node node, TranslationContext ctx, String op)
            throws TranslationException {
        TorchDType compute =
                ctx.types().dtype(node.output(0)) == TorchDType.BOOL
                        ? ScalarTypes.resultType(List.of(node.input(0), node.input(1)))
                        : ctx.types().dtype(node.output(0));
        Expr[] ab =
                Operands.promoted(
                        ctx,
                        node.input(0),
                        node.input(1),
                        compute,
                        ctx.types().shape(node.output(0)));
        ctx.nnef().define(node.output(0), Invocation.of(op, ab[0], ab[1]));
    }

    /**
     * @param op {@code and}, {@code or}, or null for exclusive or
     * @param bitwise the bitwise form: defined here for bool operands only
     */
    private static void logical(Node node, TranslationContext ctx, String op, boolean bitwise)
            throws TranslationException {
        Expr x = bitwise ? bools(node, ctx, node.input(0)) : truth(ctx, node.input(0));
        Expr y = bitwise ? bools(node, ctx, node.input(1)) : truth(ctx, node.input(1));
        Shape result = ctx.types().shape(node.output(0));
        x = fitted(ctx, x, node.input(0), result);
        y = fitted(ctx, y, node.input(1), result);
        ctx.nnef()
                .define(
                        node.output(0),
                        Invocation.of(op != null ? op : ctx.nnef().fragment(XOR.get()), x, y));
    }

    /** An operand brought to the result's shape ({@link Operands#fit}); a literal needs nothing. */
    private static Expr fitted(TranslationContext ctx, Expr e, Value v, Shape result)
            throws TranslationException {
        return Operands.isTensor(ctx, v) ? Operands.fit(ctx, e, ctx.types().shape(v), result) : e;
    }

    /**
     * A bool operand of a bitwise op (a bool tensor or a known bool); integer bit arithmetic is not
     * translated.
     */
    private static Expr bools(Node node, TranslationContext ctx, Value v)
            throws TranslationException {
        if (!Operands.isTensor(ctx, v)) {
            Object k = ctx.values().known(v).orElse(null);
            if (k instanceof Boolean b) {
                return Expr.of(b);
            }
            throw new TranslationException(
                    node.kind()
                            + " with the integer "
                            + v.describe()
                            + " (integer bit arithmetic) is not supported; only bool operands");
        }
        if (ctx.types().dtype(v) != TorchDType.BOOL) {
            throw new TranslationException(
                    node.kind()
                            + " on "
                            + ctx.types().dtype(v).torchName()
                            + " tensors (integer bit arithmetic) is not supported; only bool tensors");
        }
        return ctx.nnef().tensor(v);
    }

    /**
     * A tensor as logical: itself when bool, else {@code x != 0} as torch's logical ops read it.
     */
    private static Expr truth(TranslationContext ctx, Value v) throws TranslationException {
        if (ctx.types().dtype(v) == TorchDType.BOOL) {
            return ctx.nnef().tensor(v);
        }
        Expr zero = ctx.types().isFloat(v) ? Expr.of(0.0f) : Expr.of(0L);
        return ctx.nnef()
                .derived(
                        List.of("nonzero", v),
                        () ->
                                ctx.nnef()
                                        .temp(
                                                "nonzero",
                                                Invocation.of("ne", ctx.nnef().tensor(v), zero)));
    }

    /**
     * {@code where(condition, self, other)}: NNEF {@code select}, operands brought to the output's
     * shape and dtype.
     */
    private static void where(Node node, TranslationContext ctx) throws TranslationException {
        if (node.inputs().size() != 3) {
            throw new TranslationException(
                    "where(condition) (the indices of non-zero items) is not supported");
        }
        Value out = node.output(0);
        Shape result = ctx.types().shape(out);
        TorchDType dtype = ctx.types().dtype(out);
        Expr condition =
                Operands.fit(
                        ctx, truth(ctx, node.input(0)), ctx.types().shape(node.input(0)), result);
        ctx.nnef()
                .define(
                        out,
                        Invocation.of(
                                "select",
                                condition,
                                branch(ctx, node.input(1), dtype, result),
                                branch(ctx, node.input(2), dtype, result)));
    }

    /** {@code masked_fill(self, mask, value)}: {@code select(mask, value, self)}. */
    private static void maskedFill(Node node, TranslationContext ctx) throws TranslationException {
        Value self = node.input(0);
        Shape shape = ctx.types().shape(self);
        Expr mask =
                Operands.toRank(
                        ctx,
                        bools(node, ctx, node.input(1)),
                        ctx.types().rank(node.input(1)),
                        shape.rank());
        ctx.nnef()
                .define(
                        node.output(0),
                        Invocation.of(
                                "select",
                                mask,
                                branch(ctx, node.input(2), ctx.types().dtype(self), shape),
                                ctx.nnef().tensor(self)));
    }

    /**
     * A branch of a selection: a number as a literal of {@code dtype}, a tensor fitted to {@code
     * result} and cast to {@code dtype}.
     */
    private static Expr branch(TranslationContext ctx, Value v, TorchDType dtype, Shape result)
            throws TranslationException {
        Optional<Double> number = ctx.values().scalarConstant(v);
        if (number.isEmpty() && !Operands.isTensor(ctx, v)) {
            number =
                    Optional.of(
                            ctx.values().known(v).filter(Boolean.class::isInstance).isPresent()
                                    ? (ctx.values().boolArg(v) ? 1.0 : 0.0)
                                    : ctx.values().doubleArg(v));
        }
        if (number.isPresent()) {
            // a float32 literal is what tract reads it as; other types would come out as tract's
            // symbolic-size integer (TDim), so they are one-item variables of the dtype
            if (dtype == TorchDType.FLOAT32) {
                return Expr.of((float) number.get().doubleValue());
            }
            return Operands.item(ctx, number.get(), dtype, result.rank());
        }
        Expr e = Operands.fit(ctx, v, result);
        return CastOps.cast(ctx, e, ctx.types().dtype(v), dtype);
    }
}
