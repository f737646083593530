package org.torch2nnef.check.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.function.BinaryOperator;

/**
 * Pooling and resampling: {@code box} (sum, or mean with {@code normalize}), {@code avg_pool},
 * {@code max_pool}, {@code rms_pool}, {@code nearest_upsample}, {@code nearest_downsample},
 * {@code area_downsample}. Sizes, strides, dilations and paddings cover every axis; empty padding
 * is automatic "same" padding (extra item after). Border {@code ignore} leaves padding out of
 * averages, {@code constant} counts zeros, {@code replicate}/{@code reflect} pad with the input;
 * max_pool pads with -inf for {@code ignore} and {@code constant} alike, as tract does. Windows
 * over spatial axes only run on the engine's pooling kernels; others (e.g. over channels, as
 * local response normalization needs) sum or max shifted strided slices.
 */
final class PoolOps {
    private PoolOps() {
    }

    private static final String[] PARAMS = {"input", "size", "border = 'constant'", "padding = []",
        "stride = []", "dilation = []"};

    static void register(OpRegistry r) {
        String[] box = Arrays.copyOf(PARAMS, PARAMS.length + 1);
        box[PARAMS.length] = "normalize = false";
        r.add("box", c -> new Value.Tensor(box(c, c.tensor("input"), c.logical("normalize"))), box);
        r.add("avg_pool", c -> new Value.Tensor(box(c, c.tensor("input"), true)), PARAMS);
        r.add("rms_pool", c -> new Value.Tensor(box(c, c.tensor("input").square(), true).sqrt()), PARAMS);
        r.add("max_pool", c -> new Value.Tensor(maxPool(c, c.tensor("input"))), PARAMS);
        String[] debox = Arrays.copyOf(PARAMS, PARAMS.length + 2);
        debox[PARAMS.length] = "output_shape = []";
        debox[PARAMS.length + 1] = "normalize = false";
        r.add("debox", PoolOps::debox, debox);
        r.add("nearest_upsample", c -> {
            NDArray x = c.tensor("input");
            long[] factor = factors(c, x);
            NDArray y = x;
            for (int i = 0; i < factor.length; i++) {
                y = y.repeat(i + 2, factor[i]);
            }
            return new Value.Tensor(y);
        }, "input", "factor");
        r.add("nearest_downsample", c -> {
            NDArray x = c.tensor("input");
            long[] factor = factors(c, x);
            NDArray y = x;
            for (int i = 0; i < factor.length; i++) {
                y = y.get(ShapeOps.axisSlice(i + 2, 0, y.getShape().get(i + 2), factor[i]));
            }
            return new Value.Tensor(y);
        }, "input", "factor");
        r.add("area_downsample", c -> {
            NDArray x = c.tensor("input");
            long[] factor = factors(c, x);
            long[] size = new long[factor.length + 2];
            Arrays.fill(size, 1);
            System.arraycopy(factor, 0, size, 2, factor.length);
            Window w = new Window(size, size, new long[size.length][2], ones(size.length));
            return new Value.Tensor(sum(x, w).div(Arrays.stream(size).reduce(1, (a, b) -> a * b)));
        }, "input", "factor");
    }

    private static long[] factors(OpCall c, NDArray x) {
        long[] factor = c.ints("factor");
        if (factor.length != x.getShape().dimension() - 2) {
            throw c.error("factor " + Arrays.toString(factor) + " must have one item per spatial axis of " + x.getShape());
        }
        return factor;
    }

