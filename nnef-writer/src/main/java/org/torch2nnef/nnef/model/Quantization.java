package org.torch2nnef.nnef.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One {@code graph.quant} entry: the quantization of a tensor, keyed by tensor name in {@link
 * NnefModel#quantization()}. tract reads exactly the two typed forms ({@link ZeroPointLinear},
 * {@link Linear}); {@link Other} keeps any other Khronos quantization invocation (e.g. {@code
 * logarithmic_quantize}) verbatim.
 */
public sealed interface Quantization
        permits Quantization.ZeroPointLinear, Quantization.Linear, Quantization.Other {

    /** The quantization operation name as written in {@code graph.quant}. */
    String op();

    /**
     * {@code zero_point_linear_quantize(zero_point, scale, bits, signed, symmetric)}: real value =
     * {@code scale * (q - zero_point)}.
     */
    record ZeroPointLinear(long zeroPoint, float scale, int bits, boolean signed, boolean symmetric)
            implements Quantization {
        public ZeroPointLinear {
            checkBits(bits);
        }

        /** As tract writes it: {@code symmetric} is true exactly when the zero point is 0. */
        public static ZeroPointLinear of(long zeroPoint, float scale, int bits, boolean signed) {
            return new ZeroPointLinear(zeroPoint, scale, bits, signed, zeroPoint == 0);
        }

        @Override
        public String op() {
            return "zero_point_linear_quantize";
        }
    }

    /**
     * {@code linear_quantize(min, max, bits)}: {@code 2^bits} levels spread over {@code [min,
     * max]}.
     */
    record Linear(float min, float max, int bits) implements Quantization {
        public Linear {
            checkBits(bits);
        }

        @Override
        public String op() {
            return "linear_quantize";
        }
    }

    /** Any other quantization invocation, with its named arguments in order. */
    record Other(String op, Map<String, Expr> args) implements Quantization {
        public Other {
            Objects.requireNonNull(op, "quantization op");
            args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
        }
    }

    private static void checkBits(int bits) {
        if (bits < 1 || bits > 64) {
            throw new IllegalArgumentException("quantization bits " + bits + " outside 1..64");
        }
    }
}
