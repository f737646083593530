package org.torch2nnef.check.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import org.torch2nnef.check.torch.OwnedArrays;
import org.torch2nnef.nnef.model.Quantization;

/**
 * tract's own operators with their tract semantics (sonos/tract nnef/src/ops/core): {@code
 * tract_core_cast}, {@code tract_core_shape_of}, {@code tract_core_gather} (numpy take), {@code
 * tract_core_gather_elements}, {@code tract_core_gather_nd} (without batch axes), {@code
 * tract_core_scatter_elements} (torch scatter), {@code tract_core_range}, {@code
 * tract_core_one_hot}, {@code tract_core_topk}, {@code tract_core_trilu}. Reductions, softmax and
 * element-wise tract ops live with their families.
 */
final class TractCoreOps {
    private TractCoreOps() {}

    static void register(OpRegistry r) {
        r.add(
                "tract_core_cast",
                c -> {
                    NDArray x = c.tensor("input");
                    DataType to = TractTypes.parse(c.string("to"), c);
                    // a cast whose result graph.quant labels is tract's quantization of a float:
                    // its values stay floats here, on the grid (Quantizer.castToQuantized)
                    String out = c.outputNames().isEmpty() ? null : c.outputNames().get(0);
                    Quantization q = out == null ? null : c.evaluator().run().quantization(out);
                    if (q != null && x.getDataType().isFloating()) {
                        return t(Quantizer.apply(x, q, out));
                    }
                    return t(to == DataType.BOOLEAN ? x.neq(0) : x.toType(to, false));
                },
                "input",
                "to");
        r.add("tract_core_shape_of", c -> t(shapeOf(c.tensor("input"), c.manager())), "input");
        r.add(
                "tract_core_gather",
                c -> {
                    NDArray x = c.tensor("input");
                    int axis = Tensors.axis(c.integer("axis"), x.getShape().dimension(), c::op);
                    return t(take(x, c.tensor("indices", DataType.INT64), axis));
                },
                "input",
                "indices",
                "axis",
                "datum_type = ''");
        r.add(
                "tract_core_gather_elements",
                c -> {
                    NDArray x = c.tensor("input");
                    int axis = Tensors.axis(c.integer("axis"), x.getShape().dimension(), c::op);
                    NDArray idx =
                            wrap(
                                    c.tensor("indices", DataType.INT64)
                                            .toType(DataType.INT64, false),
                                    x.getShape().get(axis));
                    return t(x.gather(idx, axis));
                },
                "input",
                "indices",
                "axis");
        r.add("tract_core_gather_nd", TractCoreOps::gatherNd, "input", "indices", "batch_dims = 0");
        r.add(
                "tract_core_scatter_elements",
                c -> {
                    NDArray x = c.tensor("input");
                    int axis = Tensors.axis(c.integer("axis"), x.getShape().dimension(), c::op);
                    NDArray idx =
                            wrap(
                                    c.tensor("indices", DataType.INT64)
                                            .toType(DataType.INT64, false),
                                    x.getShape().get(axis));
                    return t(x.scatter(idx, c.tensor("updates", x.getDataType()), axis));
                },
                "input",
                "indices",
                "updates",
                "axis");
        r.add(
                "tract_core_range",
                c -> {
                    NDArray start = c.tensor("start");
                    NDArray end = c.tensor("end");
                    NDArray step = c.tensor("step");
                    if (start.getDataType().isFloating()
                            || end.getDataType().isFloating()
                            || step.getDataType().isFloating()) {
                        return t(
                                c.manager()
                                        .arange(
                                                (float) c.real("start"),
                                                (float) c.real("end"),
                                                (float) c.real("step"),
                                                DataType.FLOAT32));
                    }
                    long s = c.integer("start");
                    long e = c.integer("end");
                    long st = c.integer("step");
                    if (st == 0) {
                        throw c.error("step is 0");
                    }
                    long n = Math.max(0, (e - s + st + (st > 0 ? -1 : 1)) / st);
                    return t(c.manager().arange(0, n, 1, DataType.INT64).mul(st).add(s));
                },
                "start",
                "end",
                "step");
        r.add(
                "tract_core_one_hot",
                c -> {
                    NDArray x = c.tensor("input");
                    int rank = x.getShape().dimension() + 1;
                    int axis = Tensors.axis(c.integer("axis"), rank, c::op);
                    // one-hot along a new last axis, then moved to `axis`
                    NDArray classes = c.manager().arange(0, c.integer("dim"), 1, DataType.INT64);
                    NDArray isHot =
                            x.toType(DataType.INT64, false).expandDims(rank - 1).eq(classes);
                    NDArray on = Tensors.scalar(c.manager(), c.real("value_on"), DataType.FLOAT32);
                    NDArray off =
                            Tensors.scalar(c.manager(), c.real("value_off"), DataType.FLOAT32);
                    NDArray hot =
                            Tensors.where(
                                    isHot,
                                    on.reshape(new Shape(ones(rank))),
                                    off.reshape(new Shape(ones(rank))));
                    int[] perm = new int[rank];
                    for (int i = 0, k = 0; i < rank; i++) {
                        perm[i] = i == axis ? rank - 1 : k++;
                    }
                    return t(hot.transpose(perm));
                },
                "input",
                "axis",
                "dim",
                "value_off = 0.0",
                "value_on = 1.0");
        r.add(
                "tract_core_topk",
                c -> {
                    NDArray x = c.tensor("input");
                    int axis = Tensors.axis(c.integer("axis"), x.getShape().dimension(), c::op);
                    int k = c.intValue("k");
                    NDList out = x.topK(k, axis, c.logical("largest"), true);
                    return new Value.Tuple(
                            List.of(t(out.get(0)), t(out.get(1).toType(DataType.INT64, false))));
                },
                "input",
                "k",
                "axis",
                "largest");
        r.add(
                "tract_core_trilu",
                c -> {
                    NDArray x = c.tensor("input");
                    long[] s = x.getShape().getShape();
                    if (s.length < 2) {
                        throw c.error("input " + x.getShape() + " needs rank 2 or more");
                    }
                    long rows = s[s.length - 2];
                    long cols = s[s.length - 1];
                    NDArray row = c.manager().arange(0, rows, 1, DataType.INT64).reshape(rows, 1);
                    NDArray col = c.manager().arange(0, cols, 1, DataType.INT64).reshape(1, cols);
                    NDArray diff = col.sub(row);
                    long k = c.integer("k");
                    long[] maskShape = ones(s.length);
                    maskShape[s.length - 2] = rows;
                    maskShape[s.length - 1] = cols;
                    NDArray keep =
                            (c.logical("upper") ? diff.gte(k) : diff.lte(k))
                                    .reshape(new Shape(maskShape));
                    return t(Tensors.where(keep, x, x.zerosLike()));
                },
                "input",
                "k",
                "upper");
    }

