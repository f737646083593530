package org.torch2nnef.export.ops;

import java.util.Map;
import java.util.Optional;
import org.torch2nnef.export.FragmentText;
import org.torch2nnef.export.OpFamily;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.Value;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Fragment;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.torchscript.TorchDType;

/**
 * Element-wise arithmetic: {@code add}/{@code sub}/{@code rsub} with {@code alpha}, {@code mul},
 * {@code div} (true, {@code floor} and {@code trunc} rounding, on float and integer tensors), {@code floor_divide},
 * {@code pow}, all with torch's type promotion made explicit by casts, and the unary
 * {@code neg}, {@code abs}, {@code exp}, {@code log}, {@code sqrt}, {@code rsqrt},
 * {@code reciprocal} (as {@code 1.0 / x}), {@code floor}, {@code ceil}, {@code sign}, {@code sin}, {@code cos} (standard
 * NNEF) and {@code round} (half to even: tract extension {@code tract_core_round_even}).
 */
public final class ElementwiseOps implements OpFamily {

    /** torch op to the standard NNEF unary op computing it. */
    private static final Map<String, String> UNARY = Map.ofEntries(
            Map.entry("aten::neg", "neg"), Map.entry("aten::abs", "abs"), Map.entry("aten::exp", "exp"),
            Map.entry("aten::log", "log"), Map.entry("aten::sqrt", "sqrt"), Map.entry("aten::rsqrt", "rsqrt"),
            Map.entry("aten::floor", "floor"), Map.entry("aten::ceil", "ceil"),
            Map.entry("aten::sign", "sign"), Map.entry("aten::sin", "sin"), Map.entry("aten::cos", "cos"));

    /** Truncating division: NNEF has no trunc, so {@code sign(q) * floor(abs(q))}. */
    private static final Fragment DIV_TRUNC = FragmentText.parse("""
            fragment t2n_div_trunc( x: tensor<scalar>, y: tensor<scalar> ) -> ( z: tensor<scalar> )
            {
                z = sign(x / y) * floor(abs(x / y));
            }""");

    /**
     * Integer division rounding toward zero. tract divides integers truncating, except that it
     * rewrites a division by a constant power of two as an arithmetic shift, which floors; dividing
     * magnitudes gives the same quotient both ways, and the sign is put back after.
     */
    private static final Fragment INT_DIV_TRUNC = FragmentText.parse("""
            fragment t2n_int_div_trunc( x: tensor<integer>, y: tensor<integer> ) -> ( z: tensor<integer> )
            {
                q = div(abs(x), abs(y));
                z = select(select(lt(y, 0), gt(x, 0), lt(x, 0)), neg(q), q);
            }""");

    /**
     * Integer division rounding down: for operands of opposite signs, the negated ceiling of the
     * quotient of magnitudes (see {@link #INT_DIV_TRUNC} for why magnitudes). {@code one} is a
     * tensor of the operands' dtype: an integer literal would be a TDim in tract.
     */
    private static final Fragment INT_DIV_FLOOR = FragmentText.parse("""
            fragment t2n_int_div_floor( x: tensor<integer>, y: tensor<integer>, one: tensor<integer> )
                -> ( z: tensor<integer> )
            {
                d = abs(y);
                n = abs(x);
                z = select(select(lt(y, 0), gt(x, 0), lt(x, 0)), neg(div(sub(add(n, d), one), d)), div(n, d));
            }""");

    @Override
    public void register(OpRegistry r) {
        UNARY.forEach((kind, op) -> r.register(kind, (node, ctx) -> unary(node, ctx, op)));
        r.register("aten::add", (node, ctx) -> addSub(node, ctx, "add", false));
        r.register("aten::sub", (node, ctx) -> addSub(node, ctx, "sub", false));
        r.register("aten::rsub", (node, ctx) -> addSub(node, ctx, "sub", true));
        r.register("aten::mul", (node, ctx) -> binary(node, ctx, "mul"));
        r.register("aten::div", ElementwiseOps::div);
        r.register("aten::floor_divide", ElementwiseOps::floorDivide);
        r.register("aten::pow", (node, ctx) -> binary(node, ctx, "pow"));
        r.register("aten::round", ElementwiseOps::round);
        r.register("aten::reciprocal", ElementwiseOps::reciprocal);
    }

    /** {@code 1.0 / x}: NNEF's {@code rcp} is declared by tract but not implemented (its own is {@code recip}). */
    private static void reciprocal(Node node, TranslationContext ctx) throws TranslationException {
        if (!ctx.isFloat(node.input(0))) {
            throw new TranslationException("reciprocal of the integer tensor " + node.input(0).describe()
                    + " is not supported (torch returns floats)");
        }
        ctx.define(node.output(0), Invocation.of("div", Expr.of(1.0f), ctx.tensor(node.input(0))));
    }

