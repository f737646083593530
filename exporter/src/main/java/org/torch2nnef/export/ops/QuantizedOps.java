package org.torch2nnef.export.ops;

import java.util.ArrayList;
import java.util.List;
import org.torch2nnef.export.OpFamily;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.export.TractTarget;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.export.spi.QuantizedWeights;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType.TensorType;
import org.torch2nnef.graph.shapes.Broadcast;
import org.torch2nnef.graph.shapes.NodeTypes;
import org.torch2nnef.graph.shapes.ShapeInferenceException;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.torchscript.TorchTensor;

/**
 * Eager-mode quantized models ({@code torch.ao.quantization}): {@code aten::quantize_per_tensor},
 * torch's quantized kernels ({@code quantized::conv1d/conv2d}, their {@code _relu} fusions, {@code
 * quantized::linear}, {@code linear_relu}, {@code add}, {@code add_relu}, {@code mul}, {@code cat})
 * and dynamic {@code quantized::linear_dynamic}.
 *
 * <p>The form (tract 0.21.6 on, {@link TractTarget#QUANTIZED_TENSORS}): each tensor torch holds
 * quantized is a {@code tract_core_cast(y, to = "u8")} of the float result, labelled in graph.quant
 * with torch's scale and zero point, so tract stores it as QU8/QI8 (rounding half to even,
 * saturating, as torch's requantization); ops read it through its f32 cast, which dequantizes.
 * Per-tensor int8 weights are {@code i8} {@code .dat} variables labelled in graph.quant; tract
 * 0.21/0.22 read only per-tensor parameters in graph.quant, so per-channel weights are {@code i8}
 * variables dequantized in the graph by a per-channel scale variable (tract folds it at load time).
 * Weight codes and float biases stream from the archive. Biases stay float32, as torch keeps them
 * (see {@link #floatVariable} for why not tract's i32). Arithmetic between quantization points is
 * f32, so results may differ from torch's integer kernels by one quantization step where a value
 * falls near a rounding boundary.
 */
public final class QuantizedOps implements OpFamily {
    private static final String CONV_PARAMS =
            "__torch__.torch.classes.quantized.Conv2dPackedParamsBase packed_weight";
    private static final String LINEAR_PARAMS =
            "__torch__.torch.classes.quantized.LinearPackedParamsBase W_prepack";

    @Override
    public void register(OpRegistry r) {
        r.op(
                        "aten::quantize_per_tensor(Tensor self, float scale, int zero_point, ScalarType dtype) -> Tensor")
                .shape(n -> n.output(0, n.dtype(n.at("dtype")).orElseThrow(), n.tensor(0).shape()))
                .translate(QuantizedOps::quantizePerTensor)
                .tract("tract_core_cast");
        for (String conv : List.of("conv1d", "conv2d")) {
            for (String kind : List.of(conv, conv + "_relu")) {
                r.op(
                                "quantized::"
                                        + kind
                                        + "(Tensor qx, "
                                        + CONV_PARAMS
                                        + ", float output_scale, int output_zero_point) -> Tensor")
                        .shape(QuantizedOps::convShape)
                        .translate(QuantizedOps::conv)
                        .tract("tract_core_cast");
            }
        }
        for (String kind : List.of("linear", "linear_relu")) {
            r.op(
                            "quantized::"
                                    + kind
                                    + "(Tensor X, "
                                    + LINEAR_PARAMS
                                    + ", float Y_scale_i, int Y_zero_point_i) -> Tensor")
                    .shape(QuantizedOps::linearShape)
                    .translate(QuantizedOps::linear)
                    .tract("tract_core_cast");
        }
        for (String kind : List.of("add", "add_relu", "mul")) {
            r.op(
                            "quantized::"
                                    + kind
                                    + "(Tensor qa, Tensor qb, float scale, int zero_point) -> Tensor")
                    .shape(
                            n ->
                                    n.output(
                                            0,
                                            n.tensor(0).dtype(),
                                            Broadcast.shapes(
                                                    n, n.tensor(0).shape(), n.tensor(1).shape())))
                    .translate(QuantizedOps::binary)
                    .tract("tract_core_cast");
        }
        r.op(
                        "quantized::linear_dynamic(Tensor X, "
                                + LINEAR_PARAMS
                                + ", bool reduce_range=False) -> Tensor")
                .shape(QuantizedOps::linearShape)
                .translate(QuantizedOps::linearDynamic)
                .tract("tract_core_cast", "tract_core_round_even");
        r.op("quantized::cat(Tensor[] qx, int dim, float? scale, int? zero_point) -> Tensor")
                .shape(QuantizedOps::catShape)
                .translate(QuantizedOps::cat)
                .tract("tract_core_cast");
    }

