package org.torch2nnef.graph.shapes;

import java.util.List;
import org.torch2nnef.graph.Value;
import org.torch2nnef.torchscript.TorchDType;

/**
 * Torch's {@code c10::ScalarType} codes, as traced code passes dtypes ({@code dtype=6} is float32),
 * and type promotion ({@code torch.result_type}).
 */
public final class ScalarTypes {
    // c10/core/ScalarType.h order: Byte, Char, Short, Int, Long, Half, Float, Double, ComplexHalf,
    // ComplexFloat, ComplexDouble, Bool, QInt8, QUInt8, QInt32, BFloat16
    private static final TorchDType[] BY_CODE = {
        TorchDType.UINT8,
        TorchDType.INT8,
        TorchDType.INT16,
        TorchDType.INT32,
        TorchDType.INT64,
        TorchDType.FLOAT16,
        TorchDType.FLOAT32,
        TorchDType.FLOAT64,
        null,
        TorchDType.COMPLEX64,
        TorchDType.COMPLEX128,
        TorchDType.BOOL,
        TorchDType.QINT8,
        TorchDType.QUINT8,
        TorchDType.QINT32,
        TorchDType.BFLOAT16,
    };

    private ScalarTypes() {}

    /**
     * @param code a ScalarType code
     * @return the dtype
     * @throws IllegalArgumentException for unknown or unsupported codes
     */
    public static TorchDType fromCode(long code) {
        if (code < 0 || code >= BY_CODE.length || BY_CODE[(int) code] == null) {
            throw new IllegalArgumentException("unsupported ScalarType code " + code);
        }
        return BY_CODE[(int) code];
    }

    /**
     * @param dtype a dtype
     * @return its ScalarType code
     */
    public static int code(TorchDType dtype) {
        for (int i = 0; i < BY_CODE.length; i++) {
            if (BY_CODE[i] == dtype) {
                return i;
            }
        }
        throw new IllegalArgumentException("no ScalarType code for " + dtype);
    }

    /**
     * {@code torch.result_type} of the operands of an element-wise op as the TorchScript
     * interpreter computes it (0-d traced constants promote as Python numbers).
     *
     * @param operands tensors and numbers, typed by shape inference
     * @return the dtype the op computes in
     */
    public static TorchDType resultType(List<Value> operands) {
        return Broadcast.resultTypeOf(operands);
    }

    /** Category used by promotion: bool < integer < floating < complex. */
    static int category(TorchDType t) {
        return switch (t.kind()) {
            case BOOL -> 0;
            case INT, UNSIGNED, QUANTIZED -> 1;
            case FLOAT -> 2;
            case COMPLEX -> 3;
        };
    }

    /**
     * {@code torch.promote_types}.
     *
     * @param a a dtype
     * @param b another
     * @return the smallest dtype both convert to
     */
    public static TorchDType promote(TorchDType a, TorchDType b) {
        if (a == b) {
            return a;
        }
        int ca = category(a);
        int cb = category(b);
        if (ca != cb) {
            TorchDType hi = ca > cb ? a : b;
            return hi;
        }
        return switch (ca) {
            case 2 -> {
                boolean halfPair =
                        (a == TorchDType.FLOAT16 && b == TorchDType.BFLOAT16)
                                || (a == TorchDType.BFLOAT16 && b == TorchDType.FLOAT16);
                yield halfPair ? TorchDType.FLOAT32 : a.elementSize() >= b.elementSize() ? a : b;
            }
            case 1 -> promoteIntegers(a, b);
            default -> a.elementSize() >= b.elementSize() ? a : b;
        };
    }

    private static TorchDType promoteIntegers(TorchDType a, TorchDType b) {
        boolean ua = a == TorchDType.UINT8;
        boolean ub = b == TorchDType.UINT8;
        if (ua || ub) {
            TorchDType signed = ua ? b : a;
            return signed == TorchDType.INT8
                    ? TorchDType.INT16
                    : signed; // uint8 with int8 needs int16
        }
        return a.elementSize() >= b.elementSize() ? a : b;
    }
}
