package org.torch2nnef.check.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Reductions over {@code axes}, keeping reduced axes as size 1 (NNEF semantics): sum (with {@code
 * normalize} = mean), mean, min, max, product, any, all, argmin/argmax (first occurrence; the
 * {@code _last} tract variants take the last; several axes index their flattened window), and
 * {@code moments}.
 */
final class ReduceOps {
    private ReduceOps() {}

    static void register(OpRegistry r) {
        r.add(
                "sum_reduce",
                c -> {
                    NDArray x = c.tensor("input");
                    return t(
                            reduce(
                                    c,
                                    x,
                                    c.logical("normalize")
                                            ? ReduceOps::mean
                                            : (a, ax) -> a.sum(ax, true)));
                },
                "input",
                "axes",
                "normalize = false");
        plain(r, "mean_reduce", ReduceOps::mean);
        plain(r, "max_reduce", (a, ax) -> eachAxis(a, ax, (x, k) -> x.max(k, true)));
        plain(r, "min_reduce", (a, ax) -> eachAxis(a, ax, (x, k) -> x.min(k, true)));
        plain(
                r,
                "tract_core_product_reduce",
                (a, ax) -> eachAxis(a, ax, (x, k) -> x.prod(k, true)));
        plain(r, "any_reduce", (a, ax) -> a.toType(DataType.INT32, false).max(ax, true).gt(0));
        plain(r, "all_reduce", (a, ax) -> a.toType(DataType.INT32, false).min(ax, true).gt(0));
        plain(r, "argmax_reduce", (a, ax) -> argReduce(a, ax, true, false));
        plain(r, "argmin_reduce", (a, ax) -> argReduce(a, ax, false, false));
        plain(r, "tract_core_argmax_reduce_last", (a, ax) -> argReduce(a, ax, true, true));
        plain(r, "tract_core_argmin_reduce_last", (a, ax) -> argReduce(a, ax, false, true));
        r.add(
                "moments",
                c -> {
                    NDArray x = c.tensor("input");
                    NDArray mean = reduce(c, x, ReduceOps::mean);
                    NDArray variance =
                            reduce(
                                    c,
                                    ElementwiseOps.broadcastPair(x, mean, NDArray::sub).square(),
                                    ReduceOps::mean);
                    return new Value.Tuple(List.of(t(mean), t(variance)));
                },
                "input",
                "axes");
    }

    private static Value t(NDArray a) {
        return new Value.Tensor(a);
    }

    private static void plain(OpRegistry r, String name, BiFunction<NDArray, int[], NDArray> f) {
        r.add(name, c -> t(reduce(c, c.tensor("input"), f)), "input", "axes");
    }

    private static NDArray reduce(OpCall c, NDArray x, BiFunction<NDArray, int[], NDArray> f) {
        int[] axes = Tensors.axes(c.ints("axes"), x.getShape().dimension(), () -> c.op());
        if (axes.length == 0) {
            return x;
        }
        return f.apply(x, axes);
    }

    /** One axis at a time, for engine reductions that take a single axis. */
    static NDArray eachAxis(NDArray x, int[] axes, BiFunction<NDArray, int[], NDArray> f) {
        NDArray y = x;
        for (int a : axes) {
            y = f.apply(y, new int[] {a});
        }
        return y;
    }

    private static NDArray mean(NDArray x, int[] axes) {
        NDArray in = x.getDataType().isFloating() ? x : x.toType(DataType.FLOAT32, false);
        long count = 1;
        for (int a : axes) {
            count *= x.getShape().get(a);
        }
        NDArray m = in.sum(axes, true).div(count); // the engine's mean takes one axis only
        return x.getDataType().isFloating() ? m : m.toType(x.getDataType(), false);
    }

    /**
     * Index of the max (min) over {@code axes}: the reduced axes are moved last and flattened, so
     * several axes give the row-major index within their window.
     */
    private static NDArray argReduce(NDArray x, int[] axes, boolean max, boolean last) {
        int rank = x.getShape().dimension();
        boolean[] reduced = new boolean[rank];
        for (int a : axes) {
            reduced[a] = true;
        }
        int[] perm = new int[rank];
        int k = 0;
        long[] keep = x.getShape().getShape().clone();
        long window = 1;
        for (int i = 0; i < rank; i++) {
            if (!reduced[i]) {
                perm[k++] = i;
            }
        }
        for (int i = 0; i < rank; i++) {
            if (reduced[i]) {
                perm[k++] = i;
                window *= keep[i];
                keep[i] = 1;
            }
        }
        long[] lead = new long[rank - axes.length + 1];
        for (int i = 0; i < rank - axes.length; i++) {
            lead[i] = x.getShape().get(perm[i]);
        }
        lead[lead.length - 1] = window;
        NDArray flat = x.transpose(perm).reshape(new Shape(lead));
        int axis = lead.length - 1;
        if (last) {
            flat = flat.flip(axis);
        }
        NDArray idx = (max ? flat.argMax(axis) : flat.argMin(axis)).toType(DataType.INT64, false);
        if (last) {
            idx = idx.neg().add(window - 1);
        }
        return idx.reshape(new Shape(keep));
    }
}
