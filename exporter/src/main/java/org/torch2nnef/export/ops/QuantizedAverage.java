package org.torch2nnef.export.ops;

import java.util.Optional;
import java.util.Set;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.Value;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.Quantization.ZeroPointLinear;

/**
 * Average pooling of a tensor torch holds quantized, as torch's x86, fbgemm and onednn engines
 * compute it: the window's codes minus the zero point summed in int32, times an f32 multiplier
 * {@code 1 / divisor} (the output keeps the input's quantization), rounded half to even. A mean of
 * dequantized floats differs at the ties that an even divisor makes common (a 2x2 window: a quarter
 * of the sums): on mobilenet_v2's final 2x2 pooling, 3.7% of the averages landed one step from
 * torch's.
 *
 * <p>Two kernels: the channels-last ones ({@code _qadaptive_avg_pool_kernel}, {@code
 * _qavg_pool_nhwc_kernel}) round {@code sum * (1.0f / divisor)} and then add the zero point; {@code
 * avg_pool2d}'s kernel for contiguous NCHW tensors ({@code avg_pool2d_out_frame}) rounds {@code sum
 * * (float) (1.0 / divisor) + zero_point}, in f32, so a tie breaks toward an even code rather than
 * an even average (half of the ties differ when the zero point is odd) and an f32 value a few ulps
 * from a tie rounds onto it. Which one runs depends on the input's memory format ({@link
 * #channelsLast}).
 *
 * <p>In the graph: the codes {@code round(x / scale)} (integers in f32), a pooling over them (a
 * mean of integers), {@code round(mean * size)} (their exact sum), then {@code
 * tract_core_round_even(sum * multiplier)} (channels last) or {@code tract_core_round_even(sum *
 * multiplier + zero_point) - zero_point} (NCHW), times the scale; the op's output cast then adds
 * the zero point and saturates.
 */
final class QuantizedAverage {
    /**
     * Ops whose quantized 4-d output keeps its input's memory format (checked with Debian's torch
     * 1.13 on the onednn engine, whose pooling is x86's).
     */
    private static final Set<String> KEEP_FORMAT =
            Set.of(
                    "aten::relu",
                    "aten::relu_",
                    "aten::hardtanh",
                    "aten::hardtanh_",
                    "aten::leaky_relu",
                    "aten::dropout",
                    "aten::max_pool1d",
                    "aten::max_pool2d",
                    "aten::avg_pool1d",
                    "aten::avg_pool2d",
                    "aten::adaptive_avg_pool1d",
                    "aten::adaptive_avg_pool2d",
                    "aten::quantize_per_tensor",
                    "aten::dequantize",
                    "quantized::add",
                    "quantized::add_relu",
                    "quantized::mul");

    /**
     * The same for a quantized convolution's {@code (N, C, L)} output, strided as channels last:
     * elementwise ops ({@code suggest_memory_format} knows no 3-d channels last) make it
     * contiguous.
     */
    private static final Set<String> KEEP_FORMAT_1D =
            Set.of(
                    "aten::dropout",
                    "aten::max_pool1d",
                    "aten::avg_pool1d",
                    "aten::adaptive_avg_pool1d");

    private final ZeroPointLinear q;

    /** {@code avg_pool2d_out_frame}'s rounding: the zero point added before, not after. */
    private final boolean zeroPointFirst;

    private QuantizedAverage(ZeroPointLinear q, boolean zeroPointFirst) {
        this.q = q;
        this.zeroPointFirst = zeroPointFirst;
    }

    /**
     * The average {@code avg_pool1d/2d} and {@code adaptive_avg_pool1d/2d} compute for {@code x}
     * when torch holds it quantized, else empty: the channels-last kernel when torch sees the
     * pooled 4-d tensor as channels last, the NCHW rounding otherwise (adaptive pooling's NCHW
     * kernel rounds as {@code avg_pool2d_out_frame}: 0 steps on the quantized_adaptive_pool
     * fixture, where the channels-last rounding put 23% of a 2x2 pooling one step off).
     *
     * @param spatial the pooled axes (1 for {@code avg_pool1d}, which torch runs as {@code
     *     avg_pool2d} over {@code (N, C, 1, L)})
     */
    static Optional<QuantizedAverage> pooling(TranslationContext ctx, Value x, int spatial)
            throws TranslationException {
        Optional<ZeroPointLinear> q = ctx.nnef().quantization(x);
        if (q.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new QuantizedAverage(q.get(), !channelsLast(ctx, x, spatial)));
    }

