package org.torch2nnef.export.ops;

import java.util.Arrays;
import java.util.Optional;
import org.torch2nnef.export.FragmentText;
import org.torch2nnef.export.OpFamily;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType.TensorType;
import org.torch2nnef.graph.shapes.NodeTypes;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Fragment;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.torchscript.TorchDType;

/**
 * Activations: {@code relu}, {@code sigmoid}, {@code tanh}, {@code leaky_relu}, {@code prelu},
 * {@code hardtanh}, {@code relu6}, {@code clamp}, {@code softmax} as standard NNEF ops; {@code
 * elu}, {@code selu}, {@code gelu} (tanh approximation), {@code silu}, {@code mish}, {@code
 * softplus}, {@code hardswish}, {@code hardsigmoid}, {@code log_softmax} (tract's {@code
 * tract_core_log_softmax} when the target tract reads it) as helper fragments over standard ops;
 * exact {@code gelu} through the tract extension {@code tract_core_erf}.
 */
public final class ActivationOps implements OpFamily {
    /** torch's SELU constants (torch.nn.SELU documentation). */
    private static final double SELU_ALPHA = 1.6732632423543772848170429916717;

    private static final double SELU_SCALE = 1.0507009873554804934193349852946;

    // tract's stdlib elu has no alpha, so ELU is spelled out; x * input_scale mirrors torch's elu
    private static final FragmentText.Lazy ELU =
            FragmentText.lazy(
                    """
            fragment t2n_elu( x: tensor<scalar>, alpha: scalar, scale: scalar, input_scale: scalar )
                -> ( y: tensor<scalar> )
            {
                y = scale * select(x < 0.0, alpha * (exp(x * input_scale) - 1.0), x);
            }""");
    private static final FragmentText.Lazy GELU_TANH =
            FragmentText.lazy(
                    """
            fragment t2n_gelu_tanh( x: tensor<scalar> ) -> ( y: tensor<scalar> )
            {
                y = 0.5 * x * (1.0 + tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)));
            }""");
    private static final FragmentText.Lazy GELU_ERF =
            FragmentText.lazy(
                    """
            fragment t2n_gelu_erf( x: tensor<scalar> ) -> ( y: tensor<scalar> )
            {
                y = 0.5 * x * (1.0 + tract_core_erf(x * 0.7071067811865476));
            }""");
    private static final FragmentText.Lazy SILU =
            FragmentText.lazy(
                    """
            fragment t2n_silu( x: tensor<scalar> ) -> ( y: tensor<scalar> )
            {
                y = x * sigmoid(x);
            }""");
    // exp overflows to inf for large x; log(inf) = inf and tanh(inf) = 1 keep the result exact
    private static final FragmentText.Lazy MISH =
            FragmentText.lazy(
                    """
            fragment t2n_mish( x: tensor<scalar> ) -> ( y: tensor<scalar> )
            {
                y = x * tanh(log(exp(x) + 1.0));
            }""");
    private static final FragmentText.Lazy SOFTPLUS =
            FragmentText.lazy(
                    """
            fragment t2n_softplus( x: tensor<scalar>, beta: scalar, threshold: scalar ) -> ( y: tensor<scalar> )
            {
                y = select(x * beta > threshold, x, log(exp(x * beta) + 1.0) / beta);
            }""");
    private static final FragmentText.Lazy HARDSWISH =
            FragmentText.lazy(
                    """
            fragment t2n_hardswish( x: tensor<scalar> ) -> ( y: tensor<scalar> )
            {
                y = x * clamp(x + 3.0, 0.0, 6.0) / 6.0;
            }""");
    private static final FragmentText.Lazy HARDSIGMOID =
            FragmentText.lazy(
                    """
            fragment t2n_hardsigmoid( x: tensor<scalar> ) -> ( y: tensor<scalar> )
            {
                y = clamp(x / 6.0 + 0.5, 0.0, 1.0);
            }""");
    private static final FragmentText.Lazy LOG_SOFTMAX =
            FragmentText.lazy(
                    """
            fragment t2n_log_softmax( x: tensor<scalar>, axes: integer[] ) -> ( y: tensor<scalar> )
            {
                m = max_reduce(x, axes = axes);
                s = x - m;
                y = s - log(sum_reduce(exp(s), axes = axes));
            }""");

