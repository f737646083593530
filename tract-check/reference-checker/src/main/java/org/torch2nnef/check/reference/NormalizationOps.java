package org.torch2nnef.check.reference;

import ai.djl.ndarray.NDArray;
import java.util.function.BinaryOperator;

/**
 * Softmax family and normalizations: {@code softmax}, {@code tract_core_softmax}, {@code
 * tract_core_log_softmax}, {@code tract_core_rms_norm}, {@code batch_normalization}, {@code
 * local_response_normalization}, {@code local_mean_normalization}, {@code
 * local_variance_normalization}, {@code local_contrast_normalization}, {@code l1_normalization},
 * {@code l2_normalization}, all as the NNEF fragments define them.
 */
final class NormalizationOps {
    private NormalizationOps() {}

    static void register(OpRegistry r) {
        r.add("softmax", c -> t(softmax(c, "x", false)), "x", "axes = [1]");
        r.add("tract_core_softmax", c -> t(softmax(c, "x", false)), "x", "axes", "exp = ''");
        r.add("tract_core_log_softmax", c -> t(softmax(c, "x", true)), "x", "axes", "exp = ''");
        r.add(
                "tract_core_rms_norm",
                c -> {
                    // x / sqrt(mean(x^2 over axis) + eps)
                    NDArray x = c.tensor("input");
                    int axis = Tensors.axis(c.integer("axis"), x.getShape().dimension(), c::op);
                    NDArray meanSquare =
                            x.square().sum(new int[] {axis}, true).div(x.getShape().get(axis));
                    return t(x.div(meanSquare.add(c.real("eps")).sqrt()));
                },
                "input",
                "axis",
                "eps = 0.000001");
        r.add(
                "batch_normalization",
                c -> {
                    NDArray x = c.tensor("input");
                    NDArray centered = bin(x, c.tensor("mean", x.getDataType()), NDArray::sub);
                    NDArray scaled =
                            bin(centered, c.tensor("scale", x.getDataType()), NDArray::mul);
                    NDArray std =
                            c.tensor("variance", x.getDataType()).add(c.real("epsilon")).sqrt();
                    return t(
                            bin(
                                    bin(scaled, std, NDArray::div),
                                    c.tensor("offset", x.getDataType()),
                                    NDArray::add));
                },
                "input",
                "mean",
                "variance",
                "offset",
                "scale",
                "epsilon");
        r.add(
                "local_response_normalization",
                c -> {
                    NDArray x = c.tensor("input");
                    NDArray sigma =
                            localMean(c, x.square()).mul(c.real("alpha")).add(c.real("bias"));
                    return t(x.div(sigma.pow(c.real("beta"))));
                },
                "input",
                "size",
                "alpha = 1.0",
                "beta = 0.5",
                "bias = 1.0");
        r.add(
                "local_mean_normalization",
                c -> {
                    NDArray x = c.tensor("input");
                    return t(x.sub(localMean(c, x)));
                },
                "input",
                "size");
        r.add(
                "local_variance_normalization",
                c -> {
                    NDArray x = c.tensor("input");
                    return t(varianceNormalize(c, x));
                },
                "input",
                "size",
                "bias = 0.0",
                "epsilon = 0.0");
        r.add(
                "local_contrast_normalization",
                c -> {
                    NDArray x = c.tensor("input");
                    return t(varianceNormalize(c, x.sub(localMean(c, x))));
                },
                "input",
                "size",
                "bias = 0.0",
                "epsilon = 0.0");
        r.add(
                "l1_normalization",
                c -> {
                    NDArray x = c.tensor("input");
                    int[] axes = Tensors.axes(c.ints("axes"), x.getShape().dimension(), c::op);
                    return t(divideClamped(c, x, x.abs().sum(axes, true)));
                },
                "input",
                "axes",
                "bias = 0.0",
                "epsilon = 0.0");
        r.add(
                "l2_normalization",
                c -> {
                    NDArray x = c.tensor("input");
                    int[] axes = Tensors.axes(c.ints("axes"), x.getShape().dimension(), c::op);
                    return t(divideClamped(c, x, x.square().sum(axes, true).sqrt()));
                },
                "input",
                "axes",
                "bias = 0.0",
                "epsilon = 0.0");
    }

    private static Value t(NDArray a) {
        return new Value.Tensor(a);
    }

    private static NDArray bin(NDArray a, NDArray b, BinaryOperator<NDArray> f) {
        return ElementwiseOps.broadcastPair(a, b, f);
    }

    /** exp(x - max) / sum(exp(x - max)) over {@code axes} (or its log). */
    private static NDArray softmax(OpCall c, String name, boolean log) {
        NDArray x = c.tensor(name);
        int[] axes = Tensors.axes(c.ints("axes"), x.getShape().dimension(), c::op);
        if (axes.length == 1) {
            return log ? x.logSoftmax(axes[0]) : x.softmax(axes[0]);
        }
        NDArray shifted = x.sub(ReduceOps.eachAxis(x, axes, (a, k) -> a.max(k, true)));
        NDArray sum = shifted.exp().sum(axes, true);
        return log ? shifted.sub(sum.log()) : shifted.exp().div(sum);
    }

    /**
     * box(x, size, normalize = true) with the defaults of the NNEF fragments (constant border, same
     * padding).
     */
    private static NDArray localMean(OpCall c, NDArray x) {
        PoolOps.Window w =
                PoolOps.window(c, x, c.ints("size"), new long[0], new long[0], new long[0][]);
        return PoolOps.box(x, w, "constant", true, c);
    }

    private static NDArray varianceNormalize(OpCall c, NDArray x) {
        return divideClamped(c, x, localMean(c, x.square()).sqrt());
    }

    /** x / max(sigma + bias, epsilon). */
    private static NDArray divideClamped(OpCall c, NDArray x, NDArray sigma) {
        return x.div(sigma.add(c.real("bias")).maximum(c.real("epsilon")));
    }
}
