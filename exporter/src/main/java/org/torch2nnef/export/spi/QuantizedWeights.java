package org.torch2nnef.export.spi;

import java.io.IOException;
import java.util.Arrays;
import org.torch2nnef.export.FragmentText;
import org.torch2nnef.export.NnefEmitter;
import org.torch2nnef.export.TensorTypes;
import org.torch2nnef.export.TractGate;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.export.ops.Axes;
import org.torch2nnef.export.ops.ExportTimeTensors;
import org.torch2nnef.nnef.model.ElementType;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.Quantization.ZeroPointLinear;
import org.torch2nnef.torchscript.QScheme;
import org.torch2nnef.torchscript.Quantization;
import org.torch2nnef.torchscript.TorchDType;
import org.torch2nnef.torchscript.TorchTensor;

/**
 * Part of the plugin API, for extractors of quantized modules. What quantized ops and the
 * dynamically quantized recurrent layers share: int8 weights as float values for the ops, float
 * biases, and torch's run-time (dynamic) quantization of a float activation.
 */
public final class QuantizedWeights {
    private QuantizedWeights() {}

    /**
     * A packed int8 weight read as f32, before its scales: per tensor, the {@code i8} variable
     * labelled in graph.quant cast to f32 (which dequantizes it); per channel (axis 0), the {@code
     * i8} variable cast to f32 minus the channels' zero points, i.e. its integer codes.
     *
     * @param values the f32 values: dequantized per tensor, codes per channel
     * @param scales one scale per tensor, else one per output channel
     * @param perChannel whether {@code values} still need the channels' scales
     */
    public record PackedWeight(Expr values, double[] scales, boolean perChannel) {}

    /**
     * A qint8 weight as {@link PackedWeight}: what an op computing on integer codes reads.
     *
     * @param nnef the graph builder
     * @param tract the target's tract extensions
     * @param w a qint8 weight
     * @param rank the rank the per-channel zero points are shaped for ({@code [C, 1, ...]})
     * @return its values and scales
     * @throws TranslationException for another dtype or scheme
     */
    public static PackedWeight packed(NnefEmitter nnef, TractGate tract, TorchTensor w, int rank)
            throws TranslationException {
        Quantization q =
                w.quantization()
                        .orElseThrow(
                                () -> new TranslationException("packed weight is not quantized"));
        if (w.dtype() != TorchDType.QINT8) {
            throw new TranslationException(
                    "packed weight of dtype "
                            + w.dtype().torchName()
                            + ": only qint8 weights are exported");
        }
        Expr raw = nnef.variable("weight", ElementType.INTEGER, TensorTypes.streamedCodes(w));
        Expr f32 =
                nnef.temp(
                        "weight",
                        Invocation.builder(tract.tractOp("tract_core_cast"))
                                .arg(raw)
                                .arg("to", Expr.str("f32"))
                                .build());
        if (!q.isPerChannel()) {
            nnef.label(raw, ZeroPointLinear.of(q.zeroPoint(), (float) q.scale(), 8, true));
            return new PackedWeight(f32, new double[] {q.scale()}, false);
        }
        if (q.scheme() != QScheme.PER_CHANNEL_AFFINE || q.axis() != 0) {
            throw new TranslationException(
                    "weight quantized "
                            + q.scheme().torchName()
                            + " along axis "
                            + q.axis()
                            + ": per-channel weights are exported along axis 0 (affine) only");
        }
        double[] scales;
        long[] zeroPoints;
        try {
            scales = q.channelScales().toDoubleArray();
            zeroPoints = q.channelZeroPoints().toLongArray();
        } catch (IOException e) {
            throw new TranslationException("cannot read the weight's scales: " + e.getMessage());
        }
        if (Arrays.stream(zeroPoints).allMatch(z -> z == 0)) {
            return new PackedWeight(f32, scales, true);
        }
        double[] zp = Arrays.stream(zeroPoints).asDoubleStream().toArray();
        Expr zeroPointVariable =
                nnef.variable(
                        "zero_points",
                        ExportTimeTensors.of(TorchDType.FLOAT32, channelShape(w, rank), zp));
        return new PackedWeight(
                nnef.temp("weight", Invocation.of("sub", f32, zeroPointVariable)), scales, true);
    }

    /**
     * A quantized weight as float values for the ops: the {@link #packed} values, per channel times
     * the channels' scales.
     *
     * @param nnef the graph builder
     * @param tract the target's tract extensions
     * @param w a qint8 weight
     * @param rank the rank the per-channel scales are shaped for ({@code [C, 1, ...]})
     * @return its float values
     * @throws TranslationException for another dtype or scheme
     */
    public static Expr dequantized(NnefEmitter nnef, TractGate tract, TorchTensor w, int rank)
            throws TranslationException {
        PackedWeight p = packed(nnef, tract, w, rank);
        if (!p.perChannel()) {
            return p.values();
        }
        Expr s =
                nnef.variable(
                        "scales",
                        ExportTimeTensors.of(
                                TorchDType.FLOAT32, channelShape(w, rank), p.scales()));
        return nnef.temp("weight", Invocation.of("mul", p.values(), s));
    }