    private static long[] ones(int n) {
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
    static Window window(OpCall c, NDArray x, long[] size, long[] stride, long[] dilation, long[][] padding) {
        int rank = x.getShape().dimension();
        if (size.length != rank || stride.length != 0 && stride.length != rank
                || dilation.length != 0 && dilation.length != rank || padding.length != 0 && padding.length != rank) {
            throw c.error("size, stride, dilation and padding must have one entry per axis of " + x.getShape()
                    + ", got size " + Arrays.toString(size) + ", stride " + Arrays.toString(stride) + ", dilation "
                    + Arrays.toString(dilation) + ", " + padding.length + " padding pairs");
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
        return window(c, x, c.ints("size"), c.ints("stride"), c.ints("dilation"), c.pairs("padding"));
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
    private static NDArray sum(NDArray padded, Window w) {
        if (w.engineKernels()) {
            Shape k = w.spatial(w.size());
            NDArray mean = padded.getNDArrayInternal().avgPool(k, w.spatial(w.stride()),
                    new Shape(new long[k.dimension()]), false, true);
            return mean.mul(w.volume());
        }
        return slide(padded, w, NDArray::add);
    }

    private static NDArray maxPool(OpCall c, NDArray x) {
        Window w = window(c, x);
        String border = c.string("border");
        NDArray padded = border.equals("ignore") || border.equals("constant")
                ? Padding.pad(x, w.pads(), "constant", Double.NEGATIVE_INFINITY, c::op)
                : Padding.pad(x, w.pads(), border, 0, c::op);
        if (w.engineKernels()) {
            return padded.getNDArrayInternal().maxPool(w.spatial(w.size()), w.spatial(w.stride()),
                    new Shape(new long[w.size().length - 2]), false);
        }
        return slide(padded, w, NDArray::maximum);
    }

    /**
     * debox, the transpose of box: each item adds its value to a window of the output placed at
     * stride steps (tract runs it as a deconv with an all-ones filter). Windows are separable, so
     * each axis is spread (zeros between items) and summed over shifted copies.
     */
    private static Value debox(OpCall c) {
        NDArray x = c.tensor("input");
        int rank = x.getShape().dimension();
        long[] size = c.ints("size");
        long[] stride = c.ints("stride");
        long[] dilation = c.ints("dilation");
        long[][] padding = c.pairs("padding");
        long[] outputShape = c.ints("output_shape");
        if (size.length != rank || stride.length != 0 && stride.length != rank || dilation.length != 0
                && dilation.length != rank || padding.length != 0 && padding.length != rank
                || outputShape.length != 0 && outputShape.length != rank) {
            throw c.error("size, stride, dilation, padding and output_shape must have one entry per axis of " + x.getShape());
        }
        if (!c.string("border").equals("constant") && !c.string("border").equals("ignore")) {
            throw c.error("border '" + c.string("border") + "' is not supported for debox");
        }
        NDArray y = x;
        for (int axis = 0; axis < rank; axis++) {
            long k = size[axis];
            long s = stride.length == 0 ? 1 : stride[axis];
            long d = dilation.length == 0 ? 1 : dilation[axis];
            long n = x.getShape().get(axis);
            long extent = (k - 1) * d;
            long full = (n - 1) * s + extent + 1;
            long before;
            long after;
            if (padding.length == 0) {
                long total = Math.max(0, full - n * s);
                before = total / 2;
                after = total - before;
            } else {
                before = padding[axis][0];
                after = padding[axis][1];
            }
            long size1 = full - before - after;
            if (outputShape.length != 0) {
                if (outputShape[axis] < size1 || outputShape[axis] >= size1 + s) {
                    throw c.error("output_shape " + Arrays.toString(outputShape) + " is not reachable on axis " + axis);
                }
                size1 = outputShape[axis];
            }
            NDArray spread = Padding.spread(y, axis, s);
            NDArray acc = null;
            for (long j = 0; j < k; j++) {
                long[][] shift = new long[rank][2];
                shift[axis][0] = j * d;
                shift[axis][1] = extent - j * d + Math.max(0, before + size1 - full);
                NDArray part = Padding.pad(spread, shift, "constant", 0, c::op);
                acc = acc == null ? part : acc.add(part);
            }
            y = Padding.range(acc, axis, before, before + size1);
        }
        return new Value.Tensor(c.logical("normalize") ? y.div(Arrays.stream(size).reduce(1, (a, b) -> a * b)) : y);
    }

    /**
     * Combines, axis by axis, the {@code size} strided slices each window is made of (windows
     * are separable for sum and max).
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
                throw new NnefExecutionException("window of " + extent + " items is larger than the padded axis " + axis
                        + " of " + n + " items");
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