    private static long[] ones(int rank) {
        long[] s = new long[rank];
        Arrays.fill(s, 1);
        return s;
    }

    private static Value t(NDArray a) {
        return new Value.Tensor(a);
    }

    /** The shape of {@code x} as a 1-D INT64 tensor, as tract_core_shape_of gives it. */
    private static NDArray shapeOf(NDArray x, NDManager m) {
        long[] dims = x.getShape().getShape();
        return OwnedArrays.of(m, dims, new Shape(dims.length));
    }

    /** Negative indices count from the end of the axis. */
    private static NDArray wrap(NDArray idx, long size) {
        return Tensors.where(idx.lt(0), idx.add(size), idx);
    }

    /**
     * numpy take: output shape {@code input[:axis] + indices.shape + input[axis+1:]}, computed as
     * one flat take with offsets {@code index * inner + j}.
     */
    static NDArray take(NDArray x, NDArray indices, int axis) {
        long[] s = x.getShape().getShape();
        long outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= s[i];
        }
        long inner = 1;
        for (int i = axis + 1; i < s.length; i++) {
            inner *= s[i];
        }
        long n = s[axis];
        NDArray idx = wrap(indices.toType(DataType.INT64, false), n);
        long count = idx.size();
        NDArray o =
                x.getManager()
                        .arange(0, outer, 1, DataType.INT64)
                        .mul(n * inner)
                        .reshape(outer, 1, 1);
        NDArray i = idx.reshape(1, count, 1).mul(inner);
        NDArray j = x.getManager().arange(0, inner, 1, DataType.INT64).reshape(1, 1, inner);
        NDArray flatIndex = o.add(i).add(j);
        NDArray gathered = x.flatten().take(x.getManager(), flatIndex.flatten());
        long[] out = new long[s.length - 1 + idx.getShape().dimension()];
        System.arraycopy(s, 0, out, 0, axis);
        long[] is = idx.getShape().getShape();
        System.arraycopy(is, 0, out, axis, is.length);
        System.arraycopy(s, axis + 1, out, axis + is.length, s.length - axis - 1);
        return gathered.reshape(new Shape(out));
    }

    private static Value gatherNd(OpCall c) {
        if (c.integer("batch_dims") != 0) {
            throw new UnsupportedOpException(
                    c.op(),
                    "op '"
                            + c.op()
                            + "': batch_dims "
                            + c.integer("batch_dims")
                            + " is not supported (only 0)");
        }
        NDArray x = c.tensor("input");
        NDArray idx = c.tensor("indices", DataType.INT64).toType(DataType.INT64, false);
        long[] s = x.getShape().getShape();
        long[] is = idx.getShape().getShape();
        int m = (int) is[is.length - 1];
        if (m > s.length) {
            throw c.error(
                    "indices "
                            + idx.getShape()
                            + " index more axes than input "
                            + x.getShape()
                            + " has");
        }
        NDArray flat = null;
        long stride = 1;
        for (int j = m - 1; j >= 0; j--) {
            NDArray part = wrap(Padding.range(idx, is.length - 1, j, j + 1), s[j]).mul(stride);
            flat = flat == null ? part : flat.add(part);
            stride *= s[j];
        }
        long[] rows = new long[s.length - m + 1];
        rows[0] = stride;
        System.arraycopy(s, m, rows, 1, s.length - m);
        NDArray picked = take(x.reshape(new Shape(rows)), flat.squeeze(-1), 0);
        long[] out = new long[is.length - 1 + s.length - m];
        System.arraycopy(is, 0, out, 0, is.length - 1);
        System.arraycopy(s, m, out, is.length - 1, s.length - m);
        return t(picked.reshape(new Shape(out)));
    }
}
