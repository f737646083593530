package org.torch2nnef.graph.shapes;

import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.OpSchema;
import org.torch2nnef.graph.ValueType.TensorType;
import org.torch2nnef.torchscript.TorchDType;

/** Dtype conversions: {@code to}, {@code type_as}, {@code dequantize}, {@code int_repr}; shapes unchanged. */
final class CastShapes {
    private CastShapes() {}

    static void register(ShapeRules r) {
        r.register(CastShapes::to, "aten::to");
        r.register(n -> cast(n, n.tensor(1).dtype()), "aten::type_as");
        r.register(n -> cast(n, TorchDType.FLOAT32), "aten::dequantize");
        r.register(n -> cast(n, intRepr(n.tensor(0).dtype())), "aten::int_repr");
    }

    private static void to(NodeTypes n) {
        String overload = n.node().schema().map(OpSchema::overload).orElse("");
        TorchDType dtype = switch (overload) {
            case "dtype" -> n.dtype(1).orElseThrow();
            case "device" -> n.dtype(2).orElseThrow();
            case "other" -> n.tensor(1).dtype();
            case "dtype_layout" -> n.dtype(n.node().argNames().indexOf("dtype")).orElse(n.tensor(0).dtype());
            default -> throw new ShapeInferenceException("aten::to called with arguments that fit no known overload");
        };
        cast(n, dtype);
    }

    private static void cast(NodeTypes n, TorchDType dtype) {
        TensorType t = n.tensor(0);
        n.output(0, dtype, t.shape());
        Object known = KnownArithmetic.number(n.input(0)).orElse(null);
        if (dtype.isFloatingPoint() && dtype != TorchDType.FLOAT16 && dtype != TorchDType.BFLOAT16) {
            Double x = known instanceof Double d ? d
                    : known instanceof Dim d && d.isConstant() ? Double.valueOf(d.constant()) : null;
            if (x != null) {
                n.known(0, dtype == TorchDType.FLOAT32 ? (double) (float) x.doubleValue() : x);
            }
        } else if (!dtype.isFloatingPoint() && dtype != TorchDType.BOOL && !dtype.isQuantized()) {
            if (known instanceof Dim d) {
                n.known(0, d);
            } else if (known instanceof Double d && Double.isFinite(d)) {
                n.known(0, Dim.of((long) d.doubleValue())); // torch converts floats to integers by truncation
            }
        }
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
