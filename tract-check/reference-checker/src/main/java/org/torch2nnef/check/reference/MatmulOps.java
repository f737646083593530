package org.torch2nnef.check.reference;

import ai.djl.ndarray.NDArray;

/** {@code matmul} (with {@code transposeA}/{@code transposeB}) and {@code linear}. */
final class MatmulOps {
    private MatmulOps() {}

    static void register(OpRegistry r) {
        r.add(
                "matmul",
                c -> {
                    NDArray a = c.tensor("A");
                    NDArray b = c.tensor("B", a.getDataType());
                    return new Value.Tensor(
                            matmul(c, a, b, c.logical("transposeA"), c.logical("transposeB")));
                },
                "A",
                "B",
                "transposeA = false",
                "transposeB = false");
        r.add(
                "linear",
                c -> {
                    NDArray x = c.tensor("input");
                    NDArray y = matmul(c, x, c.tensor("filter", x.getDataType()), false, true);
                    NDArray bias = c.tensor("bias", y.getDataType());
                    return new Value.Tensor(ElementwiseOps.broadcastPair(y, bias, NDArray::add));
                },
                "input",
                "filter",
                "bias = 0.0");
    }

    /** Batched matrix product over the last two axes; leading axes broadcast. */
    static NDArray matmul(OpCall c, NDArray a, NDArray b, boolean transposeA, boolean transposeB) {
        if (a.getShape().dimension() < 2 || b.getShape().dimension() < 2) {
            throw c.error(
                    "operands must have rank 2 or more, got "
                            + a.getShape()
                            + " and "
                            + b.getShape());
        }
        NDArray x = transposeA ? a.swapAxes(-1, -2) : a;
        NDArray y = transposeB ? b.swapAxes(-1, -2) : b;
        if (x.getShape().get(x.getShape().dimension() - 1)
                != y.getShape().get(y.getShape().dimension() - 2)) {
            throw c.error(
                    "inner dimensions differ: "
                            + x.getShape()
                            + " x "
                            + y.getShape()
                            + " (transposeA="
                            + transposeA
                            + ", transposeB="
                            + transposeB
                            + ")");
        }
        return x.matMul(y);
    }
}