    @Override
    public void register(OpRegistry r) {
        r.op("aten::relu(Tensor self) -> Tensor")
                .shape(ElementwiseOps::sameShape)
                .translate((node, ctx) -> standard(node, ctx, "relu"));
        r.op("aten::sigmoid(Tensor self) -> Tensor")
                .shape(ElementwiseOps::floatingShape)
                .translate((node, ctx) -> standard(node, ctx, "sigmoid"));
        r.op("aten::tanh(Tensor self) -> Tensor")
                .shape(ElementwiseOps::floatingShape)
                .translate((node, ctx) -> standard(node, ctx, "tanh"));
        r.op("aten::silu(Tensor self) -> Tensor")
                .shape(ElementwiseOps::floatingShape)
                .translate((node, ctx) -> helper(node, ctx, SILU.get()));
        r.op("aten::mish(Tensor self) -> Tensor")
                .shape(ElementwiseOps::floatingShape)
                .translate((node, ctx) -> helper(node, ctx, MISH.get()));
        r.op("aten::hardswish(Tensor self) -> Tensor")
                .shape(ElementwiseOps::floatingShape)
                .translate((node, ctx) -> helper(node, ctx, HARDSWISH.get()));
        r.op("aten::hardsigmoid(Tensor self) -> Tensor")
                .shape(ElementwiseOps::floatingShape)
                .translate((node, ctx) -> helper(node, ctx, HARDSIGMOID.get()));
        r.op("aten::leaky_relu(Tensor self, Scalar negative_slope=0.01) -> Tensor")
                .shape(ElementwiseOps::sameShape)
                .translate(ActivationOps::leakyRelu);
        r.op("aten::prelu(Tensor self, Tensor weight) -> Tensor")
                .shape(ElementwiseOps::sameShape)
                .translate(ActivationOps::prelu);
        r.op(
                        "aten::elu(Tensor self, Scalar alpha=1, Scalar scale=1, Scalar input_scale=1) -> Tensor")
                .shape(ElementwiseOps::floatingShape)
                .translate(ActivationOps::elu);
        r.op("aten::selu(Tensor self) -> Tensor")
                .shape(ElementwiseOps::floatingShape)
                .translate(ActivationOps::selu);
        r.op("aten::gelu(Tensor self, *, str approximate=\"none\") -> Tensor")
                .shape(ElementwiseOps::floatingShape)
                .translate(ActivationOps::gelu)
                .tract("tract_core_erf");
        r.op("aten::softplus(Tensor self, Scalar beta=1, Scalar threshold=20) -> Tensor")
                .shape(ElementwiseOps::floatingShape)
                .translate(ActivationOps::softplus);
        r.op("aten::hardtanh(Tensor self, Scalar min_val=-1, Scalar max_val=1) -> Tensor")
                .shape(ElementwiseOps::sameShape)
                .translate(ActivationOps::hardtanh);
        r.op("aten::relu6(Tensor self) -> Tensor")
                .shape(ElementwiseOps::sameShape)
                .translate((node, ctx) -> clampTo(node, ctx, 0.0, 6.0));
        r.op("aten::clamp(Tensor self, Scalar? min=None, Scalar? max=None) -> Tensor")
                .overload(
                        "aten::clamp.Tensor(Tensor self, Tensor? min=None, Tensor? max=None) -> Tensor")
                .shape(ElementwiseOps::sameShape)
                .translate(ActivationOps::clamp);
        r.op("aten::softmax.int(Tensor self, int dim, ScalarType? dtype=None) -> Tensor")
                .shape(ActivationOps::softmaxShape)
                .translate(ActivationOps::softmax);
        r.op("aten::log_softmax.int(Tensor self, int dim, ScalarType? dtype=None) -> Tensor")
                .shape(ActivationOps::softmaxShape)
                .translate(ActivationOps::softmax)
                .tract("tract_core_log_softmax");
        // core ATen (torch.export after run_decompositions)
        r.op("aten::_softmax(Tensor self, int dim, bool half_to_float) -> Tensor")
                .shape(ActivationOps::softmaxShape)
                .translate(ActivationOps::softmax);
        r.op("aten::_log_softmax(Tensor self, int dim, bool half_to_float) -> Tensor")
                .shape(ActivationOps::softmaxShape)
                .translate(ActivationOps::softmax)
                .tract("tract_core_log_softmax");
    }

