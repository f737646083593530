package org.torch2nnef.check.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.torch2nnef.nnef.model.Quantization;

/**
 * NNEF quantization on float tensors, as the NNEF fragments {@code zero_point_linear_quantize} and
 * {@code min_max_linear_quantize} define it (quantize then dequantize, rounding half away from
 * zero), and graph.quant semantics: integer tensors (stored codes) are dequantized, float tensors
 * are rounded to the quantization grid.
 */
final class Quantizer {
    private Quantizer() {}

    /**
     * {@code a} interpreted under graph.quant entry {@code q}; {@code tensor} names it in errors.
     */
    static NDArray apply(NDArray a, Quantization q, String tensor) {
        boolean codes = !a.getDataType().isFloating();
        NDArray x = a.toType(DataType.FLOAT32, false);
        if (q instanceof Quantization.ZeroPointLinear z) {
            return codes ? x.sub(z.zeroPoint()).mul(z.scale()) : castToQuantized(x, z);
        }
        if (q instanceof Quantization.Linear l) {
            NDArray min = Tensors.scalar(x.getManager(), l.min(), DataType.FLOAT32);
            NDArray max = Tensors.scalar(x.getManager(), l.max(), DataType.FLOAT32);
            return codes
                    ? x.mul((l.max() - l.min()) / (Math.pow(2, l.bits()) - 1)).add(l.min())
                    : minMax(x, min, max, l.bits(), false, false);
        }
        throw new UnsupportedOpException(
                q.op(),
                "tensor '"
                        + tensor
                        + "': graph.quant uses '"
                        + q.op()
                        + "', which the reference interpreter cannot dequantize (supported: "
                        + "zero_point_linear_quantize, linear_quantize)");
    }

    /**
     * A float tensor in the quantized datum type that graph.quant entry {@code z} makes tract use
     * (sonos/tract data/src/tensor.rs, {@code cast_to_dt} from f32): codes {@code
     * round_ties_to_even(x / scale + zero_point)} saturated to the datum type's full range ({@code
     * [0, 255]} for u8, {@code [-128, 127]} for i8: tract's QI8/QU8 ignore {@code symmetric}), then
     * {@code (code - zero_point) * scale} as tract dequantizes. The division is in float32, as
     * tract computes it.
     */
    static NDArray castToQuantized(NDArray x, Quantization.ZeroPointLinear z) {
        double high = z.signed() ? Math.pow(2, z.bits() - 1) - 1 : Math.pow(2, z.bits()) - 1;
        double low = z.signed() ? -high - 1 : 0;
        NDArray code = x.div(z.scale()).add(z.zeroPoint()).round().clip(low, high);
        return code.sub(z.zeroPoint()).mul(z.scale());
    }

    /**
     * {@code zero_point_linear_quantize}: codes {@code round(x / scale) + zero_point} clamped to
     * {@code [0, 2^bits - 1]} unsigned, {@code [-r, r]} signed symmetric, {@code [-r - 1, r]}
     * signed, with {@code r = 2^(bits-1) - 1}; then {@code (code - zero_point) * scale}.
     */
    static NDArray zeroPoint(
            NDArray x, long zeroPoint, double scale, int bits, boolean signed, boolean symmetric) {
        double r = signed ? Math.pow(2, bits - 1) - 1 : Math.pow(2, bits) - 1;
        double low = !signed ? 0 : symmetric ? -r : -r - 1;
        NDArray code = Tensors.roundHalfAway(x.div(scale)).add(zeroPoint).clip(low, r);
        return code.sub(zeroPoint).mul(scale);
    }

    /**
     * {@code min_max_linear_quantize}: {@code r = 2^bits - 1} levels (one fewer when signed and
     * symmetric) over {@code [min, max]}: {@code round((clamp(x) - min) / (max - min) * r) / r *
     * (max - min) + min}.
     */
    static NDArray minMax(
            NDArray x, NDArray min, NDArray max, int bits, boolean signed, boolean symmetric) {
        double r = Math.pow(2, bits) - 1 - (signed && symmetric ? 1 : 0);
        NDArray range = ElementwiseOps.broadcastPair(max, min, NDArray::sub);
        NDArray z =
                ElementwiseOps.broadcastPair(
                        ElementwiseOps.broadcastPair(x, min, NDArray::maximum),
                        max,
                        NDArray::minimum);
        NDArray steps =
                Tensors.roundHalfAway(
                        ElementwiseOps.broadcastPair(
                                        ElementwiseOps.broadcastPair(z, min, NDArray::sub),
                                        range,
                                        NDArray::div)
                                .mul(r));
        return ElementwiseOps.broadcastPair(
                ElementwiseOps.broadcastPair(steps.div(r), range, NDArray::mul), min, NDArray::add);
    }
}