    /**
     * Whether torch's {@code is_contiguous(ChannelsLast)} holds for the 4-d tensor it pools: a
     * batched input made channels last by a quantized convolution (its kernels write NHWC) through
     * ops that keep the format, or one whose channels or spatial items are a single one (both
     * layouts then have the same strides). An unbatched input is never channels last (4-d only).
     */
    private static boolean channelsLast(TranslationContext ctx, Value x, int spatial)
            throws TranslationException {
        Shape shape = ctx.types().shape(x);
        if (shape.rank() != spatial + 2) {
            return false;
        }
        Dim channels = shape.dims().get(1);
        Dim items = Dim.of(1);
        for (Dim d : shape.dims().subList(2, shape.rank())) {
            items = items.times(d);
        }
        if (channels.isConstant() && channels.constant() == 1
                || items.isConstant() && items.constant() == 1) {
            return true;
        }
        Set<String> keep = spatial == 1 ? KEEP_FORMAT_1D : KEEP_FORMAT;
        for (Optional<Node> p = x.producer(); p.isPresent(); ) {
            String kind = p.get().kind();
            if (kind.startsWith("quantized::conv")) {
                return true;
            }
            if (!keep.contains(kind)) {
                return false;
            }
            p = p.get().input(0).producer();
        }
        return false;
    }

    /** The codes minus the zero point of the dequantized {@code x}: exact integers in f32. */
    Expr codes(TranslationContext ctx, Expr x) {
        return QuantizedProduct.codes(ctx, x, q.scale());
    }

    /**
     * torch's f32 multiplier for windows divided by {@code divisor}: {@code 1.0f / divisor} in the
     * channels-last kernels, the double {@code 1.0 / divisor} rounded to f32 in the NCHW one.
     */
    float multiplier(long divisor) {
        return zeroPointFirst ? (float) (1.0 / divisor) : 1.0f / divisor;
    }

    /** The exact sum of {@link #codes} over windows of {@code size} items, from their mean. */
    Expr sum(TranslationContext ctx, Invocation meanOfCodes, long size) {
        Expr mean = ctx.nnef().temp("mean", meanOfCodes);
        Expr times = ctx.nnef().temp("times", Invocation.of("mul", mean, Expr.of((float) size)));
        return ctx.nnef().temp("sum", Invocation.of("round", times));
    }

    /**
     * torch's requantized average over windows of {@code size} items, dequantized, from the pooled
     * mean of {@link #codes}.
     */
    Invocation average(TranslationContext ctx, Invocation meanOfCodes, long size)
            throws TranslationException {
        return requantized(ctx, sum(ctx, meanOfCodes, size), Expr.of(multiplier(size)));
    }

    /**
     * torch's requantized average, dequantized, from the window sums of {@link #codes} and the
     * {@link #multiplier} (a scalar, or one per output position).
     */
    Invocation requantized(TranslationContext ctx, Expr sum, Expr multiplier)
            throws TranslationException {
        String roundEven = ctx.tract().tractOp("tract_core_round_even");
        Expr scaled = ctx.nnef().temp("scaled", Invocation.of("mul", sum, multiplier));
        if (!zeroPointFirst) {
            Expr rounded = ctx.nnef().temp("average", Invocation.of(roundEven, scaled));
            return Invocation.of("mul", rounded, Expr.of(q.scale()));
        }
        float zeroPoint = q.zeroPoint();
        Expr shifted = ctx.nnef().temp("shifted", Invocation.of("add", scaled, Expr.of(zeroPoint)));
        Expr code = ctx.nnef().temp("code", Invocation.of(roundEven, shifted));
        Expr rounded = ctx.nnef().temp("average", Invocation.of("sub", code, Expr.of(zeroPoint)));
        return Invocation.of("mul", rounded, Expr.of(q.scale()));
    }
}
