package org.torch2nnef.export.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
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
import org.torch2nnef.graph.ValueType.TensorType;
import org.torch2nnef.graph.shapes.NodeTypes;
import org.torch2nnef.graph.shapes.ShapeInferenceException;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;

/**
 * Normalisation in eval mode: {@code batch_norm} and {@code instance_norm} with running statistics
 * as NNEF {@code batch_normalization} (parameters reshaped to {@code [1, C, 1, ...]}, which means
 * the same under NNEF's and tract's broadcasting); {@code batch_norm} without running statistics,
 * {@code instance_norm} with input statistics, {@code layer_norm} (over the last axes) and {@code
 * group_norm} (over {@code [N, G, -1]}) through the helper fragment {@code t2n_normalize}, followed
 * by the optional affine scale and offset.
 */
public final class NormalizationOps implements OpFamily {
    // torch normalises with the biased variance
    private static final FragmentText.Lazy NORMALIZE =
            FragmentText.lazy(
                    """
            fragment t2n_normalize( x: tensor<scalar>, axes: integer[], epsilon: scalar ) -> ( y: tensor<scalar> )
            {
                d = x - mean_reduce(x, axes = axes);
                y = d / sqrt(mean_reduce(d * d, axes = axes) + epsilon);
            }""");

    @Override
    public void register(OpRegistry r) {
        r.op(
                        "aten::batch_norm(Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, Tensor? running_var, bool training, float momentum, float eps, bool cudnn_enabled) -> Tensor")
                .shape(NormalizationOps::channelwiseShape)
                .translate(NormalizationOps::batchNorm);
        r.op(
                        "aten::layer_norm(Tensor input, int[] normalized_shape, Tensor? weight=None, Tensor? bias=None, float eps=1e-05, bool cudnn_enable=True) -> Tensor")
                .shape(NormalizationOps::layerNormShape)
                .translate(NormalizationOps::layerNorm);
        // core ATen: the statistics outputs are not exported (inference programs do not use them)
        r.op(
                        "aten::_native_batch_norm_legit_no_training(Tensor input, Tensor? weight, Tensor? bias, Tensor running_mean, Tensor running_var, float momentum, float eps) -> (Tensor, Tensor, Tensor)")
                .shape(NormalizationOps::batchNormStatisticsShape)
                .translate(NormalizationOps::runningStatistics);
        r.op(
                        "aten::native_layer_norm(Tensor input, int[] normalized_shape, Tensor? weight, Tensor? bias, float eps) -> (Tensor, Tensor, Tensor)")
                .shape(NormalizationOps::layerNormStatisticsShape)
                .translate(NormalizationOps::layerNorm);
        r.op(
                        "aten::group_norm(Tensor input, int num_groups, Tensor? weight=None, Tensor? bias=None, float eps=1e-05, bool cudnn_enabled=True) -> Tensor")
                .shape(NormalizationOps::channelwiseShape)
                .translate(NormalizationOps::groupNorm);
        r.op(
                        "aten::instance_norm(Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, Tensor? running_var, bool use_input_stats, float momentum, float eps, bool cudnn_enabled) -> Tensor")
                .shape(NormalizationOps::channelwiseShape)
                .translate(NormalizationOps::instanceNorm);
    }

    /** Batch, group and instance normalisation: the output is the input's shape and dtype. */
    private static void channelwiseShape(NodeTypes n) {
        TensorType t = n.tensor(n.at("input"));
        if (t.rank() < 2) {
            throw new ShapeInferenceException(
                    n.node().kind() + " needs an input with a channel axis, got " + t.shape());
        }
        n.output(0, t);
    }

    /** The output, and the saved mean and inverse deviation: one per channel. */
    private static void batchNormStatisticsShape(NodeTypes n) {
        channelwiseShape(n);
        TensorType t = n.tensor(n.at("input"));
        Shape channels = new Shape(List.of(t.shape().dims().get(1)));
        n.output(1, t.dtype(), channels);
        n.output(2, t.dtype(), channels);
    }

    /** The output, and mean and inverse deviation: the input's shape, normalized axes of 1. */
    private static void layerNormStatisticsShape(NodeTypes n) {
        layerNormShape(n);
        TensorType t = n.tensor(n.at("input"));
        int kept = t.rank() - n.integers(n.at("normalized_shape")).length;
        List<Dim> dims = new ArrayList<>(t.shape().dims().subList(0, kept));
        dims.addAll(Collections.nCopies(t.rank() - kept, Dim.of(1)));
        n.output(1, t.dtype(), new Shape(dims));
        n.output(2, t.dtype(), new Shape(dims));
    }

