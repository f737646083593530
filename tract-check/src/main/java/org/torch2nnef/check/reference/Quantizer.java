package org.torch2nnef.check.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.torch2nnef.nnef.model.Quantization;

/**
 * graph.quant semantics on float tensors: integer tensors (the stored codes) are dequantized,
 * float tensors are rounded to the quantization grid (quantize then dequantize).
 */
final class Quantizer {
    private Quantizer() {
    }

    /** {@code a} interpreted under {@code q}; {@code tensor} names it in errors. */
    static NDArray apply(NDArray a, Quantization q, String tensor) {
        boolean codes = !a.getDataType().isFloating();
        NDArray x = a.toType(DataType.FLOAT32, false);
        if (q instanceof Quantization.ZeroPointLinear z) {
                if (codes) {
                    return x.sub(z.zeroPoint()).mul(z.scale());
                }
                double qmin = z.signed() ? -Math.pow(2, z.bits() - 1) : 0;
                double qmax = z.signed() ? Math.pow(2, z.bits() - 1) - 1 : Math.pow(2, z.bits()) - 1;
                NDArray code = Tensors.roundHalfAway(x.div(z.scale())).add(z.zeroPoint()).clip(qmin, qmax);
                return code.sub(z.zeroPoint()).mul(z.scale());
        }
        if (q instanceof Quantization.Linear l) {
                double levels = Math.pow(2, l.bits()) - 1;
                double step = (l.max() - l.min()) / levels;
                if (codes) {
                    return x.mul(step).add(l.min());
                }
                NDArray code = Tensors.roundHalfAway(x.clip(l.min(), l.max()).sub(l.min()).div(step));
                return code.mul(step).add(l.min());
        }
        throw new UnsupportedOpException(q.op(), "tensor '" + tensor + "': graph.quant uses '" + q.op()
                + "', which the reference interpreter cannot dequantize (supported: "
                + "zero_point_linear_quantize, linear_quantize)");
    }
}
