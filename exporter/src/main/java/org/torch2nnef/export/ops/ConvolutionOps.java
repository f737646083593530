package org.torch2nnef.export.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.torch2nnef.export.OpFamily;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.export.OpTranslator;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType.TensorType;
import org.torch2nnef.graph.shapes.NodeTypes;
import org.torch2nnef.graph.shapes.ShapeInferenceException;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;

/**
 * Convolutions: {@code _convolution}, {@code convolution}, {@code conv1d/2d/3d}, {@code
 * _convolution_mode} ({@code padding='same'/'valid'}) and {@code conv_transpose1d/2d/3d} as NNEF
 * {@code conv} / {@code deconv} with explicit padding, stride, dilation and groups. Biases become
 * {@code [1, C]} as NNEF requires.
 *
 * <p>Transposed weights: torch stores {@code [C_in, C_out/g, k...]}, as Khronos' {@code deconv}
 * reads its filter (NNEF-Tools' shape rule: filter batch equals the input channels), so {@code
 * --nnef-spec-strict} passes it as is; tract's {@code deconv} reads {@code [C_out, C_in/g, k...]},
 * so for tract the weight is regrouped in the graph (tract folds it). {@code output_padding} (extra
 * rows at the end) becomes a smaller end padding {@code p - op}; beyond the full output, the extra
 * rows are appended with {@code pad} and the bias added afterwards.
 */
public final class ConvolutionOps implements OpFamily {

    /** Where each argument sits in one op's schema. */
    private record Layout(
            int stride, int padding, int dilation, int transposed, int outputPadding, int groups) {}

    private static final Layout CONVOLUTION = new Layout(3, 4, 5, 6, 7, 8);
    private static final Layout CONV = new Layout(3, 4, 5, -1, -1, 6);
    private static final Layout CONV_TRANSPOSE = new Layout(3, 4, 7, -1, 5, 6);

    @Override
    public void register(OpRegistry r) {
        OpTranslator convolution = (node, ctx) -> convolution(node, ctx, CONVOLUTION, false);
        r.op(
                        "aten::_convolution(Tensor input, Tensor weight, Tensor? bias, int[] stride, int[] padding, int[] dilation, bool transposed, int[] output_padding, int groups, bool benchmark, bool deterministic, bool cudnn_enabled, bool allow_tf32) -> Tensor")
                .overload(
                        "aten::_convolution.deprecated(Tensor input, Tensor weight, Tensor? bias, int[] stride, int[] padding, int[] dilation, bool transposed, int[] output_padding, int groups, bool benchmark, bool deterministic, bool cudnn_enabled) -> Tensor")
                .shape(ConvolutionOps::convShape)
                .translate(convolution);
        // what torch.ops.aten.convolution and torch 2's traces record
        r.op(
                        "aten::convolution(Tensor input, Tensor weight, Tensor? bias, int[] stride, int[] padding, int[] dilation, bool transposed, int[] output_padding, int groups) -> Tensor")
                .shape(ConvolutionOps::convShape)
                .translate(convolution);
        OpTranslator conv = (node, ctx) -> convolution(node, ctx, CONV, false);
        for (String signature :
                List.of(
                        "aten::conv1d(Tensor input, Tensor weight, Tensor? bias=None, int[1] stride=1, int[1] padding=0, int[1] dilation=1, int groups=1) -> Tensor",
                        "aten::conv2d(Tensor input, Tensor weight, Tensor? bias=None, int[2] stride=1, int[2] padding=0, int[2] dilation=1, int groups=1) -> Tensor",
                        "aten::conv3d(Tensor input, Tensor weight, Tensor? bias=None, int[3] stride=1, int[3] padding=0, int[3] dilation=1, int groups=1) -> Tensor",
                        // what nn.Conv traces to with padding='same' / 'valid'
                        "aten::_convolution_mode(Tensor input, Tensor weight, Tensor? bias, int[] stride, str padding, int[] dilation, int groups) -> Tensor")) {
            r.op(signature).shape(ConvolutionOps::convShape).translate(conv);
        }
        OpTranslator convTranspose = (node, ctx) -> convolution(node, ctx, CONV_TRANSPOSE, true);
        for (String signature :
                List.of(
                        "aten::conv_transpose1d(Tensor input, Tensor weight, Tensor? bias=None, int[1] stride=1, int[1] padding=0, int[1] output_padding=0, int groups=1, int[1] dilation=1) -> Tensor",
                        "aten::conv_transpose2d.input(Tensor input, Tensor weight, Tensor? bias=None, int[2] stride=1, int[2] padding=0, int[2] output_padding=0, int groups=1, int[2] dilation=1) -> Tensor",
                        "aten::conv_transpose3d.input(Tensor input, Tensor weight, Tensor? bias=None, int[3] stride=1, int[3] padding=0, int[3] output_padding=0, int groups=1, int[3] dilation=1) -> Tensor")) {
            r.op(signature).shape(ConvolutionOps::convShape).translate(convTranspose);
        }
    }

