package org.torch2nnef.check.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.torch2nnef.check.torch.OwnedArrays;

/**
 * Resampling: {@code nearest_upsample}, {@code multilinear_upsample}, {@code nearest_downsample},
 * {@code area_downsample} (factors over the spatial axes) and {@code debox}, the transpose of box.
 */
final class ResampleOps {
    private ResampleOps() {}

    static void register(OpRegistry r) {
        r.add(
                "nearest_upsample",
                c -> {
                    NDArray x = c.tensor("input");
                    long[] factor = factors(c, x);
                    NDArray y = x;
                    for (int i = 0; i < factor.length; i++) {
                        y = y.repeat(i + 2, factor[i]);
                    }
                    return new Value.Tensor(y);
                },
                "input",
                "factor");
        r.add(
                "multilinear_upsample",
                ResampleOps::multilinearUpsample,
                "input",
                "factor",
                "method = 'symmetric'",
                "border = 'replicate'");
        r.add(
                "nearest_downsample",
                c -> {
                    NDArray x = c.tensor("input");
                    long[] factor = factors(c, x);
                    NDArray y = x;
                    for (int i = 0; i < factor.length; i++) {
                        y = y.get(ShapeOps.axisSlice(i + 2, 0, y.getShape().get(i + 2), factor[i]));
                    }
                    return new Value.Tensor(y);
                },
                "input",
                "factor");
        r.add(
                "area_downsample",
                c -> {
                    NDArray x = c.tensor("input");
                    long[] factor = factors(c, x);
                    long[] size = new long[factor.length + 2];
                    Arrays.fill(size, 1);
                    System.arraycopy(factor, 0, size, 2, factor.length);
                    PoolOps.Window w =
                            new PoolOps.Window(
                                    size,
                                    size,
                                    new long[size.length][2],
                                    PoolOps.ones(size.length));
                    return new Value.Tensor(
                            PoolOps.sum(x, w).div(Arrays.stream(size).reduce(1, (a, b) -> a * b)));
                },
                "input",
                "factor");
        String[] debox = Arrays.copyOf(PoolOps.PARAMS, PoolOps.PARAMS.length + 2);
        debox[PoolOps.PARAMS.length] = "output_shape = []";
        debox[PoolOps.PARAMS.length + 1] = "normalize = false";
        r.add("debox", ResampleOps::debox, debox);
    }

    private static long[] factors(OpCall c, NDArray x) {
        long[] factor = c.ints("factor");
        if (factor.length != x.getShape().dimension() - 2) {
            throw c.error(
                    "factor "
                            + Arrays.toString(factor)
                            + " must have one item per spatial axis of "
                            + x.getShape());
        }
        return factor;
    }

    /**
     * multilinear_upsample as tract reads it (a linear Resize): {@code factor} covers the trailing
     * axes; method {@code symmetric} samples at {@code (o + 0.5) / f - 0.5} (torch's
     * align_corners=False), {@code aligned} at {@code o (n - 1) / (n f - 1)} (align_corners=True),
     * {@code asymmetric} at {@code o / f}; coordinates are clamped to the input (border {@code
     * replicate}, the only one tract accepts).
     */
    private static Value multilinearUpsample(OpCall c) {
        NDArray x = c.tensor("input");
        long[] factor = c.ints("factor");
        String method = c.string("method");
        if (!c.string("border").equals("replicate")) {
            throw c.error(
                    "border '"
                            + c.string("border")
                            + "' is not supported (tract reads only 'replicate')");
        }
        int rank = x.getShape().dimension();
        if (factor.length > rank) {
            throw c.error(
                    "factor "
                            + Arrays.toString(factor)
                            + " has more entries than input "
                            + x.getShape()
                            + " has axes");
        }
        NDArray y = x;
        for (int i = 0; i < factor.length; i++) {
            int axis = rank - factor.length + i;
            long n = y.getShape().get(axis);
            long out = n * factor[i];
            long[] low = new long[(int) out];
            long[] high = new long[(int) out];
            float[] weight = new float[(int) out];
            for (int o = 0; o < out; o++) {
                double pos =
                        switch (method) {
                            case "symmetric" -> (o + 0.5) / factor[i] - 0.5;
                            case "aligned" -> out > 1 ? o * (double) (n - 1) / (out - 1) : 0;
                            case "asymmetric" -> (double) o / factor[i];
                            default ->
                                    throw c.error(
                                            "unknown method '"
                                                    + method
                                                    + "' (symmetric, aligned, asymmetric)");
                        };
                pos = Math.max(0, Math.min(n - 1, pos));
                low[o] = (long) Math.floor(pos);
                high[o] = Math.min(low[o] + 1, n - 1);
                weight[o] = (float) (pos - low[o]);
            }
            long[] wShape = new long[rank];
            Arrays.fill(wShape, 1);
            wShape[axis] = out;
            NDArray w =
                    OwnedArrays.of(c.manager(), weight, new Shape(wShape))
                            .toType(y.getDataType(), false);
            NDArray a =
                    TractCoreOps.take(
                            y, OwnedArrays.of(c.manager(), low, new Shape(low.length)), axis);
            NDArray b =
                    TractCoreOps.take(
                            y, OwnedArrays.of(c.manager(), high, new Shape(high.length)), axis);
            y = a.add(b.sub(a).mul(w));
        }
        return new Value.Tensor(y);
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
        if (size.length != rank
                || stride.length != 0 && stride.length != rank
                || dilation.length != 0 && dilation.length != rank
                || padding.length != 0 && padding.length != rank
                || outputShape.length != 0 && outputShape.length != rank) {
            throw c.error(
                    "size, stride, dilation, padding and output_shape must have one entry per axis of "
                            + x.getShape());
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
                    throw c.error(
                            "output_shape "
                                    + Arrays.toString(outputShape)
                                    + " is not reachable on axis "
                                    + axis);
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
        return new Value.Tensor(
                c.logical("normalize") ? y.div(Arrays.stream(size).reduce(1, (a, b) -> a * b)) : y);
    }
}
