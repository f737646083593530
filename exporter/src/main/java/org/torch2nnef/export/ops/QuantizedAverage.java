package org.torch2nnef.export.ops;

import java.util.Optional;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.graph.Value;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.Quantization.ZeroPointLinear;

/**
 * Average pooling of a tensor torch holds quantized, as torch's x86 (and fbgemm) kernels compute it
 * ({@code _qadaptive_avg_pool_kernel}, {@code _qavg_pool_nhwc_kernel}): the window's codes minus
 * the zero point summed in int32, times the f32 multiplier {@code in_scale / out_scale / size}
 * ({@code 1.0f / size}: the output keeps the input's quantization), rounded half to even. A mean of
 * dequantized floats differs at the ties that an even window size makes common (a 2x2 window: a
 * quarter of the sums): on mobilenet_v2's final 2x2 pooling, 3.7% of the averages landed one step
 * from torch's.
 *
 * <p>In the graph: the codes {@code round(x / scale)} (integers in f32), the existing pooling over
 * them (a mean of integers), {@code round(mean * size)} (their exact sum), {@code
 * tract_core_round_even(sum * (1.0f / size))}, times the scale; the op's output cast then adds the
 * zero point and saturates.
 */
final class QuantizedAverage {
    private final ZeroPointLinear q;

    private QuantizedAverage(ZeroPointLinear q) {
        this.q = q;
    }

    /** The integer average for {@code x} when torch holds it quantized, else empty. */
    static Optional<QuantizedAverage> of(TranslationContext ctx, Value x) {
        return ctx.nnef().quantization(x).map(QuantizedAverage::new);
    }

    /** The codes minus the zero point of the dequantized {@code x}: exact integers in f32. */
    Expr codes(TranslationContext ctx, Expr x) {
        return QuantizedProduct.codes(ctx, x, q.scale());
    }

    /**
     * torch's requantized average, dequantized, from the pooled mean of {@link #codes} over windows
     * of {@code size} items each.
     */
    Invocation average(TranslationContext ctx, Invocation meanOfCodes, long size)
            throws TranslationException {
        String roundEven = ctx.tract().tractOp("tract_core_round_even");
        Expr mean = ctx.nnef().temp("mean", meanOfCodes);
        Expr times = ctx.nnef().temp("times", Invocation.of("mul", mean, Expr.of((float) size)));
        Expr sum = ctx.nnef().temp("sum", Invocation.of("round", times));
        Expr scaled = ctx.nnef().temp("scaled", Invocation.of("mul", sum, Expr.of(1.0f / size)));
        Expr rounded = ctx.nnef().temp("average", Invocation.of(roundEven, scaled));
        return Invocation.of("mul", rounded, Expr.of(q.scale()));
    }
}