    private static void unary(Node node, TranslationContext ctx, String op) throws TranslationException {
        ctx.define(node.output(0), Invocation.of(op, ctx.tensor(node.input(0))));
    }

    /**
     * {@code self op alpha*other}; {@code rsub} is {@code other - alpha*self}. Operands are cast to
     * the output's dtype (torch's type promotion); on bools, {@code add} is {@code or}.
     */
    private static void addSub(Node node, TranslationContext ctx, String op, boolean reversed) throws TranslationException {
        Value self = node.input(0);
        Value other = node.input(1);
        Optional<Value> alphaArg = Args.optional(node, "alpha", 2);
        double alpha = alphaArg.isPresent() && !ctx.isNone(alphaArg.get()) ? ctx.doubleArg(alphaArg.get()) : 1.0;
        TorchDType compute = ctx.dtype(node.output(0));
        Expr[] ab = Operands.promoted(ctx, self, other, compute, ctx.shape(node.output(0)));
        if (compute == TorchDType.BOOL) {
            if (!op.equals("add") || alpha != 1.0) {
                throw new TranslationException(node.kind() + " of bool tensors is not supported (only add, as logical or)");
            }
            ctx.define(node.output(0), Invocation.of("or", ab[0], ab[1]));
            return;
        }
        boolean floating = compute.isFloatingPoint();
        Expr left = reversed ? ab[1] : ab[0];
        Expr right = Operands.scaled(ctx, reversed ? ab[0] : ab[1], floating, alpha);
        ctx.define(node.output(0), Invocation.of(op, left, right));
    }

    /** An element-wise binary op computing in the output's dtype; on bools, {@code mul} is {@code and}. */
    private static void binary(Node node, TranslationContext ctx, String op) throws TranslationException {
        TorchDType compute = ctx.dtype(node.output(0));
        Expr[] ab = Operands.promoted(ctx, node.input(0), node.input(1), compute, ctx.shape(node.output(0)));
        if (compute == TorchDType.BOOL && op.equals("mul")) {
            op = "and";
        }
        ctx.define(node.output(0), Invocation.of(op, ab[0], ab[1]));
    }

    /**
     * True division (integers are divided as float32, torch's default dtype), or rounded down or
     * toward zero in the operands' promoted dtype.
     */
    private static void div(Node node, TranslationContext ctx) throws TranslationException {
        Optional<Value> modeArg = Args.optional(node, "rounding_mode", 2);
        String mode = modeArg.isEmpty() || ctx.isNone(modeArg.get()) ? "true"
                : ctx.known(modeArg.get()).map(String::valueOf).orElse("?");
        TorchDType compute = ctx.dtype(node.output(0));
        Expr[] ab = Operands.promoted(ctx, node.input(0), node.input(1), compute, ctx.shape(node.output(0)));
        boolean floating = compute.isFloatingPoint();
        switch (mode) {
            case "true" -> ctx.define(node.output(0), Invocation.of("div", ab[0], ab[1]));
            case "floor" -> ctx.define(node.output(0), floorQuotient(ctx, ab, compute, ctx.rank(node.output(0))));
            case "trunc" -> ctx.define(node.output(0), floating ? Invocation.of(ctx.fragment(DIV_TRUNC), ab[0], ab[1])
                    : Invocation.of(ctx.fragment(INT_DIV_TRUNC), ab[0], ab[1]));
            default -> throw new TranslationException("unknown rounding_mode " + mode);
        }
    }

    /** torch's floor_divide rounds the quotient down (since torch 1.13); sizes known at export time are folded. */
    private static void floorDivide(Node node, TranslationContext ctx) throws TranslationException {
        TorchDType compute = ctx.dtype(node.output(0));
        Expr[] ab = Operands.promoted(ctx, node.input(0), node.input(1), compute, ctx.shape(node.output(0)));
        ctx.define(node.output(0), floorQuotient(ctx, ab, compute, ctx.rank(node.output(0))));
    }

    private static Expr floorQuotient(TranslationContext ctx, Expr[] ab, TorchDType compute, int rank)
            throws TranslationException {
        if (!compute.isFloatingPoint()) {
            return Invocation.of(ctx.fragment(INT_DIV_FLOOR), ab[0], ab[1], Operands.item(ctx, 1, compute, rank));
        }
        return Invocation.of("floor", ctx.temp("quotient", Invocation.of("div", ab[0], ab[1])));
    }

    private static void round(Node node, TranslationContext ctx) throws TranslationException {
        Optional<Value> decimals = Args.optional(node, "decimals", 1);
        if (decimals.isPresent() && ctx.intArg(decimals.get()) != 0) {
            throw new TranslationException("round with decimals != 0 is not supported");
        }
        // torch rounds half to even; NNEF's round does not say, tract's rounds half away from zero
        ctx.define(node.output(0), Invocation.of(ctx.tractOp("tract_core_round_even"), ctx.tensor(node.input(0))));
    }
}