    /** softmax keeps the shape, and the dtype unless one is given. */
    private static void softmaxShape(NodeTypes n) {
        TensorType t = n.tensor(0);
        Shape.normalizeAxis(n.integer(n.at("dim")), Math.max(1, t.rank()));
        Optional<TorchDType> dtype = n.has("dtype") ? n.dtype(n.at("dtype")) : Optional.empty();
        n.output(0, dtype.orElse(t.dtype()), t.shape());
    }

    private static Expr scalar(double v) {
        return Expr.of((float) v);
    }

    private static void standard(Node node, TranslationContext ctx, String op)
            throws TranslationException {
        ctx.nnef().define(node.output(0), Invocation.of(op, ctx.nnef().tensor(node.input(0))));
    }

    private static void helper(Node node, TranslationContext ctx, Fragment f)
            throws TranslationException {
        ctx.nnef()
                .define(
                        node.output(0),
                        Invocation.of(ctx.nnef().fragment(f), ctx.nnef().tensor(node.input(0))));
    }

    private static double number(
            TranslationContext ctx, Node node, String name, int position, double otherwise)
            throws TranslationException {
        Optional<Value> v = Args.optional(node, name, position);
        return v.isPresent() && !ctx.values().isNone(v.get())
                ? ctx.values().doubleArg(v.get())
                : otherwise;
    }

    private static void leakyRelu(Node node, TranslationContext ctx) throws TranslationException {
        double slope = number(ctx, node, "negative_slope", 1, 0.01);
        ctx.nnef()
                .define(
                        node.output(0),
                        Invocation.builder("leaky_relu")
                                .arg(ctx.nnef().tensor(node.input(0)))
                                .arg("alpha", scalar(slope))
                                .build());
    }

    /**
     * torch's weight has one slope per channel (axis 1) or one for all; reshaped to {@code [1, C,
     * 1, ...]}.
     */
    private static void prelu(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        Value w = Args.get(node, "weight", 1);
        int rank = ctx.types().rank(x);
        long count =
                ctx.types().shape(w).volume().isConstant()
                        ? ctx.types().shape(w).volume().constant()
                        : -1;
        long[] shape = new long[Math.max(rank, 1)];
        Arrays.fill(shape, 1);
        if (count != 1) {
            if (rank < 2) {
                throw new TranslationException(
                        "prelu with " + count + " slopes needs a channel axis (rank >= 2)");
            }
            shape[1] = count;
        }
        Expr alpha =
                ctx.nnef()
                        .temp(
                                "alpha",
                                Invocation.builder("reshape")
                                        .arg(ctx.nnef().tensor(w))
                                        .arg("shape", Expr.ints(shape))
                                        .build());
        ctx.nnef().define(node.output(0), Invocation.of("prelu", ctx.nnef().tensor(x), alpha));
    }

    private static void elu(Node node, TranslationContext ctx) throws TranslationException {
        ctx.nnef()
                .define(
                        node.output(0),
                        Invocation.builder(ctx.nnef().fragment(ELU.get()))
                                .arg(ctx.nnef().tensor(node.input(0)))
                                .arg("alpha", scalar(number(ctx, node, "alpha", 1, 1.0)))
                                .arg("scale", scalar(number(ctx, node, "scale", 2, 1.0)))
                                .arg(
                                        "input_scale",
                                        scalar(number(ctx, node, "input_scale", 3, 1.0)))
                                .build());
    }

    private static void selu(Node node, TranslationContext ctx) throws TranslationException {
        ctx.nnef()
                .define(
                        node.output(0),
                        Invocation.builder(ctx.nnef().fragment(ELU.get()))
                                .arg(ctx.nnef().tensor(node.input(0)))
                                .arg("alpha", scalar(SELU_ALPHA))
                                .arg("scale", scalar(SELU_SCALE))
                                .arg("input_scale", scalar(1.0))
                                .build());
    }

    private static void gelu(Node node, TranslationContext ctx) throws TranslationException {
        Optional<Value> approximate = Args.optional(node, "approximate", 1);
        String mode = approximate.flatMap(ctx.values()::known).map(String::valueOf).orElse("none");
        switch (mode) {
            case "none" ->
                    ctx.nnef()
                            .define(node.output(0), geluErf(ctx, ctx.nnef().tensor(node.input(0))));
            case "tanh" -> helper(node, ctx, GELU_TANH.get());
            default -> throw new TranslationException("unknown gelu approximation '" + mode + "'");
        }
    }