    private static void quantizePerTensor(Node node, TranslationContext ctx)
            throws TranslationException {
        ctx.nnef()
                .quantizedOutput(
                        node.output(0),
                        ctx.values().doubleArg(node.input(1)),
                        ctx.values().intArg(node.input(2)));
        ctx.nnef().define(node.output(0), ctx.nnef().tensor(node.input(0)));
    }

    // ---- packed parameters

    /**
     * Weight and bias of a packed-params object, with a convolution's geometry.
     *
     * @param stride per spatial axis (empty for linear)
     */
    private record Packed(
            TorchTensor weight,
            TorchTensor bias,
            long[] stride,
            long[] padding,
            long[] dilation,
            long groups) {}

    /**
     * The packed parameters a quantized op reads: torch 1.13's {@code LinearPackedParamsBase} state
     * {@code (weight, bias)}, or the {@code Conv<N>dPackedParamsBase} the reader makes from a
     * quantized convolution module's state.
     */
    private static Packed packed(Value v) {
        Object known = v.known().orElse(null);
        if (!(known instanceof org.torch2nnef.torchscript.ScriptObject o)
                || !(o.state().orElse(null) instanceof List<?> state)
                || state.isEmpty()
                || !(state.get(0) instanceof TorchTensor weight)) {
            throw new ShapeInferenceException(
                    "packed weights "
                            + v.describe()
                            + " are not the (weight, bias, ...) state torch 1.13 and 2.x write");
        }
        TorchTensor bias = state.size() > 1 && state.get(1) instanceof TorchTensor b ? b : null;
        if (state.size() < 6) {
            return new Packed(weight, bias, new long[0], new long[0], new long[0], 1);
        }
        return new Packed(
                weight,
                bias,
                longs(state.get(2)),
                longs(state.get(3)),
                longs(state.get(4)),
                ((Number) state.get(5)).longValue());
    }

