package org.torch2nnef.export.ops;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.torch2nnef.export.FragmentText;
import org.torch2nnef.export.OpFamily;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType;
import org.torch2nnef.graph.ValueType.TensorType;
import org.torch2nnef.graph.shapes.Broadcast;
import org.torch2nnef.graph.shapes.KnownArithmetic;
import org.torch2nnef.graph.shapes.NodeTypes;
import org.torch2nnef.graph.shapes.ScalarTypes;
import org.torch2nnef.graph.shapes.ShapeInferenceException;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.torchscript.TorchDType;

/**
 * Element-wise arithmetic: {@code add}/{@code sub}/{@code rsub} with {@code alpha}, {@code mul},
 * {@code div} (true, {@code floor} and {@code trunc} rounding, on float and integer tensors),
 * {@code floor_divide}, {@code remainder} (the divisor's sign), {@code pow}, all with torch's type
 * promotion made explicit by casts, and the unary {@code neg}, {@code abs}, {@code exp}, {@code
 * log}, {@code sqrt}, {@code rsqrt}, {@code reciprocal} (as {@code 1.0 / x}), {@code floor}, {@code
 * ceil}, {@code sign}, {@code sin}, {@code cos} (standard NNEF), {@code round} (half to even: tract
 * extension {@code tract_core_round_even}) and {@code erf} ({@code tract_core_erf}). Their shape
 * rules, shared with the activations and comparisons, keep or broadcast shapes, promote dtypes, and
 * fold arithmetic on values known at export time (sizes, numbers; Python's {@code //} on ints is
 * only ever folded).
 */
public final class ElementwiseOps implements OpFamily {

    /**
     * Signatures of unary ops keeping their input's dtype, to the standard NNEF op computing them.
     */
    private static final Map<String, String> SAME_UNARY =
            Map.of(
                    "aten::abs(Tensor self) -> Tensor",
                    "abs",
                    "aten::floor(Tensor self) -> Tensor",
                    "floor",
                    "aten::ceil(Tensor self) -> Tensor",
                    "ceil",
                    "aten::sign(Tensor self) -> Tensor",
                    "sign");

    /**
     * Signatures of unary ops computing in floating point, to the standard NNEF op computing them.
     */
    private static final Map<String, String> FLOATING_UNARY =
            Map.of(
                    "aten::exp(Tensor self) -> Tensor",
                    "exp",
                    "aten::log(Tensor self) -> Tensor",
                    "log",
                    "aten::sqrt(Tensor self) -> Tensor",
                    "sqrt",
                    "aten::rsqrt(Tensor self) -> Tensor",
                    "rsqrt",
                    "aten::sin(Tensor self) -> Tensor",
                    "sin",
                    "aten::cos(Tensor self) -> Tensor",
                    "cos",
                    "aten::tan(Tensor self) -> Tensor",
                    "tan",
                    "aten::atan(Tensor self) -> Tensor",
                    "atan");

    /** Truncating division: NNEF has no trunc, so {@code sign(q) * floor(abs(q))}. */
    private static final FragmentText.Lazy DIV_TRUNC =
            FragmentText.lazy(
                    """
            fragment t2n_div_trunc( x: tensor<scalar>, y: tensor<scalar> ) -> ( z: tensor<scalar> )
            {
                z = sign(x / y) * floor(abs(x / y));
            }""");

