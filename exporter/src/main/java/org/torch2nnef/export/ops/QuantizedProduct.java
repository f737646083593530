package org.torch2nnef.export.ops;

import java.util.Arrays;
import java.util.Optional;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.export.spi.QuantizedWeights;
import org.torch2nnef.graph.Value;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.Quantization.ZeroPointLinear;
import org.torch2nnef.torchscript.TorchDType;
import org.torch2nnef.torchscript.TorchTensor;

/**
 * A static quantized convolution or linear accumulated on codes, as torch's kernels accumulate in
 * int32: the input's codes minus its zero point ({@code round(x / scale)}) and the weight's codes
 * minus theirs, both integers in f32, so the conv or matmul sums are exact integers (below 2^24)
 * whatever order tract's optimized kernels sum in; then {@code acc * (in_scale * weight_scale) +
 * bias}, the float value torch requantizes (fbgemm's float-bias requantization). A product of
 * dequantized floats instead rounds each term, and tract's -O kernels, summing in another order
 * than the reference interpreter, moved a depthwise convolution of mobilenet_v2 across a rounding
 * boundary on one element in 2500, which its later layers spread to half of the logits.
 */
final class QuantizedProduct {
    private final Expr input;
    private final Expr weight;
    private final float inputScale;
    private final double[] weightScales;

    private QuantizedProduct(Expr input, Expr weight, float inputScale, double[] weightScales) {
        this.input = input;
        this.weight = weight;
        this.inputScale = inputScale;
        this.weightScales = weightScales;
    }

    /**
     * The integer form of {@code x} times the packed weight {@code w} (of rank {@code rank}), when
     * torch holds {@code x} quantized in a tensor the graph computes; else empty (the caller
     * computes on dequantized floats).
     */
    static Optional<QuantizedProduct> of(TranslationContext ctx, Value x, TorchTensor w, int rank)
            throws TranslationException {
        Optional<ZeroPointLinear> q = ctx.nnef().quantization(x);
        if (q.isEmpty()) {
            return Optional.empty();
        }
        Expr input = codes(ctx, ctx.nnef().tensor(x), q.get().scale());
        QuantizedWeights.PackedWeight weight =
                QuantizedWeights.packed(ctx.nnef(), ctx.tract(), w, rank);
        Expr codes =
                weight.perChannel()
                        ? weight.values()
                        : codes(ctx, weight.values(), (float) weight.scales()[0]);
        return Optional.of(new QuantizedProduct(input, codes, q.get().scale(), weight.scales()));
    }

    /**
     * The codes minus the zero point of {@code dequantized}, a tensor dequantized with {@code
     * scale}: integers in f32 ({@code (c - zp) * scale / scale} is within a few ulps of one).
     */
    static Expr codes(TranslationContext ctx, Expr dequantized, float scale) {
        Expr scaled = ctx.nnef().temp("scaled", Invocation.of("div", dequantized, Expr.of(scale)));
        return ctx.nnef().temp("codes", Invocation.of("round", scaled));
    }

    /** The input's codes, for the op's data input. */
    Expr input() {
        return input;
    }

    /** The weight's codes, for the op's weight input. */
    Expr weight() {
        return weight;
    }

    /**
     * {@code acc * (in_scale * weight_scale) + bias}: the float value of the accumulated codes, for
     * an output of rank {@code rank} whose channels lie along {@code axis}. The scale product is
     * f32 as torch computes it ({@code act_times_w_scale}).
     */
    Expr rescaled(TranslationContext ctx, Expr acc, TorchTensor bias, int rank, int axis)
            throws TranslationException {
        Expr scale;
        if (weightScales.length == 1) {
            scale = Expr.of(inputScale * (float) weightScales[0]);
        } else {
            double[] products = new double[weightScales.length];
            for (int i = 0; i < products.length; i++) {
                products[i] = inputScale * (float) weightScales[i];
            }
            long[] shape = new long[rank];
            Arrays.fill(shape, 1);
            shape[axis] = products.length;
            scale =
                    ctx.nnef()
                            .variable(
                                    "scales",
                                    ExportTimeTensors.of(TorchDType.FLOAT32, shape, products));
        }
        Invocation value = Invocation.of("mul", acc, scale);
        if (bias == null) {
            return value;
        }
        long[] others = new long[rank - 1];
        for (int i = 0, j = 0; i < rank; i++) {
            if (i != axis) {
                others[j++] = i;
            }
        }
        Expr b =
                ctx.nnef()
                        .temp(
                                "bias",
                                Invocation.builder("unsqueeze")
                                        .arg(QuantizedOps.floatVariable(ctx, "bias", bias))
                                        .arg("axes", Expr.ints(others))
                                        .build());
        return Invocation.of("add", ctx.nnef().temp("product", value), b);
    }
}