    private static void layerNormShape(NodeTypes n) {
        TensorType t = n.tensor(n.at("input"));
        long[] normalized = n.integers(n.at("normalized_shape"));
        if (normalized.length > t.rank()) {
            throw new ShapeInferenceException(
                    "layer_norm over " + normalized.length + " axes of " + t.shape());
        }
        n.output(0, t);
    }

    /**
     * {@code training} or no running statistics (track_running_stats=False): the batch's
     * statistics.
     */
    private static void batchNorm(Node node, TranslationContext ctx) throws TranslationException {
        Optional<Value> runningMean = present(node, ctx, "running_mean", 3);
        boolean training = ctx.values().boolArg(Args.get(node, "training", 5));
        int rank = ctx.types().rank(node.input(0));
        if (training || runningMean.isEmpty()) {
            long[] axes = new long[rank - 1];
            axes[0] = 0;
            for (int i = 2; i < rank; i++) {
                axes[i - 1] = i;
            }
            normalized(node, ctx, Expr.ints(axes));
        } else {
            runningStatistics(node, ctx);
        }
    }

    private static void instanceNorm(Node node, TranslationContext ctx)
            throws TranslationException {
        if (ctx.values().boolArg(Args.get(node, "use_input_stats", 5))) {
            normalized(node, ctx, Axes.range(2, ctx.types().rank(node.input(0))));
        } else {
            runningStatistics(node, ctx);
        }
    }

    /**
     * {@code batch_norm} / {@code instance_norm} (same argument positions) with running statistics.
     */
    private static void runningStatistics(Node node, TranslationContext ctx)
            throws TranslationException {
        Value x = node.input(0);
        int rank = requireChannels(ctx, x);
        Optional<Expr> mean = channel(ctx, present(node, ctx, "running_mean", 3), rank);
        Optional<Expr> variance = channel(ctx, present(node, ctx, "running_var", 4), rank);
        if (mean.isEmpty() || variance.isEmpty()) {
            throw new TranslationException(
                    node.kind() + " needs both running_mean and running_var");
        }
        ctx.nnef()
                .define(
                        node.output(0),
                        Invocation.builder("batch_normalization")
                                .arg(ctx.nnef().tensor(x))
                                .arg("mean", mean.get())
                                .arg("variance", variance.get())
                                .arg(
                                        "offset",
                                        channel(ctx, present(node, ctx, "bias", 2), rank)
                                                .orElse(Expr.of(0.0f)))
                                .arg(
                                        "scale",
                                        channel(ctx, present(node, ctx, "weight", 1), rank)
                                                .orElse(Expr.of(1.0f)))
                                .arg(
                                        "epsilon",
                                        Expr.of(
                                                (float)
                                                        ctx.values()
                                                                .doubleArg(
                                                                        Args.get(node, "eps", 7))))
                                .build());
    }

    /**
     * {@code batch_norm} / {@code instance_norm}: statistics over {@code axes} of the input, then
     * the per-channel affine.
     */
    private static void normalized(Node node, TranslationContext ctx, Expr axes)
            throws TranslationException {
        Value x = node.input(0);
        int rank = requireChannels(ctx, x);
        Invocation y = normalize(ctx, node, ctx.nnef().tensor(x), axes, 7);
        affine(
                ctx,
                node,
                y,
                channel(ctx, present(node, ctx, "weight", 1), rank),
                channel(ctx, present(node, ctx, "bias", 2), rank));
    }

    /**
     * Normalised over the trailing {@code normalized_shape} axes; weight and bias have that shape.
     */
    private static void layerNorm(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        int rank = ctx.types().rank(x);
        int count = ctx.values().dimList(Args.get(node, "normalized_shape", 1)).size();
        if (count > rank) {
            throw new TranslationException(
                    "layer_norm over " + count + " axes of a rank-" + rank + " input");
        }
        Invocation y =
                normalize(ctx, node, ctx.nnef().tensor(x), Axes.range(rank - count, rank), 4);
        Optional<Value> weight = present(node, ctx, "weight", 2);
        Optional<Value> bias = present(node, ctx, "bias", 3);
        affine(
                ctx,
                node,
                y,
                weight.isPresent()
                        ? Optional.of(Operands.toRank(ctx, weight.get(), rank))
                        : Optional.empty(),
                bias.isPresent()
                        ? Optional.of(Operands.toRank(ctx, bias.get(), rank))
                        : Optional.empty());
    }