    /**
     * Integer division rounding toward zero. tract divides integers truncating, except that it
     * rewrites a division by a constant power of two as an arithmetic shift, which floors; dividing
     * magnitudes gives the same quotient both ways, and the sign is put back after.
     */
    private static final FragmentText.Lazy INT_DIV_TRUNC =
            FragmentText.lazy(
                    """
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
    private static final FragmentText.Lazy INT_DIV_FLOOR =
            FragmentText.lazy(
                    """
            fragment t2n_int_div_floor( x: tensor<integer>, y: tensor<integer>, one: tensor<integer> )
                -> ( z: tensor<integer> )
            {
                d = abs(y);
                n = abs(x);
                z = select(select(lt(y, 0), gt(x, 0), lt(x, 0)), neg(div(sub(add(n, d), one), d)), div(n, d));
            }""");

    @Override
    public void register(OpRegistry r) {
        SAME_UNARY.forEach(
                (signature, op) ->
                        r.op(signature)
                                .shape(ElementwiseOps::sameShape)
                                .translate((node, ctx) -> unary(node, ctx, op)));
        FLOATING_UNARY.forEach(
                (signature, op) ->
                        r.op(signature)
                                .shape(ElementwiseOps::floatingShape)
                                .translate((node, ctx) -> unary(node, ctx, op)));
        r.op("aten::neg(Tensor self) -> Tensor")
                .shape(ElementwiseOps::negShape)
                .translate((node, ctx) -> unary(node, ctx, "neg"));
        r.op("aten::erf(Tensor self) -> Tensor")
                .shape(ElementwiseOps::floatingShape)
                .translate(ElementwiseOps::erf)
                .tract("tract_core_erf");
        r.op("aten::round(Tensor self) -> Tensor")
                .shape(ElementwiseOps::sameShape)
                .translate(ElementwiseOps::round)
                .tract("tract_core_round_even");
        r.op("aten::reciprocal(Tensor self) -> Tensor")
                .shape(ElementwiseOps::floatingShape)
                .translate(ElementwiseOps::reciprocal);
        r.op("aten::pow.Tensor_Scalar(Tensor self, Scalar exponent) -> Tensor")
                .overload("aten::pow.Tensor_Tensor(Tensor self, Tensor exponent) -> Tensor")
                .shape(ElementwiseOps::arithmeticShape)
                .translate((node, ctx) -> binary(node, ctx, "pow"));
        r.op("aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor")
                .overload("aten::add.Scalar(Tensor self, Scalar other, Scalar alpha=1) -> Tensor")
                .overload("aten::add.int(int a, int b) -> int")
                .shape(ElementwiseOps::arithmeticShape)
                .translate((node, ctx) -> addSub(node, ctx, "add", false));
        r.op("aten::sub.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor")
                .overload("aten::sub.Scalar(Tensor self, Scalar other, Scalar alpha=1) -> Tensor")
                .overload("aten::sub.int(int a, int b) -> int")
                .shape(ElementwiseOps::arithmeticShape)
                .translate((node, ctx) -> addSub(node, ctx, "sub", false));
        r.op("aten::rsub.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor")
                .overload("aten::rsub.Scalar(Tensor self, Scalar other, Scalar alpha=1) -> Tensor")
                .shape(ElementwiseOps::arithmeticShape)
                .translate((node, ctx) -> addSub(node, ctx, "sub", true));
        r.op("aten::mul.Tensor(Tensor self, Tensor other) -> Tensor")
                .overload("aten::mul.Scalar(Tensor self, Scalar other) -> Tensor")
                .overload("aten::mul.int(int a, int b) -> int")
                .shape(ElementwiseOps::arithmeticShape)
                .translate((node, ctx) -> binary(node, ctx, "mul"));
        r.op("aten::div.Tensor(Tensor self, Tensor other) -> Tensor")
                .overload("aten::div.Scalar(Tensor self, Scalar other) -> Tensor")
                .overload(
                        "aten::div.Tensor_mode(Tensor self, Tensor other, *, str? rounding_mode) -> Tensor")
                .overload(
                        "aten::div.Scalar_mode(Tensor self, Scalar other, *, str? rounding_mode) -> Tensor")
                .shape(ElementwiseOps::arithmeticShape)
                .translate(ElementwiseOps::div);
        r.op("aten::floor_divide(Tensor self, Tensor other) -> Tensor")
                .overload("aten::floor_divide.Scalar(Tensor self, Scalar other) -> Tensor")
                .shape(ElementwiseOps::arithmeticShape)
                .translate(ElementwiseOps::floorDivide);
        // Python's // on ints: always known at export time
        r.op("aten::floordiv.int(int a, int b) -> int")
                .shape(ElementwiseOps::arithmeticShape)
                .foldOnly();
        r.op("aten::remainder.Tensor(Tensor self, Tensor other) -> Tensor")
                .overload("aten::remainder.Scalar(Tensor self, Scalar other) -> Tensor")
                .overload("aten::remainder.int(int a, int b) -> int")
                .shape(ElementwiseOps::arithmeticShape)
                .translate(ElementwiseOps::remainder);
    }

    /**
     * {@code 1.0 / x}: NNEF's {@code rcp} is declared by tract but not implemented (its own is
     * {@code recip}).
     */
    private static void reciprocal(Node node, TranslationContext ctx) throws TranslationException {
        if (!ctx.types().isFloat(node.input(0))) {
            throw new TranslationException(
                    "reciprocal of the integer tensor "
                            + node.input(0).describe()
                            + " is not supported (torch returns floats)");
        }
        ctx.nnef()
                .define(
                        node.output(0),
                        Invocation.of("div", Expr.of(1.0f), ctx.nnef().tensor(node.input(0))));
    }

    /**
     * torch's erf through tract's {@code tract_core_erf} (standard NNEF has none: refused under
     * {@code --nnef-spec-strict}).
     */
    private static void erf(Node node, TranslationContext ctx) throws TranslationException {
        ctx.nnef()
                .define(
                        node.output(0),
                        Invocation.of(
                                ctx.tract().tractOp("tract_core_erf"),
                                ctx.nnef().tensor(node.input(0))));
    }

    private static void unary(Node node, TranslationContext ctx, String op)
            throws TranslationException {
        ctx.nnef().define(node.output(0), Invocation.of(op, ctx.nnef().tensor(node.input(0))));
    }

    /**
     * {@code self op alpha*other}; {@code rsub} is {@code other - alpha*self}. Operands are cast to
     * the output's dtype (torch's type promotion); on bools, {@code add} is {@code or}.
     */
    private static void addSub(Node node, TranslationContext ctx, String op, boolean reversed)
            throws TranslationException {
        Value self = node.input(0);
        Value other = node.input(1);
        Optional<Value> alphaArg = Args.optional(node, "alpha", 2);
        double alpha =
                alphaArg.isPresent() && !ctx.values().isNone(alphaArg.get())
                        ? ctx.values().doubleArg(alphaArg.get())
                        : 1.0;
        TorchDType compute = ctx.types().dtype(node.output(0));
        Expr[] ab = Operands.promoted(ctx, self, other, compute, ctx.types().shape(node.output(0)));
        if (compute == TorchDType.BOOL) {
            if (!op.equals("add") || alpha != 1.0) {
                throw new TranslationException(
                        node.kind()
                                + " of bool tensors is not supported (only add, as logical or)");
            }
            ctx.nnef().define(node.output(0), Invocation.of("or", ab[0], ab[1]));
            return;
        }
        boolean floating = compute.isFloatingPoint();
        Expr left = reversed ? ab[1] : ab[0];
        Expr right = Operands.scaled(ctx, reversed ? ab[0] : ab[1], floating, alpha);
        ctx.nnef().define(node.output(0), Invocation.of(op, left, right));
    }

    /**
     * An element-wise binary op computing in the output's dtype; on bools, {@code mul} is {@code
     * and}.
     */
    private static void binary(Node node, TranslationContext ctx, String op)
            throws TranslationException {
        TorchDType compute = ctx.types().dtype(node.output(0));
        Expr[] ab =
                Operands.promoted(
                        ctx,
                        node.input(0),
                        node.input(1),
                        compute,
                        ctx.types().shape(node.output(0)));
        if (compute == TorchDType.BOOL && op.equals("mul")) {
            op = "and";
        }
        ctx.nnef().define(node.output(0), Invocation.of(op, ab[0], ab[1]));
    }

    /**
     * True division (integers are divided as float32, torch's default dtype), or rounded down or
     * toward zero in the operands' promoted dtype.
     */
    private static void div(Node node, TranslationContext ctx) throws TranslationException {
        Optional<Value> modeArg = Args.optional(node, "rounding_mode", 2);
        String mode =
                modeArg.isEmpty() || ctx.values().isNone(modeArg.get())
                        ? "true"
                        : ctx.values().known(modeArg.get()).map(String::valueOf).orElse("?");
        TorchDType compute = ctx.types().dtype(node.output(0));
        Expr[] ab =
                Operands.promoted(
                        ctx,
                        node.input(0),
                        node.input(1),
                        compute,
                        ctx.types().shape(node.output(0)));
        boolean floating = compute.isFloatingPoint();
        switch (mode) {
            case "true" -> ctx.nnef().define(node.output(0), Invocation.of("div", ab[0], ab[1]));
            case "floor" ->
                    ctx.nnef()
                            .define(
                                    node.output(0),
                                    floorQuotient(
                                            ctx, ab, compute, ctx.types().rank(node.output(0))));
            case "trunc" ->
                    ctx.nnef()
                            .define(
                                    node.output(0),
                                    floating
                                            ? Invocation.of(
                                                    ctx.nnef().fragment(DIV_TRUNC.get()),
                                                    ab[0],
                                                    ab[1])
                                            : Invocation.of(
                                                    ctx.nnef().fragment(INT_DIV_TRUNC.get()),
                                                    ab[0],
                                                    ab[1]));
            default -> throw new TranslationException("unknown rounding_mode " + mode);
        }
    }

    /**
     * torch's floor_divide rounds the quotient down (since torch 1.13); sizes known at export time
     * are folded.
     */
    private static void floorDivide(Node node, TranslationContext ctx) throws TranslationException {
        TorchDType compute = ctx.types().dtype(node.output(0));
        Expr[] ab =
                Operands.promoted(
                        ctx,
                        node.input(0),
                        node.input(1),
                        compute,
                        ctx.types().shape(node.output(0)));
        ctx.nnef()
                .define(
                        node.output(0),
                        floorQuotient(ctx, ab, compute, ctx.types().rank(node.output(0))));
    }

    /**
     * torch's remainder takes the divisor's sign: {@code a - floor(a / b) * b}, in the operands'
     * promoted dtype; sizes known at export time are folded.
     */
    private static void remainder(Node node, TranslationContext ctx) throws TranslationException {
        TorchDType compute = ctx.types().dtype(node.output(0));
        Expr[] ab =
                Operands.promoted(
                        ctx,
                        node.input(0),
                        node.input(1),
                        compute,
                        ctx.types().shape(node.output(0)));
        Expr quotient =
                ctx.nnef()
                        .temp(
                                "floor_quotient",
                                floorQuotient(ctx, ab, compute, ctx.types().rank(node.output(0))));
        ctx.nnef()
                .define(
                        node.output(0),
                        Invocation.of(
                                "sub",
                                ab[0],
                                ctx.nnef()
                                        .temp("multiple", Invocation.of("mul", quotient, ab[1]))));
    }

    private static Expr floorQuotient(
            TranslationContext ctx, Expr[] ab, TorchDType compute, int rank)
            throws TranslationException {
        if (!compute.isFloatingPoint()) {
            return Invocation.of(
                    ctx.nnef().fragment(INT_DIV_FLOOR.get()),
                    ab[0],
                    ab[1],
                    Operands.item(ctx, 1, compute, rank));
        }
        return Invocation.of(
                "floor", ctx.nnef().temp("quotient", Invocation.of("div", ab[0], ab[1])));
    }

    private static void round(Node node, TranslationContext ctx) throws TranslationException {
        Optional<Value> decimals = Args.optional(node, "decimals", 1);
        if (decimals.isPresent() && ctx.values().intArg(decimals.get()) != 0) {
            throw new TranslationException("round with decimals != 0 is not supported");
        }
        // torch rounds half to even; NNEF's round does not say, tract's rounds half away from zero
        ctx.nnef()
                .define(
                        node.output(0),
                        Invocation.of(
                                ctx.tract().tractOp("tract_core_round_even"),
                                ctx.nnef().tensor(node.input(0))));
    }

    /** A unary op whose result has its input's dtype and shape. */
    static void sameShape(NodeTypes n) {
        n.output(0, n.tensor(0));
    }

    /** {@code neg} keeps the dtype and shape, and negates a known size or number. */
    private static void negShape(NodeTypes n) {
        sameShape(n);
        KnownArithmetic.number(n.input(0))
                .ifPresent(k -> n.known(0, k instanceof Dim d ? d.times(-1) : -(Double) k));
    }

    /** A unary op computing in floating point: integer inputs give float32. */
    static void floatingShape(NodeTypes n) {
        TensorType t = n.tensor(0);
        n.output(0, t.dtype().isFloatingPoint() ? t.dtype() : TorchDType.FLOAT32, t.shape());
    }

    /**
     * A binary arithmetic op: operands broadcast and promote, integers divided truly give float32;
     * known sizes held in 0-d int tensors (and known numbers) are folded, and so is arithmetic
     * between numbers that are not tensors ({@code aten::add.int} and friends).
     */
    static void arithmeticShape(NodeTypes n) {
        String op = n.node().kind().substring("aten::".length());
        if (!n.isTensor(0) && !n.isTensor(1)) {
            scalarArithmetic(n, op);
            return;
        }
        TorchDType dtype = ScalarTypes.resultType(List.of(n.input(0), n.input(1)));
        Optional<String> mode =
                op.equals("div")
                        ? namedInput(n, "rounding_mode").flatMap(Value::knownString)
                        : Optional.empty();
        if (op.equals("div") && !dtype.isFloatingPoint() && mode.isEmpty()) {
            dtype = TorchDType.FLOAT32; // true division of integers
        }
        if (op.equals("pow")
                && !dtype.isFloatingPoint()
                && n.input(1).type() instanceof ValueType.FloatType) {
            dtype = TorchDType.FLOAT32;
        }
        n.output(0, dtype, broadcastShape(n, 2));
        String known =
                mode.map(
                                m ->
                                        m.equals("floor")
                                                ? "floor_divide"
                                                : m.equals("trunc") ? "div_trunc" : "?")
                        .orElse(op);
        foldKnown(n, known, dtype);
    }

    /**
     * Integer (or float) arithmetic between non-tensor operands: {@code aten::add.int} and friends.
     *
     * @param n the node
     * @param op the operation's name ({@code add}, {@code sub}, {@code mul}, {@code floordiv},
     *     {@code remainder}, {@code div}; see {@link KnownArithmetic})
     */
    private static void scalarArithmetic(NodeTypes n, String op) {
        boolean ints =
                KnownArithmetic.isIntegral(n.input(0))
                        && KnownArithmetic.isIntegral(n.input(1))
                        && !op.equals("div");
        n.output(0, ints ? ValueType.INT : ValueType.FLOAT);
        if (ints) {
            Optional<Dim> a = n.knownDim(0);
            Optional<Dim> b = n.knownDim(1);
            if (a.isPresent() && b.isPresent()) {
                KnownArithmetic.ints(op, a.get(), b.get()).ifPresent(d -> n.known(0, d));
            }
            return;
        }
        Optional<Double> a = n.input(0).knownDouble();
        Optional<Double> b = n.input(1).knownDouble();
        if (a.isPresent() && b.isPresent()) {
            KnownArithmetic.floats(op, a.get(), b.get(), false).ifPresent(r -> n.known(0, r));
        }
    }

    /**
     * Folds an operation on 0-d tensors whose values are known (sizes from {@code NumToTensor},
     * constants) into the output's known value: a size for integer results, a number for float32
     * and float64 ones.
     */
    private static void foldKnown(NodeTypes n, String op, TorchDType dtype) {
        Optional<Object> a = KnownArithmetic.number(n.input(0));
        Optional<Object> b = KnownArithmetic.number(n.input(1));
        Optional<Value> alphaArg = namedInput(n, "alpha");
        Optional<Object> alpha =
                alphaArg.isPresent()
                        ? KnownArithmetic.number(alphaArg.get())
                        : Optional.of(Dim.of(1));
        if (a.isEmpty() || b.isEmpty() || alpha.isEmpty() || dtype == TorchDType.BOOL) {
            return;
        }
        boolean scalesFirst = op.equals("rsub"); // rsub(self, other, alpha) = other - alpha * self
        if (!dtype.isFloatingPoint()) {
            if (a.get() instanceof Dim x
                    && b.get() instanceof Dim y
                    && alpha.get() instanceof Dim s) {
                KnownArithmetic.ints(op, scalesFirst ? x.times(s) : x, scalesFirst ? y : y.times(s))
                        .ifPresent(d -> n.known(0, d));
            }
            return;
        }
        if (dtype != TorchDType.FLOAT32 && dtype != TorchDType.FLOAT64) {
            return;
        }
        Optional<Double> x = asDouble(a.get());
        Optional<Double> y = asDouble(b.get());
        Optional<Double> s = asDouble(alpha.get());
        if (x.isPresent() && y.isPresent() && s.isPresent()) {
            double first = scalesFirst ? x.get() * s.get() : x.get();
            double second = scalesFirst ? y.get() : y.get() * s.get();
            KnownArithmetic.floats(op, first, second, dtype == TorchDType.FLOAT32)
                    .ifPresent(r -> n.known(0, r));
        }
    }

    private static Optional<Double> asDouble(Object number) {
        if (number instanceof Dim d) {
            return d.isConstant() ? Optional.of((double) d.constant()) : Optional.empty();
        }
        return Optional.of((Double) number);
    }

    /** The input given for the schema argument {@code name}, unless absent or None. */
    private static Optional<Value> namedInput(NodeTypes n, String name) {
        return n.has(name) && !n.isNone(n.at(name))
                ? Optional.of(n.input(n.at(name)))
                : Optional.empty();
    }

    /** The broadcast of the shapes of the first {@code count} inputs that are tensors. */
    static Shape broadcastShape(NodeTypes n, int count) {
        Shape shape = null;
        for (int i = 0; i < count && i < n.inputCount(); i++) {
            if (n.isTensor(i)) {
                Shape s = n.tensor(i).shape();
                shape = shape == null ? s : Broadcast.shapes(n, shape, s);
            }
        }
        if (shape == null) {
            throw new ShapeInferenceException(n.node().kind() + " has no tensor operand");
        }
        return shape;
    }
}
