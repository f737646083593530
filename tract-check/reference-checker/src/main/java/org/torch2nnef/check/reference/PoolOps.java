package org.torch2nnef.check.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.function.BinaryOperator;

/**
 * Pooling: {@code box} (sum, or mean with {@code normalize}), {@code avg_pool}, {@code max_pool},
 * {@code max_pool_with_index}, {@code argmax_pool}, {@code rms_pool}. Sizes, strides, dilations and
 * paddings cover every axis; empty padding is automatic "same" padding (extra item after). Border
 * {@code ignore} leaves padding out of averages, {@code constant} counts zeros, {@code
 * replicate}/{@code reflect} pad with the input; max_pool pads with -inf for {@code ignore} and
 * {@code constant} alike, as tract does. Windows over spatial axes only run on the engine's pooling
 * kernels; others (e.g. over channels, as local response normalization needs) sum or max shifted
 * strided slices.
 */
final class PoolOps {
    private PoolOps() {}

    static final String[] PARAMS = {
        "input", "size", "border = 'constant'", "padding = []", "stride = []", "dilation = []"
    };

    static void register(OpRegistry r) {
        String[] box = Arrays.copyOf(PARAMS, PARAMS.length + 1);
        box[PARAMS.length] = "normalize = false";
        r.add("box", c -> new Value.Tensor(box(c, c.tensor("input"), c.logical("normalize"))), box);
        r.add("avg_pool", c -> new Value.Tensor(box(c, c.tensor("input"), true)), PARAMS);
        r.add(
                "rms_pool",
                c -> new Value.Tensor(box(c, c.tensor("input").square(), true).sqrt()),
                PARAMS);
        r.add("max_pool", c -> new Value.Tensor(maxPool(c, c.tensor("input"))), PARAMS);
        r.add(
                "max_pool_with_index",
                c -> {
                    NDArray[] r2 = maxWithIndex(c, c.tensor("input"));
                    return new Value.Tuple(
                            List.of(new Value.Tensor(r2[0]), new Value.Tensor(r2[1])));
                },
                PARAMS);
        r.add("argmax_pool", c -> new Value.Tensor(maxWithIndex(c, c.tensor("input"))[1]), PARAMS);
    }

    static long[] ones(int n) {
        long[] v = new long[n];
        Arrays.fill(v, 1);
        return v;
    }

    /** Window geometry over every axis, padding resolved. */
    record Window(long[] size, long[] stride, long[][] pads, long[] dilation) {
        long volume() {
            return Arrays.stream(size).reduce(1, (a, b) -> a * b);
        }

        /** True when only spatial axes are pooled, without dilation: the engine's kernels apply. */
        boolean engineKernels() {
            int rank = size.length;
            if (rank < 3 || rank > 5) {
                return false;
            }
            for (int i = 0; i < rank; i++) {
                if (dilation[i] != 1 || i < 2 && (size[i] != 1 || stride[i] != 1)) {
                    return false;
                }
            }
            return true;
        }

        Shape spatial(long[] v) {
            return new Shape(Arrays.copyOfRange(v, 2, v.length));
        }
    }

    /** The window of a pooling call; {@code size} etc. are read from its arguments. */
    static Window window(
            OpCall c, NDArray x, long[] size, long[] stride, long[] dilation, long[][] padding) {
        int rank = x.getShape().dimension();
        if (size.length != rank
                || stride.length != 0 && stride.length != rank
                || dilation.length != 0 && dilation.length != rank
                || padding.length != 0 && padding.length != rank) {
            throw c.error(
                    "size, stride, dilation and padding must have one entry per axis of "
                            + x.getShape()
                            + ", got size "
                            + Arrays.toString(size)
                            + ", stride "
                            + Arrays.toString(stride)
                            + ", dilation "
                            + Arrays.toString(dilation)
                            + ", "
                            + padding.length
                            + " padding pairs");
        }
        long[] s = stride.length == 0 ? ones(rank) : stride;
        long[] d = dilation.length == 0 ? ones(rank) : dilation;
        long[][] p = padding;
        if (p.length == 0) {
            p = new long[rank][2];
            for (int i = 0; i < rank; i++) {
                long in = x.getShape().get(i);
                long extent = (size[i] - 1) * d[i] + 1;
                long total = Math.max(0, ((in + s[i] - 1) / s[i] - 1) * s[i] + extent - in);
                p[i][0] = total / 2;
                p[i][1] = total - total / 2;
            }
        }
        return new Window(size, s, p, d);
    }

    private static Window window(OpCall c, NDArray x) {
        return window(
                c, x, c.ints("size"), c.ints("stride"), c.ints("dilation"), c.pairs("padding"));
    }

    /** box of a pooling call's arguments. */
    private static NDArray box(OpCall c, NDArray x, boolean normalize) {
        return box(x, window(c, x), c.string("border"), normalize, c);
    }

    /** Sum (or mean) of {@code x} over each window. */
    static NDArray box(NDArray x, Window w, String border, boolean normalize, OpCall c) {
        NDArray padded = Padding.pad(x, w.pads(), border, 0, c::op);
        Window inner = new Window(w.size(), w.stride(), new long[w.size().length][2], w.dilation());
        NDArray sum = sum(padded, inner);
        if (!normalize) {
            return sum;
        }
        if (!border.equals("ignore")) {
            return sum.div(w.volume());
        }
        NDArray count = sum(Padding.pad(x.onesLike(), w.pads(), "constant", 0, c::op), inner);
        return sum.div(count);
    }

