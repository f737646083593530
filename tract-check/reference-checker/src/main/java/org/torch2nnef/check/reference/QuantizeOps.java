package org.torch2nnef.check.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * The NNEF quantization ops on float tensors: {@code zero_point_linear_quantize}, {@code
 * min_max_linear_quantize}, {@code linear_quantize}, {@code logarithmic_quantize}.
 */
final class QuantizeOps {
    private QuantizeOps() {}

    static void register(OpRegistry r) {
        r.add(
                "zero_point_linear_quantize",
                c ->
                        t(
                                Quantizer.zeroPoint(
                                        c.tensor("x"),
                                        c.integer("zero_point"),
                                        c.real("scale"),
                                        c.intValue("bits"),
                                        c.logical("signed"),
                                        c.logical("symmetric"))),
                "x",
                "zero_point",
                "scale",
                "bits",
                "signed",
                "symmetric");
        r.add(
                "min_max_linear_quantize",
                c -> {
                    NDArray x = c.tensor("x");
                    return t(
                            Quantizer.minMax(
                                    x,
                                    c.tensor("min", x.getDataType()),
                                    c.tensor("max", x.getDataType()),
                                    c.intValue("bits"),
                                    c.logical("signed"),
                                    c.logical("symmetric")));
                },
                "x",
                "min",
                "max",
                "bits",
                "signed",
                "symmetric");
        r.add(
                "linear_quantize",
                c -> {
                    NDArray x = c.tensor("x");
                    return t(
                            Quantizer.minMax(
                                    x,
                                    c.tensor("min", x.getDataType()),
                                    c.tensor("max", x.getDataType()),
                                    c.intValue("bits"),
                                    false,
                                    false));
                },
                "x",
                "min",
                "max",
                "bits");
        r.add(
                "logarithmic_quantize",
                c -> {
                    // q = round(clamp(log2|x|, m - r, m)) with m = ceil(log2 max), r = 2^bits - 1;
                    // y = sign(x) 2^q
                    NDArray x = c.tensor("x");
                    NDArray m = c.tensor("max", x.getDataType()).log2().ceil();
                    double levels = Math.pow(2, c.intValue("bits")) - 1;
                    NDArray log = x.abs().log2();
                    NDArray clamped =
                            ElementwiseOps.broadcastPair(
                                    ElementwiseOps.broadcastPair(
                                            log, m.sub(levels), NDArray::maximum),
                                    m,
                                    NDArray::minimum);
                    NDArray two =
                            Tensors.scalar(c.manager(), 2, DataType.FLOAT32)
                                    .toType(x.getDataType(), false);
                    return t(x.sign().mul(two.pow(Tensors.roundHalfAway(clamped))));
                },
                "x",
                "max",
                "bits");
    }

    private static Value t(NDArray a) {
        return new Value.Tensor(a);
    }
}