    /** {@code [C, 1, ...]} of the given rank for a weight of {@code C} output channels. */
    private static long[] channelShape(TorchTensor w, int rank) {
        long[] shape = new long[rank];
        Arrays.fill(shape, 1);
        shape[0] = w.shape()[0];
        return shape;
    }

    /**
     * A bias as an f32 variable, streamed from the archive when stored as float32. f32, not tract's
     * i32: tract 0.21/0.22 cast a conv's bias to i32 only when its input is an integer tensor
     * (nnef/src/ops/nnef/deser.rs, conv_or_deconv), and the ops here read their input dequantized
     * to f32, so tract keeps the bias f32 as torch does.
     *
     * @param nnef the graph builder
     * @param role the variable's role in its name, e.g. {@code bias}
     * @param t the stored tensor
     * @return the variable
     * @throws TranslationException if it cannot be read
     */
    public static Expr floatVariable(NnefEmitter nnef, String role, TorchTensor t)
            throws TranslationException {
        if (t.dtype() == TorchDType.FLOAT32) {
            return nnef.variable(role, TensorTypes.streamed(t));
        }
        double[] values;
        try {
            values = t.toDoubleArray();
        } catch (IOException e) {
            throw new TranslationException("cannot read the " + role + ": " + e.getMessage());
        }
        return nnef.variable(role, ExportTimeTensors.of(TorchDType.FLOAT32, t.shape(), values));
    }

    /**
     * The fragment {@code (x, axes) -> y} that quantizes {@code x} to unsigned codes {@code
     * 0..levels} with the scale and zero point torch's dynamic quantization chooses from its range
     * over {@code axes} (all of them: one scale per tensor), and dequantizes them, as torch's x86
     * (fbgemm) kernels do per call of a dynamic linear ({@code quantized::linear_dynamic}, and the
     * input-to-hidden and hidden-to-hidden products of {@code aten::quantized_lstm/gru}): {@code lo
     * = min(min(x), 0)}, {@code hi = max(max(x), 0)}, {@code scale = (hi - lo) / levels} (levels
     * 127 under {@code reduce_range}, else 255), zero point {@code clamp(round(-lo / scale), 0,
     * levels)}, codes {@code clamp(round(x / scale) + zero_point, 0, levels)} (rounding half to
     * even). One fragment, so that a recurrent step fragment can call it on its state as the graph
     * calls it on a layer's input.
     *
     * @param nnef the graph builder
     * @param tract the target's tract extensions ({@code tract_core_round_even})
     * @param levels the largest code, 127 or 255
     * @return the fragment's name
     * @throws TranslationException if the target cannot round half to even
     */
    public static String dynamicQuantizer(NnefEmitter nnef, TractGate tract, int levels)
            throws TranslationException {
        String round = tract.tractOp("tract_core_round_even");
        String q = levels + ".0";
        String name = "t2n_dynamic_quantize_" + levels;
        // torch takes 0.1 for a zero range; any positive scale quantizes an all-zero x to 0
        return nnef.fragment(
                FragmentText.parse(
                        "fragment "
                                + name
                                + "(x: tensor<scalar>, axes: integer[]) -> (y: tensor<scalar>)\n{\n"
                                + "lo = min(min_reduce(x, axes = axes), 0.0);\n"
                                + "hi = max(max_reduce(x, axes = axes), 0.0);\n"
                                + "scale = max(div(sub(hi, lo), "
                                + q
                                + "), 1.0e-30);\n"
                                + "zero_point = clamp("
                                + round
                                + "(div(neg(lo), scale)), 0.0, "
                                + q
                                + ");\n"
                                + "codes = clamp(add("
                                + round
                                + "(div(x, scale)), zero_point), 0.0, "
                                + q
                                + ");\n"
                                + "y = mul(sub(codes, zero_point), scale);\n}"));
    }

    /**
     * {@code x} quantized dynamically ({@link #dynamicQuantizer}) and dequantized.
     *
     * @param nnef the graph builder
     * @param tract the target's tract extensions
     * @param x the float tensor
     * @param rank its rank
     * @param levels the largest code, 127 or 255
     * @return the dequantized tensor
     * @throws TranslationException if the target cannot round half to even
     */
    public static Expr dynamicallyQuantized(
            NnefEmitter nnef, TractGate tract, Expr x, int rank, int levels)
            throws TranslationException {
        return nnef.temp(
                "dequantized",
                Invocation.builder(dynamicQuantizer(nnef, tract, levels))
                        .arg(x)
                        .arg("axes", Axes.range(0, rank))
                        .build());
    }
}