    /**
     * @param ctx the translation
     * @param x a float tensor
     * @return the exact (erf) GELU of {@code x}, through tract's {@code tract_core_erf}
     * @throws TranslationException under {@code --nnef-spec-strict}, which has no erf
     */
    static Invocation geluErf(TranslationContext ctx, Expr x) throws TranslationException {
        ctx.tract().tractOp("tract_core_erf");
        return Invocation.of(ctx.nnef().fragment(GELU_ERF.get()), x);
    }

    private static void softplus(Node node, TranslationContext ctx) throws TranslationException {
        ctx.nnef()
                .define(
                        node.output(0),
                        Invocation.builder(ctx.nnef().fragment(SOFTPLUS.get()))
                                .arg(ctx.nnef().tensor(node.input(0)))
                                .arg("beta", scalar(number(ctx, node, "beta", 1, 1.0)))
                                .arg("threshold", scalar(number(ctx, node, "threshold", 2, 20.0)))
                                .build());
    }

    private static void hardtanh(Node node, TranslationContext ctx) throws TranslationException {
        clampTo(
                node,
                ctx,
                number(ctx, node, "min_val", 1, -1.0),
                number(ctx, node, "max_val", 2, 1.0));
    }

    private static void clampTo(Node node, TranslationContext ctx, double lo, double hi)
            throws TranslationException {
        ctx.nnef()
                .define(
                        node.output(0),
                        Invocation.of(
                                "clamp", ctx.nnef().tensor(node.input(0)), scalar(lo), scalar(hi)));
    }

    /** Bounds must be numbers known at export time; a missing bound leaves that side open. */
    private static void clamp(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        Optional<Value> min = Args.optional(node, "min", 1).filter(v -> !ctx.values().isNone(v));
        Optional<Value> max = Args.optional(node, "max", 2).filter(v -> !ctx.values().isNone(v));
        for (Value bound : new Value[] {min.orElse(null), max.orElse(null)}) {
            if (bound != null && Operands.isTensor(ctx, bound)) {
                throw new TranslationException("clamp with tensor bounds is not supported yet");
            }
        }
        if (min.isPresent() && max.isPresent()) {
            ctx.nnef()
                    .define(
                            node.output(0),
                            Invocation.of(
                                    "clamp",
                                    ctx.nnef().tensor(x),
                                    ctx.nnef().tensorLike(min.get(), x),
                                    ctx.nnef().tensorLike(max.get(), x)));
        } else if (min.isPresent()) {
            ctx.nnef()
                    .define(
                            node.output(0),
                            Invocation.of(
                                    "max",
                                    ctx.nnef().tensor(x),
                                    ctx.nnef().tensorLike(min.get(), x)));
        } else if (max.isPresent()) {
            ctx.nnef()
                    .define(
                            node.output(0),
                            Invocation.of(
                                    "min",
                                    ctx.nnef().tensor(x),
                                    ctx.nnef().tensorLike(max.get(), x)));
        } else {
            ctx.nnef().alias(node.output(0), x);
        }
    }

    private static void softmax(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        Optional<Value> dtype = Args.optional(node, "dtype", 2);
        if (dtype.isPresent() && !ctx.values().isNone(dtype.get())) {
            throw new TranslationException("softmax with a dtype argument is not supported yet");
        }
        Optional<Value> halfToFloat = node.input("half_to_float");
        if (halfToFloat.isPresent() && ctx.values().boolArg(halfToFloat.get())) {
            throw new TranslationException("softmax with half_to_float=True is not supported");
        }
        int axis =
                Axes.normalize(ctx.values().intArg(Args.get(node, "dim", 1)), ctx.types().rank(x));
        boolean log = node.kind().endsWith("log_softmax");
        // tract's own log_softmax where the target reads it (TractTarget), the standard fragment
        // otherwise
        String op =
                !log
                        ? "softmax"
                        : ctx.tract().tractAllows("tract_core_log_softmax")
                                ? ctx.tract().tractOp("tract_core_log_softmax")
                                : ctx.nnef().fragment(LOG_SOFTMAX.get());
        ctx.nnef()
                .define(
                        node.output(0),
                        Invocation.builder(op)
                                .arg(ctx.nnef().tensor(x))
                                .arg("axes", Expr.ints(axis))
                                .build());
    }
}
