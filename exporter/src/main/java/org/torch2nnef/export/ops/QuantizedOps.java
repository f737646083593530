package org.torch2nnef.export.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
import org.torch2nnef.nnef.model.Quantization.ZeroPointLinear;
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
 * (see {@link #floatVariable} for why not tract's i32). The arithmetic is torch's own (x86/fbgemm):
 * conv and linear sum the codes ({@link QuantizedProduct}), add reads its operands as torch's fma
 * dequantization does ({@link QuantizedAdd}), mul multiplies codes, and every result is put on
 * torch's requantization grid ({@link #steps}) before the cast.
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
                .tract("tract_core_cast", "tract_core_round_even");
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
                        .tract("tract_core_cast", "tract_core_round_even");
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
                    .tract("tract_core_cast", "tract_core_round_even");
        }
        for (String kind : List.of("add", "add_relu", "mul")) {
            // add: QuantizedAdd picks torch's dequantized values with tract_core_gather
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
                    .tract(
                            kind.equals("mul")
                                    ? new String[] {"tract_core_cast", "tract_core_round_even"}
                                    : new String[] {
                                        "tract_core_cast",
                                        "tract_core_round_even",
                                        "tract_core_gather"
                                    });
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
                .tract("tract_core_cast", "tract_core_round_even");
    }

    private static void quantizePerTensor(Node node, TranslationContext ctx)
            throws TranslationException {
        double scale = ctx.values().doubleArg(node.input(1));
        ctx.nnef().quantizedOutput(node.output(0), scale, ctx.values().intArg(node.input(2)));
        ctx.nnef().define(node.output(0), steps(ctx, ctx.nnef().tensor(node.input(0)), scale));
    }

    /**
     * {@code y} rounded to the nearest multiple of {@code scale} as torch quantizes ({@code
     * quantize_val}, fbgemm's requantization): {@code round_half_even(y * (1.0f / scale)) * scale}.
     * tract's cast to a quantized type divides by the scale instead, which lands on the other side
     * of a tie when the product is a few ulps from one (a depthwise convolution of mobilenet_v2:
     * {@code (acc * s + bias) / 0.028003586} is exactly 30.5 in f32, torch's product 30.500002); on
     * this grid the cast that follows only adds the zero point and saturates.
     */
    private static Expr steps(TranslationContext ctx, Expr y, double scale)
            throws TranslationException {
        String roundEven = ctx.tract().tractOp("tract_core_round_even");
        float s = (float) scale;
        Expr value = y instanceof Expr.Id ? y : temp(ctx, "float", y);
        Expr scaled = temp(ctx, "scaled", Invocation.of("mul", value, Expr.of(1.0f / s)));
        Expr codes = temp(ctx, "codes", Invocation.of(roundEven, scaled));
        return Invocation.of("mul", codes, Expr.of(s));
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
        Optional<QuantizedProduct> integer =
                QuantizedProduct.of(ctx, node.input(0), p.weight(), spatial + 2);
        Expr bias =
                p.bias() == null || integer.isPresent()
                        ? Expr.of(0.0f)
                        : ctx.nnef()
                                .temp(
                                        "bias",
                                        Invocation.builder("unsqueeze")
                                                .arg(floatVariable(ctx, "bias", p.bias()))
                                                .arg("axes", Expr.ints(0))
                                                .build());
        Expr conv =
                Invocation.builder("conv")
                        .arg(
                                integer.isPresent()
                                        ? integer.get().input()
                                        : ctx.nnef().tensor(node.input(0)))
                        .arg(
                                integer.isPresent()
                                        ? integer.get().weight()
                                        : weight(ctx, p.weight(), spatial + 2))
                        .arg(bias)
                        .arg("border", "constant")
                        .arg("padding", Expr.array(padding))
                        .arg("stride", Expr.ints(p.stride()))
                        .arg("dilation", Expr.ints(p.dilation()))
                        .arg("groups", p.groups())
                        .build();
        if (integer.isPresent()) {
            conv =
                    integer.get()
                            .rescaled(
                                    ctx,
                                    ctx.nnef().temp("accumulator", conv),
                                    p.bias(),
                                    spatial + 2,
                                    1);
        }
        requantized(node, ctx, conv, node.kind().endsWith("_relu"));
    }

    private static void linear(Node node, TranslationContext ctx) throws TranslationException {
        Packed p = packed(node.input(1));
        int rank = ctx.types().rank(node.input(0));
        Optional<QuantizedProduct> integer = QuantizedProduct.of(ctx, node.input(0), p.weight(), 2);
        Expr y =
                integer.isPresent()
                        ? integer.get()
                                .rescaled(
                                        ctx,
                                        ctx.nnef()
                                                .temp(
                                                        "accumulator",
                                                        product(
                                                                ctx,
                                                                integer.get().input(),
                                                                rank,
                                                                integer.get().weight(),
                                                                null)),
                                        p.bias(),
                                        rank,
                                        rank - 1)
                        : linearOf(node, ctx, ctx.nnef().tensor(node.input(0)));
        requantized(node, ctx, y, node.kind().endsWith("_relu"));
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

    private static Expr temp(TranslationContext ctx, String role, Expr value) {
        return ctx.nnef().temp(role, value);
    }

    /** The float product of a packed linear's weight with {@code x}, plus its bias. */
    private static Expr linearOf(Node node, TranslationContext ctx, Expr x)
            throws TranslationException {
        Packed p = packed(node.input(1));
        int rank = ctx.types().rank(node.input(0));
        return product(ctx, x, rank, weight(ctx, p.weight(), 2), p.bias());
    }

    /**
     * {@code x} (of rank {@code rank}) times the transposed linear weight {@code w}, plus {@code
     * bias} unless null.
     */
    static Expr product(TranslationContext ctx, Expr x, int rank, Expr w, TorchTensor bias)
            throws TranslationException {
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
                    bias == null
                            ? null
                            : () ->
                                    ctx.nnef()
                                            .temp(
                                                    "bias",
                                                    unsqueezed(
                                                            floatVariable(ctx, "bias", bias),
                                                            rank - 1)));
        }
        Expr product =
                Invocation.builder("matmul")
                        .arg(x)
                        .arg(w)
                        .arg("transposeA", false)
                        .arg("transposeB", true)
                        .build();
        return bias == null
                ? product
                : Invocation.of(
                        "add",
                        ctx.nnef().temp("product", product),
                        ctx.nnef().temp("bias", unsqueezed(floatVariable(ctx, "bias", bias), 1)));
    }

    /** {@code x} with {@code count} leading axes of size 1. */
    static Invocation unsqueezed(Expr x, int count) {
        return Invocation.builder("unsqueeze").arg(x).arg("axes", Axes.range(0, count)).build();
    }

    private static void binary(Node node, TranslationContext ctx) throws TranslationException {
        Value a = node.input(0);
        Value b = node.input(1);
        if (!node.kind().equals("quantized::mul")) {
            Expr y =
                    Invocation.of(
                            "add", QuantizedAdd.operand(ctx, a), QuantizedAdd.operand(ctx, b));
            requantized(node, ctx, y, node.kind().endsWith("_relu"));
            return;
        }
        Optional<ZeroPointLinear> qa = ctx.nnef().quantization(a);
        Optional<ZeroPointLinear> qb = ctx.nnef().quantization(b);
        if (qa.isEmpty() || qb.isEmpty()) {
            Expr y = Invocation.of("mul", ctx.nnef().tensor(a), ctx.nnef().tensor(b));
            requantized(node, ctx, y, false);
            return;
        }
        // torch's qmul_kernel: the product of the codes (exact in f32) times the f32 multiplier
        // a_scale * b_scale * (1 / scale), rounded half to even (requantize_from_int)
        double scale = ctx.values().doubleArg(node.input(2));
        ctx.nnef().quantizedOutput(node.output(0), scale, ctx.values().intArg(node.input(3)));
        float s = (float) scale;
        float multiplier = qa.get().scale() * qb.get().scale() * (1.0f / s);
        Expr product =
                temp(
                        ctx,
                        "product",
                        Invocation.of(
                                "mul",
                                QuantizedProduct.codes(ctx, ctx.nnef().tensor(a), qa.get().scale()),
                                QuantizedProduct.codes(
                                        ctx, ctx.nnef().tensor(b), qb.get().scale())));
        Expr scaled = temp(ctx, "scaled", Invocation.of("mul", product, Expr.of(multiplier)));
        Expr codes =
                temp(
                        ctx,
                        "codes",
                        Invocation.of(ctx.tract().tractOp("tract_core_round_even"), scaled));
        ctx.nnef().define(node.output(0), Invocation.of("mul", codes, Expr.of(s)));
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
        int at = node.inputs().size() - 2;
        double scale = ctx.values().doubleArg(node.input(at));
        ctx.nnef().quantizedOutput(node.output(0), scale, ctx.values().intArg(node.input(at + 1)));
        Expr value = relu ? Invocation.of("relu", temp(ctx, "linear", y)) : y;
        ctx.nnef().define(node.output(0), steps(ctx, value, scale));
    }

    private static Expr weight(TranslationContext ctx, TorchTensor w, int rank)
            throws TranslationException {
        return QuantizedWeights.dequantized(ctx.nnef(), ctx.tract(), w, rank);
    }

    /** A bias as an f32 variable ({@link QuantizedWeights#floatVariable}: why not tract's i32). */
    static Expr floatVariable(TranslationContext ctx, String role, TorchTensor t)
            throws TranslationException {
        return QuantizedWeights.floatVariable(ctx.nnef(), role, t);
    }
}