    /** Window sums of an already padded tensor. */
    static NDArray sum(NDArray padded, Window w) {
        if (w.engineKernels()) {
            Shape k = w.spatial(w.size());
            NDArray mean =
                    padded.getNDArrayInternal()
                            .avgPool(
                                    k,
                                    w.spatial(w.stride()),
                                    new Shape(new long[k.dimension()]),
                                    false,
                                    true);
            return mean.mul(w.volume());
        }
        return slide(padded, w, NDArray::add);
    }

    private static NDArray maxPool(OpCall c, NDArray x) {
        Window w = window(c, x);
        String border = c.string("border");
        NDArray padded =
                border.equals("ignore") || border.equals("constant")
                        ? Padding.pad(x, w.pads(), "constant", Double.NEGATIVE_INFINITY, c::op)
                        : Padding.pad(x, w.pads(), border, 0, c::op);
        if (w.engineKernels()) {
            return padded.getNDArrayInternal()
                    .maxPool(
                            w.spatial(w.size()),
                            w.spatial(w.stride()),
                            new Shape(new long[w.size().length - 2]),
                            false);
        }
        return slide(padded, w, NDArray::maximum);
    }

    /**
     * Max and its position over each window, as tract's MaxPool with index outputs: the position is
     * the flat index within the spatial plane of the input (batch and channel excluded, as torch's
     * return_indices), padding never wins, ties keep the first in row-major window order.
     */
    private static NDArray[] maxWithIndex(OpCall c, NDArray x) {
        Window w = window(c, x);
        int rank = x.getShape().dimension();
        if (rank < 3
                || w.size()[0] != 1
                || w.size()[1] != 1
                || w.stride()[0] != 1
                || w.stride()[1] != 1) {
            throw c.error(
                    "max pool with index needs windows over spatial axes only, got size "
                            + Arrays.toString(w.size())
                            + " for "
                            + x.getShape());
        }
        long[] spatial = Arrays.copyOfRange(x.getShape().getShape(), 2, rank);
        long plane = Arrays.stream(spatial).reduce(1, (a, b) -> a * b);
        long[] posShape = x.getShape().getShape().clone();
        posShape[0] = 1;
        posShape[1] = 1;
        NDArray positions =
                c.manager().arange(0, plane, 1, DataType.INT64).reshape(new Shape(posShape));
        NDArray values = Padding.pad(x, w.pads(), "constant", Double.NEGATIVE_INFINITY, c::op);
        NDArray index = Padding.pad(positions, w.pads(), "constant", -1, c::op);
        long[] out = new long[rank];
        for (int a = 0; a < rank; a++) {
            long extent = (w.size()[a] - 1) * w.dilation()[a] + 1;
            out[a] = (values.getShape().get(a) - extent) / w.stride()[a] + 1;
        }
        NDArray best = null;
        NDArray bestIndex = null;
        long[] offset = new long[rank];
        for (long k = 0; k < w.volume(); k++) {
            long rest = k;
            for (int a = rank - 1; a >= 0; a--) {
                offset[a] = rest % w.size()[a];
                rest /= w.size()[a];
            }
            NDIndex select = new NDIndex();
            NDIndex selectIndex = new NDIndex();
            for (int a = 0; a < rank; a++) {
                long begin = offset[a] * w.dilation()[a];
                long end = begin + (out[a] - 1) * w.stride()[a] + 1;
                select.addSliceDim(begin, end, w.stride()[a]);
                selectIndex.addSliceDim(
                        a < 2 ? 0 : begin, a < 2 ? 1 : end, a < 2 ? 1 : w.stride()[a]);
            }
            NDArray v = values.get(select);
            NDArray i = index.get(selectIndex).broadcast(v.getShape());
            if (best == null) {
                best = v;
                bestIndex = i;
            } else {
                NDArray better = v.gt(best);
                best = Tensors.where(better, v, best);
                bestIndex = Tensors.where(better, i, bestIndex);
            }
        }
        return new NDArray[] {best, bestIndex};
    }

    /**
     * Combines, axis by axis, the {@code size} strided slices each window is made of (windows are
     * separable for sum and max).
     */
    private static NDArray slide(NDArray padded, Window w, BinaryOperator<NDArray> combine) {
        NDArray y = padded;
        for (int axis = 0; axis < w.size().length; axis++) {
            long k = w.size()[axis];
            long s = w.stride()[axis];
            long d = w.dilation()[axis];
            if (k == 1 && s == 1) {
                continue;
            }
            long n = y.getShape().get(axis);
            long extent = (k - 1) * d + 1;
            if (n < extent) {
                throw new NnefExecutionException(
                        "window of "
                                + extent
                                + " items is larger than the padded axis "
                                + axis
                                + " of "
                                + n
                                + " items");
            }
            long out = (n - extent) / s + 1;
            NDArray acc = null;
            for (long j = 0; j < k; j++) {
                long begin = j * d;
                NDArray part = y.get(ShapeOps.axisSlice(axis, begin, begin + (out - 1) * s + 1, s));
                acc = acc == null ? part : combine.apply(acc, part);
            }
            y = acc;
        }
        return y;
    }
}