    /**
     * Layer normalisation over the last axis with a scale and an offset (the norms of
     * nn.TransformerEncoderLayer's fused kernel).
     *
     * @param ctx the translation
     * @param x the input
     * @param rank its rank
     * @param eps the epsilon added to the variance
     * @param weight the scale {@code [C]}
     * @param bias the offset {@code [C]}
     * @return the last invocation (the offset added), to define or emit as a temporary
     * @throws TranslationException if a parameter has no tensor
     */
    static Invocation lastAxisLayerNorm(
            TranslationContext ctx, Expr x, int rank, double eps, Value weight, Value bias)
            throws TranslationException {
        Expr y =
                ctx.nnef()
                        .temp(
                                "normalized",
                                Invocation.builder(ctx.nnef().fragment(NORMALIZE.get()))
                                        .arg(x)
                                        .arg("axes", Expr.ints(rank - 1))
                                        .arg("epsilon", Expr.of((float) eps))
                                        .build());
        Expr scaled =
                ctx.nnef()
                        .temp(
                                "scaled",
                                Invocation.of("mul", y, Operands.toRank(ctx, weight, rank)));
        return Invocation.of("add", scaled, Operands.toRank(ctx, bias, rank));
    }

    /**
     * Normalised per sample and group of channels: {@code [N, C, ...]} viewed as {@code [N, G,
     * -1]}.
     */
    private static void groupNorm(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        int rank = requireChannels(ctx, x);
        Shape shape = ctx.types().shape(x);
        long groups = ctx.values().intArg(Args.get(node, "num_groups", 1));
        Dim channels = shape.dims().get(1);
        if (groups <= 0 || !channels.isConstant() || channels.constant() % groups != 0) {
            throw new TranslationException(
                    "group_norm of " + channels + " channels in " + groups + " groups");
        }
        Expr grouped =
                ctx.nnef()
                        .temp(
                                "grouped",
                                Invocation.builder("reshape")
                                        .arg(ctx.nnef().tensor(x))
                                        .arg(
                                                "shape",
                                                Expr.array(
                                                        ctx.nnef().dim(shape.dims().get(0)),
                                                        Expr.of(groups),
                                                        Expr.of(-1)))
                                        .build());
        Expr y = ctx.nnef().temp("normalized", normalize(ctx, node, grouped, Expr.ints(2), 4));
        Invocation back =
                Invocation.builder("reshape")
                        .arg(y)
                        .arg("shape", ctx.nnef().dims(shape.dims()))
                        .build();
        affine(
                ctx,
                node,
                back,
                channel(ctx, present(node, ctx, "weight", 2), rank),
                channel(ctx, present(node, ctx, "bias", 3), rank));
    }

    private static Invocation normalize(
            TranslationContext ctx, Node node, Expr x, Expr axes, int epsArg)
            throws TranslationException {
        return Invocation.builder(ctx.nnef().fragment(NORMALIZE.get()))
                .arg(x)
                .arg("axes", axes)
                .arg(
                        "epsilon",
                        Expr.of((float) ctx.values().doubleArg(Args.get(node, "eps", epsArg))))
                .build();
    }

    /** Defines the node output as {@code y * scale + offset}, each factor optional. */
    private static void affine(
            TranslationContext ctx,
            Node node,
            Invocation y,
            Optional<Expr> scale,
            Optional<Expr> offset) {
        Invocation out = y;
        if (scale.isPresent()) {
            out = Invocation.of("mul", ctx.nnef().temp("normalized", out), scale.get());
        }
        if (offset.isPresent()) {
            out = Invocation.of("add", ctx.nnef().temp("scaled", out), offset.get());
        }
        ctx.nnef().define(node.output(0), out);
    }

    private static Optional<Value> present(
            Node node, TranslationContext ctx, String name, int position) {
        return Args.optional(node, name, position).filter(v -> !ctx.values().isNone(v));
    }

    private static int requireChannels(TranslationContext ctx, Value x)
            throws TranslationException {
        int rank = ctx.types().rank(x);
        if (rank < 2) {
            throw new TranslationException(
                    ctx.node().kind()
                            + " needs an input with a channel axis (N, C, ...), got "
                            + ctx.types().shape(x));
        }
        return rank;
    }

    /**
     * A per-channel parameter {@code [C]} as {@code [1, C, 1, ...]} of the given rank, emitted
     * once.
     */
    private static Optional<Expr> channel(TranslationContext ctx, Optional<Value> p, int rank)
            throws TranslationException {
        if (p.isEmpty()) {
            return Optional.empty();
        }
        long[] shape = new long[rank];
        Arrays.fill(shape, 1);
        shape[1] = -1;
        Value v = p.get();
        return Optional.of(
                ctx.nnef()
                        .derived(
                                List.of("channel", v, rank),
                                () ->
                                        ctx.nnef()
                                                .temp(
                                                        "channel",
                                                        Invocation.builder("reshape")
                                                                .arg(ctx.nnef().tensor(v))
                                                                .arg("shape", Expr.ints(shape))
                                                                .build())));
    }
}