    /**
     * Convolutions, plain and transposed, 1d/2d/3d, batched or not. Output sizes (per spatial axis,
     * from torch's conv docs): plain {@code (L + 2p - d*(k-1) - 1) // s + 1}; transposed {@code
     * (L-1)*s - 2p + d*(k-1) + output_padding + 1}; {@code padding='same'} keeps {@code L} (torch
     * allows it with stride 1 only), {@code 'valid'} is no padding.
     */
    private static void convShape(NodeTypes n) {
        boolean transposed =
                n.has("transposed")
                        ? n.bool(n.at("transposed"))
                        : n.node().kind().startsWith("aten::conv_transpose");
        TensorType input = n.tensor(n.at("input"));
        Shape weight = n.tensor(n.at("weight")).shape();
        int spatial = weight.rank() - 2;
        if (spatial < 1) {
            throw new ShapeInferenceException(
                    "convolution weight " + weight + " has no spatial axis");
        }
        boolean batched = input.rank() == spatial + 2;
        if (!batched && input.rank() != spatial + 1) {
            throw new ShapeInferenceException(
                    "convolution input " + input.shape() + " does not fit weight " + weight);
        }
        long groups = n.integer(n.at("groups"));
        long[] stride = expand(n.integers(n.at("stride")), spatial, "stride");
        Object mode = n.input(n.at("padding")).known().orElse(null);
        if (mode instanceof String m && !m.equals("same") && !m.equals("valid")) {
            throw new ShapeInferenceException("unknown convolution padding mode '" + m + "'");
        }
        boolean same = "same".equals(mode);
        long[] padding =
                mode instanceof String
                        ? new long[spatial]
                        : expand(n.integers(n.at("padding")), spatial, "padding");
        long[] dilation = expand(n.integers(n.at("dilation")), spatial, "dilation");
        long[] outputPadding =
                n.has("output_padding")
                        ? expand(n.integers(n.at("output_padding")), spatial, "output_padding")
                        : new long[spatial];
        int first = batched ? 2 : 1;
        Dim channels = input.shape().dims().get(first - 1);
        Dim expected = transposed ? weight.dims().get(0) : weight.dims().get(1).times(groups);
        if (channels.minus(expected).isConstant() && !channels.equals(expected)) {
            throw new ShapeInferenceException(
                    "input "
                            + input.shape()
                            + " has "
                            + channels
                            + " channels, weight "
                            + weight
                            + " (groups "
                            + groups
                            + ") expects "
                            + expected);
        }
        List<Dim> out = new ArrayList<>();
        if (batched) {
            out.add(input.shape().dims().get(0));
        }
        out.add(transposed ? weight.dims().get(1).times(groups) : weight.dims().get(0));
        for (int i = 0; i < spatial; i++) {
            Dim l = input.shape().dims().get(first + i);
            long k = weight.dims().get(2 + i).constant();
            long span = dilation[i] * (k - 1);
            out.add(
                    same
                            ? l
                            : transposed
                                    ? l.minus(1)
                                            .times(stride[i])
                                            .plus(span - 2 * padding[i] + outputPadding[i] + 1)
                                    : l.plus(2 * padding[i] - span - 1)
                                            .floorDiv(stride[i])
                                            .plus(1));
        }
        n.output(0, input.dtype(), new Shape(out));
    }

    /**
     * Torch accepts a single value for all spatial axes.
     *
     * @param values one value per spatial axis, or one for all
     * @param rank the number of spatial axes
     * @param what the argument, for the error message
     * @return one value per spatial axis
     */
    static long[] expand(long[] values, int rank, String what) {
        if (values.length == rank) {
            return values;
        }
        if (values.length == 1) {
            long[] out = new long[rank];
            Arrays.fill(out, values[0]);
            return out;
        }
        throw new ShapeInferenceException(
                what + " has " + values.length + " values for " + rank + " spatial axes");
    }