    private static long[] longs(Object list) {
        if (!(list instanceof List<?> l)) {
            throw new ShapeInferenceException("expected a list of integers, got " + list);
        }
        long[] out = new long[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) l.get(i)).longValue();
        }
        return out;
    }

    // ---- shapes

    private static void convShape(NodeTypes n) {
        Packed p = packed(n.input(1));
        TensorType x = n.tensor(0);
        long[] w = p.weight().shape();
        int spatial = w.length - 2;
        if (x.rank() != w.length || p.stride().length != spatial) {
            throw new ShapeInferenceException(
                    "quantized convolution of a rank-"
                            + x.rank()
                            + " input with a rank-"
                            + w.length
                            + " weight; only batched inputs (N, C, ...) are supported");
        }
        List<Dim> out = new ArrayList<>(List.of(x.shape().dims().get(0), Dim.of(w[0])));
        for (int i = 0; i < spatial; i++) {
            long span = p.dilation()[i] * (w[2 + i] - 1);
            out.add(
                    x.shape()
                            .dims()
                            .get(2 + i)
                            .plus(2 * p.padding()[i] - span - 1)
                            .floorDiv(p.stride()[i])
                            .plus(1));
        }
        n.output(0, x.dtype(), new Shape(out));
    }

    private static void linearShape(NodeTypes n) {
        Packed p = packed(n.input(1));
        TensorType x = n.tensor(0);
        if (x.rank() < 1 || p.weight().rank() != 2) {
            throw new ShapeInferenceException("quantized linear of a 0-d input");
        }
        List<Dim> out = new ArrayList<>(x.shape().dims().subList(0, x.rank() - 1));
        out.add(Dim.of(p.weight().shape()[0]));
        n.output(0, x.dtype(), new Shape(out));
    }

    private static void catShape(NodeTypes n) {
        List<Value> parts = n.listElements(0);
        TensorType first = parts.get(0).tensorType().orElseThrow();
        int axis = Shape.normalizeAxis(n.integer(1), first.rank());
        Dim sum = Dim.of(0);
        for (Value v : parts) {
            sum = sum.plus(v.tensorType().orElseThrow().shape().dims().get(axis));
        }
        n.output(0, first.dtype(), first.shape().with(axis, sum));
    }

    // ---- translators

    private static void conv(Node node, TranslationContext ctx) throws TranslationException {
        Packed p = packed(node.input(1));
        int spatial = p.weight().rank() - 2;
        if (p.groups() < 1) {
            throw new TranslationException("groups " + p.groups() + " in the packed weights");
        }
        List<Expr> padding = new ArrayList<>();
        for (long pad : p.padding()) {
            padding.add(Expr.tuple(Expr.of(pad), Expr.of(pad)));
        }
        Expr bias =
                p.bias() == null
                        ? Expr.of(0.0f)
                        : ctx.nnef()
                                .temp(
                                        "bias",
                                        Invocation.builder("unsqueeze")
                                                .arg(floatVariable(ctx, "bias", p.bias()))
                                                .arg("axes", Expr.ints(0))
                                                .build());
        Invocation conv =
                Invocation.builder("conv")
                        .arg(ctx.nnef().tensor(node.input(0)))
                        .arg(weight(ctx, p.weight(), spatial + 2))
                        .arg(bias)
                        .arg("border", "constant")
                        .arg("padding", Expr.array(padding))
                        .arg("stride", Expr.ints(p.stride()))
                        .arg("dilation", Expr.ints(p.dilation()))
                        .arg("groups", p.groups())
                        .build();
        requantized(node, ctx, conv, node.kind().endsWith("_relu"));
    }

    private static void linear(Node node, TranslationContext ctx) throws TranslationException {
        Expr x = ctx.nnef().tensor(node.input(0));
        requantized(node, ctx, linearOf(node, ctx, x), node.kind().endsWith("_relu"));
    }

    /**
     * {@code quantized::linear_dynamic}: int8 weights, float input quantized at run time from its
     * own range, as torch's x86 (fbgemm) kernel does per call ({@link
     * QuantizedWeights#dynamicQuantizer}: 127 levels when {@code reduce_range}, else 255),
     * dequantized; then the float product with the dequantized weight and the float bias. The
     * output is float, as torch's. (qnnpack ignores {@code reduce_range} and quantizes to 255
     * levels.)
     */
    private static void linearDynamic(Node node, TranslationContext ctx)
            throws TranslationException {
        boolean reduceRange = node.inputs().size() > 2 && ctx.values().boolArg(node.input(2));
        Expr x =
                QuantizedWeights.dynamicallyQuantized(
                        ctx.nnef(),
                        ctx.tract(),
                        ctx.nnef().tensor(node.input(0)),
                        ctx.types().rank(node.input(0)),
                        reduceRange ? 127 : 255);
        ctx.nnef().define(node.output(0), linearOf(node, ctx, x));
    }

    /** The float product of a packed linear's weight with {@code x}, plus its bias. */
    private static Expr linearOf(Node node, TranslationContext ctx, Expr x)
            throws TranslationException {
        Packed p = packed(node.input(1));
        int rank = ctx.types().rank(node.input(0));
        Expr w = weight(ctx, p.weight(), 2);
        if (rank > 2) {
            // the weight (and bias) unsqueezed to x's rank, as for aten::linear: flattening x to
            // rows instead makes tract 0.21's ChangeAxes pass fail on the reshape ("Incompatible
            // reshape for shape [1, 1, 1]") once x is read through a quantized tensor's cast
            Expr weight = ctx.nnef().temp("weight", unsqueezed(w, rank - 2));
            return LinearOps.projection(
                    ctx,
                    x,
                    rank,
                    weight,
                    p.bias() == null
                            ? null
                            : () ->
                                    ctx.nnef()
                                            .temp(
                                                    "bias",
                                                    unsqueezed(
                                                            floatVariable(ctx, "bias", p.bias()),
                                                            rank - 1)));
        }
        Expr product =
                Invocation.builder("matmul")
                        .arg(x)
                        .arg(w)
                        .arg("transposeA", false)
                        .arg("transposeB", true)
                        .build();
        return p.bias() == null
                ? product
                : Invocation.of(
                        "add",
                        ctx.nnef().temp("product", product),
                        ctx.nnef()
                                .temp("bias", unsqueezed(floatVariable(ctx, "bias", p.bias()), 1)));
    }

    /** {@code x} with {@code count} leading axes of size 1. */
    private static Invocation unsqueezed(Expr x, int count) {
        return Invocation.builder("unsqueeze").arg(x).arg("axes", Axes.range(0, count)).build();
    }

    private static void binary(Node node, TranslationContext ctx) throws TranslationException {
        Expr y =
                Invocation.of(
                        node.kind().equals("quantized::mul") ? "mul" : "add",
                        ctx.nnef().tensor(node.input(0)),
                        ctx.nnef().tensor(node.input(1)));
        requantized(node, ctx, y, node.kind().endsWith("_relu"));
    }

    private static void cat(Node node, TranslationContext ctx) throws TranslationException {
        List<Value> parts = ctx.values().listElements(node.input(0));
        List<Expr> pieces = new ArrayList<>();
        for (Value v : parts) {
            pieces.add(ctx.nnef().tensor(v));
        }
        int axis =
                Axes.normalize(ctx.values().intArg(node.input(1)), ctx.types().rank(parts.get(0)));
        Expr y = Invocation.builder("concat").arg(Expr.array(pieces)).arg("axis", axis).build();
        if (ctx.values().isNone(node.input(2)) || ctx.values().isNone(node.input(3))) {
            throw new TranslationException(
                    "quantized::cat without an output scale and zero point is not exported");
        }
        requantized(node, ctx, y, false);
    }

    /**
     * Defines the node's output as {@code y} (after a relu for the fused kernels) quantized with
     * the output scale and zero point the op's arguments 2 and 3 give.
     */
    private static void requantized(Node node, TranslationContext ctx, Expr y, boolean relu)
            throws TranslationException {
        int scale = node.inputs().size() - 2;
        ctx.nnef()
                .quantizedOutput(
                        node.output(0),
                        ctx.values().doubleArg(node.input(scale)),
                        ctx.values().intArg(node.input(scale + 1)));
        ctx.nnef()
                .define(
                        node.output(0),
                        relu ? Invocation.of("relu", ctx.nnef().temp("linear", y)) : y);
    }

    private static Expr weight(TranslationContext ctx, TorchTensor w, int rank)
            throws TranslationException {
        return QuantizedWeights.dequantized(ctx.nnef(), ctx.tract(), w, rank);
    }

    private static Expr floatVariable(TranslationContext ctx, String role, TorchTensor t)
            throws TranslationException {
        return QuantizedWeights.floatVariable(ctx.nnef(), role, t);
    }
}
