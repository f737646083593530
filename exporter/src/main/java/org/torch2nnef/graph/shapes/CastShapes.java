package org.torch2nnef.graph.shapes;

import org.torch2nnef.torchscript.TorchDType;

/**
 * Quantized tensors' conversions, {@code dequantize} and {@code int_repr} (shapes unchanged): typed
 * for the samples' shape checks, not translated yet (quantization is a later issue).
 */
final class CastShapes {
    private CastShapes() {}

    static void register(ShapeRules r) {
        r.register(n -> n.output(0, TorchDType.FLOAT32, n.tensor(0).shape()), "aten::dequantize");
        r.register(n -> n.output(0, intRepr(n.tensor(0).dtype()), n.tensor(0).shape()), "aten::int_repr");
    }

    private static TorchDType intRepr(TorchDType q) {
        return switch (q) {
            case QINT8 -> TorchDType.INT8;
            case QUINT8 -> TorchDType.UINT8;
            case QINT32 -> TorchDType.INT32;
            default -> throw new ShapeInferenceException("int_repr of the non-quantized dtype " + q.torchName());
        };
    }
}