    private static void convolution(
            Node node, TranslationContext ctx, Layout layout, boolean transposedOp)
            throws TranslationException {
        Value x = Args.get(node, "input", 0);
        Value w = Args.get(node, "weight", 1);
        Optional<Value> bias = Args.optional(node, "bias", 2).filter(b -> !ctx.values().isNone(b));
        Shape wShape = ctx.types().shape(w);
        int spatial = wShape.rank() - 2;
        if (spatial < 1 || ctx.types().rank(x) != wShape.rank()) {
            throw new TranslationException(
                    "convolution of a rank-"
                            + ctx.types().rank(x)
                            + " input with a rank-"
                            + wShape.rank()
                            + " weight; only batched inputs (N, C, ...) are supported");
        }
        boolean transposed =
                transposedOp
                        || (layout.transposed >= 0
                                && ctx.values()
                                        .boolArg(Args.get(node, "transposed", layout.transposed)));
        long[] stride = ctx.values().intList(Args.get(node, "stride", layout.stride), spatial);
        long[] dilation =
                ctx.values().intList(Args.get(node, "dilation", layout.dilation), spatial);
        long groups = ctx.values().intArg(Args.get(node, "groups", layout.groups));
        long[] outputPadding =
                layout.outputPadding >= 0
                        ? ctx.values()
                                .intList(
                                        Args.get(node, "output_padding", layout.outputPadding),
                                        spatial)
                        : new long[spatial];
        Padding padding =
                padding(node, ctx, layout, wShape, spatial, dilation, outputPadding, transposed);

        Expr filter =
                transposed && !ctx.tract().isStrict()
                        ? regroupTransposedWeight(ctx, w, wShape, groups)
                        : ctx.nnef().tensor(w);
        // output rows beyond the full transposed convolution get no input: they hold only the bias,
        // so the bias is added after padding them with zeros
        boolean biasAfter = bias.isPresent() && padding.extendsOutput();
        Expr b =
                bias.isPresent() && !biasAfter
                        ? ctx.nnef()
                                .temp(
                                        "bias",
                                        Invocation.builder("unsqueeze")
                                                .arg(ctx.nnef().tensor(bias.get()))
                                                .arg("axes", Expr.ints(0))
                                                .build())
                        : Expr.of(0.0f);
        Invocation conv =
                Invocation.builder(transposed ? "deconv" : "conv")
                        .arg(ctx.nnef().tensor(x))
                        .arg(filter)
                        .arg(b)
                        .arg("border", "constant")
                        .arg("padding", Expr.array(padding.pairs()))
                        .arg("stride", Expr.ints(stride))
                        .arg("dilation", Expr.ints(dilation))
                        .arg("groups", groups)
                        .build();
        if (!padding.extendsOutput()) {
            ctx.nnef().define(node.output(0), conv);
            return;
        }
        List<Expr> extension =
                new ArrayList<>(
                        List.of(
                                Expr.tuple(Expr.of(0), Expr.of(0)),
                                Expr.tuple(Expr.of(0), Expr.of(0))));
        for (long e : padding.extraEnd()) {
            extension.add(Expr.tuple(Expr.of(0), Expr.of(e)));
        }
        Invocation padded =
                Invocation.builder("pad")
                        .arg(ctx.nnef().temp("deconv", conv))
                        .arg("padding", Expr.array(extension))
                        .arg("border", "constant")
                        .arg("value", Expr.of(0.0f))
                        .build();
        if (!biasAfter) {
            ctx.nnef().define(node.output(0), padded);
            return;
        }
        long[] biasShape = new long[spatial + 2];
        Arrays.fill(biasShape, 1);
        biasShape[1] = -1;
        Expr channelBias =
                ctx.nnef()
                        .temp(
                                "bias",
                                Invocation.builder("reshape")
                                        .arg(ctx.nnef().tensor(bias.get()))
                                        .arg("shape", Expr.ints(biasShape))
                                        .build());
        ctx.nnef()
                .define(
                        node.output(0),
                        Invocation.of("add", ctx.nnef().temp("padded", padded), channelBias));
    }

