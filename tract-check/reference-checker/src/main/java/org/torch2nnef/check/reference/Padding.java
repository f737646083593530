package org.torch2nnef.check.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.function.Supplier;

/**
 * Pads tensors along each axis with the NNEF border modes: {@code constant} (a value), {@code
 * replicate} (tract spells it {@code replicated}; also {@code edge}), {@code reflect} (mirror
 * without the edge) and {@code reflect-even} (mirror with the edge).
 */
final class Padding {
    private Padding() {}

    /** {@code x} padded by {@code pads[axis] = {before, after}} for every axis. */
    static NDArray pad(
            NDArray x, long[][] pads, String border, double value, Supplier<String> where) {
        if (pads.length != x.getShape().dimension()) {
            throw new NnefExecutionException(
                    where.get()
                            + ": "
                            + pads.length
                            + " padding pairs for rank "
                            + x.getShape().dimension());
        }
        NDArray out = x;
        for (int axis = 0; axis < pads.length; axis++) {
            long before = pads[axis][0];
            long after = pads[axis][1];
            if (before < 0 || after < 0) {
                throw new NnefExecutionException(
                        where.get() + ": negative padding on axis " + axis);
            }
            if (before != 0 || after != 0) {
                out = padAxis(out, axis, before, after, border, value, where);
            }
        }
        return out;
    }

    private static NDArray padAxis(
            NDArray x,
            int axis,
            long before,
            long after,
            String border,
            double value,
            Supplier<String> where) {
        long n = x.getShape().get(axis);
        NDArray head;
        NDArray tail;
        switch (border) {
            case "constant", "ignore" -> {
                head = filled(x, axis, before, value);
                tail = filled(x, axis, after, value);
            }
            case "replicate", "replicated", "edge" -> {
                head = range(x, axis, 0, 1).repeat(axis, before);
                tail = range(x, axis, n - 1, n).repeat(axis, after);
            }
            case "reflect" -> {
                if (before >= n || after >= n) {
                    throw new NnefExecutionException(
                            where.get()
                                    + ": reflect padding "
                                    + Math.max(before, after)
                                    + " needs more than "
                                    + n
                                    + " items on axis "
                                    + axis);
                }
                head = range(x, axis, 1, before + 1).flip(axis);
                tail = range(x, axis, n - 1 - after, n - 1).flip(axis);
            }
            case "reflect-even" -> {
                if (before > n || after > n) {
                    throw new NnefExecutionException(
                            where.get()
                                    + ": reflect-even padding "
                                    + Math.max(before, after)
                                    + " needs at least as many items on axis "
                                    + axis
                                    + ", got "
                                    + n);
                }
                head = range(x, axis, 0, before).flip(axis);
                tail = range(x, axis, n - after, n).flip(axis);
            }
            default ->
                    throw new NnefExecutionException(
                            where.get() + ": unsupported border '" + border + "'");
        }
        return NDArrays.concat(new NDList(head, x, tail), axis);
    }

    /** Items {@code [begin, end)} of {@code axis}. */
    static NDArray range(NDArray x, int axis, long begin, long end) {
        NDIndex index = new NDIndex();
        for (int i = 0; i < axis; i++) {
            index.addAllDim();
        }
        index.addSliceDim(begin, end);
        return x.get(index);
    }

    private static NDArray filled(NDArray x, int axis, long count, double value) {
        long[] shape = x.getShape().getShape().clone();
        shape[axis] = count;
        return x.getManager().full(new Shape(shape), (float) value).toType(x.getDataType(), false);
    }

    /** Inserts {@code stride - 1} zeros between the items of {@code axis}. */
    static NDArray spread(NDArray x, int axis, long stride) {
        if (stride == 1) {
            return x;
        }
        long[] s = x.getShape().getShape();
        long n = s[axis];
        NDArray items = x.expandDims(axis + 1);
        long[] zerosShape = items.getShape().getShape().clone();
        zerosShape[axis + 1] = stride - 1;
        NDArray withZeros =
                ai.djl.ndarray.NDArrays.concat(
                        new ai.djl.ndarray.NDList(
                                items,
                                x.getManager().zeros(new Shape(zerosShape), x.getDataType())),
                        axis + 1);
        long[] merged = s.clone();
        merged[axis] = n * stride;
        return range(withZeros.reshape(new Shape(merged)), axis, 0, (n - 1) * stride + 1);
    }
}