    /**
     * NNEF padding per spatial axis, and how many rows to append after a transposed convolution
     * whose {@code output_padding} exceeds its end padding.
     */
    private record Padding(List<Expr> pairs, long[] extraEnd) {
        boolean extendsOutput() {
            return Arrays.stream(extraEnd).anyMatch(e -> e > 0);
        }
    }

    /**
     * {@code (before, after)} per spatial axis: torch's symmetric padding, 'same', 'valid', or less
     * at the end for output_padding.
     */
    private static Padding padding(
            Node node,
            TranslationContext ctx,
            Layout layout,
            Shape wShape,
            int spatial,
            long[] dilation,
            long[] outputPadding,
            boolean transposed)
            throws TranslationException {
        Value padArg = Args.get(node, "padding", layout.padding);
        Optional<Object> mode = ctx.values().known(padArg).filter(String.class::isInstance);
        long[] before = new long[spatial];
        long[] after = new long[spatial];
        if (mode.isPresent()) {
            if (mode.get().equals("same")) {
                for (int i = 0; i < spatial; i++) {
                    long k = wShape.dims().get(2 + i).constant();
                    long total = dilation[i] * (k - 1);
                    before[i] = total / 2; // torch pads the odd extra unit at the end
                    after[i] = total - before[i];
                }
            } else if (!mode.get().equals("valid")) {
                throw new TranslationException(
                        "unknown convolution padding mode '" + mode.get() + "'");
            }
        } else {
            long[] p = ctx.values().intList(padArg, spatial);
            for (int i = 0; i < spatial; i++) {
                before[i] = p[i];
                after[i] = p[i];
            }
        }
        List<Expr> out = new ArrayList<>(spatial);
        long[] extra = new long[spatial];
        for (int i = 0; i < spatial; i++) {
            long end = after[i];
            if (transposed) {
                end -= outputPadding[i];
                if (end < 0) {
                    extra[i] = -end;
                    end = 0;
                }
            } else if (outputPadding[i] != 0) {
                throw new TranslationException("output_padding on a non-transposed convolution");
            }
            out.add(Expr.tuple(Expr.of(before[i]), Expr.of(end)));
        }
        return new Padding(out, extra);
    }

    /** torch {@code [C_in, C_out/g, k...]} to {@code [C_out, C_in/g, k...]}, group by group. */
    private static Expr regroupTransposedWeight(
            TranslationContext ctx, Value w, Shape shape, long groups) throws TranslationException {
        if (!shape.isConcrete()) {
            throw new TranslationException(
                    "transposed convolution weight of symbolic shape " + shape);
        }
        long[] s = shape.toLongArray();
        int rank = s.length;
        Expr weight = ctx.nnef().tensor(w);
        if (groups == 1) {
            long[] perm = new long[rank];
            for (int i = 0; i < rank; i++) {
                perm[i] = i;
            }
            perm[0] = 1;
            perm[1] = 0;
            return ctx.nnef()
                    .temp(
                            "filter",
                            Invocation.builder("transpose")
                                    .arg(weight)
                                    .arg("axes", Expr.ints(perm))
                                    .build());
        }
        long[] grouped = new long[rank + 1];
        grouped[0] = groups;
        grouped[1] = s[0] / groups;
        grouped[2] = s[1];
        System.arraycopy(s, 2, grouped, 3, rank - 2);
        long[] perm = new long[rank + 1];
        for (int i = 0; i <= rank; i++) {
            perm[i] = i;
        }
        perm[1] = 2;
        perm[2] = 1;
        long[] target = new long[rank];
        target[0] = s[1] * groups;
        target[1] = s[0] / groups;
        System.arraycopy(s, 2, target, 2, rank - 2);
        Expr g =
                ctx.nnef()
                        .temp(
                                "filter_groups",
                                Invocation.builder("reshape")
                                        .arg(weight)
                                        .arg("shape", Expr.ints(grouped))
                                        .build());
        Expr t =
                ctx.nnef()
                        .temp(
                                "filter_swapped",
                                Invocation.builder("transpose")
                                        .arg(g)
                                        .arg("axes", Expr.ints(perm))
                                        .build());
        return ctx.nnef()
                .temp(
                        "filter",
                        Invocation.builder("reshape")
                                .arg(t)
                                .arg("shape", Expr.ints(target))
                                .build());
    }
}
