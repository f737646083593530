package org.torch2nnef.check.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Shape and layout ops: {@code reshape}, {@code squeeze}, {@code unsqueeze}, {@code transpose},
 * {@code concat}, {@code stack}, {@code unstack}, {@code split}, {@code slice}, {@code pad}, {@code
 * tile}, and tract's {@code tract_core_broadcast}, {@code tract_core_dyn_slice}, {@code
 * tract_core_downsample}.
 */
final class ShapeOps {
    private ShapeOps() {}

    static void register(OpRegistry r) {
        r.add("reshape", ShapeOps::reshape, "input", "shape", "axis_start = 0", "axis_count = -1");
        r.add("squeeze", ShapeOps::squeeze, "input", "axes");
        r.add("unsqueeze", ShapeOps::unsqueeze, "input", "axes");
        r.add("transpose", ShapeOps::transpose, "input", "axes");
        r.add(
                "concat",
                c -> {
                    List<NDArray> values = sameType(c.tensors("values"));
                    int axis =
                            Tensors.axis(
                                    c.integer("axis"),
                                    values.get(0).getShape().dimension(),
                                    () -> "concat");
                    return t(NDArrays.concat(new NDList(values), axis));
                },
                "values",
                "axis");
        r.add(
                "stack",
                c -> {
                    List<NDArray> values = sameType(c.tensors("values"));
                    int axis =
                            Tensors.axis(
                                    c.integer("axis"),
                                    values.get(0).getShape().dimension() + 1,
                                    () -> "stack");
                    return t(NDArrays.stack(new NDList(values), axis));
                },
                "values",
                "axis");
        r.add(
                "unstack",
                c -> {
                    NDArray x = c.tensor("value");
                    int axis =
                            Tensors.axis(
                                    c.integer("axis"), x.getShape().dimension(), () -> "unstack");
                    List<Value> out = new ArrayList<>();
                    for (NDArray part : x.split(x.getShape().get(axis), axis)) {
                        out.add(t(part.squeeze(axis)));
                    }
                    return new Value.Array(out);
                },
                "value",
                "axis");
        r.add("split", ShapeOps::split, "value", "axis", "ratios");
        r.add("slice", ShapeOps::slice, "input", "axes", "begin", "end", "stride = []");
        r.add(
                "pad",
                c -> {
                    NDArray x = c.tensor("input");
                    return t(
                            Padding.pad(
                                    x,
                                    c.pairs("padding"),
                                    c.string("border"),
                                    c.real("value"),
                                    () -> "pad"));
                },
                "input",
                "padding",
                "border = 'constant'",
                "value = 0.0");
        r.add(
                "tile",
                c -> {
                    NDArray x = c.tensor("input");
                    long[] repeats = c.ints("repeats");
                    if (repeats.length != x.getShape().dimension()) {
                        throw c.error(
                                repeats.length + " repeats for rank " + x.getShape().dimension());
                    }
                    return t(x.tile(repeats));
                },
                "input",
                "repeats");
        r.add(
                "tract_core_broadcast",
                c -> {
                    NDArray x = c.tensor("input");
                    long[] target = c.ints("shape");
                    return t(
                            x.broadcast(
                                    new Shape(numpyBroadcast(x.getShape().getShape(), target, c))));
                },
                "input",
                "shape");
        r.add(
                "tract_core_dyn_slice",
                c -> {
                    NDArray x = c.tensor("input");
                    int axis =
                            Tensors.axis(
                                    c.integer("axis"),
                                    x.getShape().dimension(),
                                    () -> "tract_core_dyn_slice");
                    long start = c.integer("start");
                    long end = c.integer("end");
                    long len = c.integer("len");
                    long size = x.getShape().get(axis);
                    // tract checks these when it runs the op (core/src/ops/array/dyn_slice.rs,
                    // Tensor::slice)
                    if (start < 0 || start > end || end > size || start + len != end) {
                        throw c.error(
                                "items "
                                        + start
                                        + ".."
                                        + end
                                        + " (len "
                                        + len
                                        + ") do not fit axis "
                                        + axis
                                        + " of size "
                                        + size
                                        + ": start + len must be end, within the axis");
                    }
                    return t(Padding.range(x, axis, start, end));
                },
                "input",
                "start",
                "end",
                "len",
                "axis");
        r.add(
                "tract_core_downsample",
                c -> {
                    NDArray x = c.tensor("input");
                    int axis =
                            Tensors.axis(
                                    c.integer("axis"),
                                    x.getShape().dimension(),
                                    () -> "tract_core_downsample");
                    long stride = c.integer("stride");
                    if (stride <= 0) {
                        throw c.error(
                                "stride " + stride + " is not supported (only positive strides)");
                    }
                    return t(
                            x.get(
                                    axisSlice(
                                            axis,
                                            c.integer("modulo"),
                                            x.getShape().get(axis),
                                            stride)));
                },
                "input",
                "axis",
                "stride",
                "modulo = 0");
    }

    private static Value t(NDArray a) {
        return new Value.Tensor(a);
    }

    private static List<NDArray> sameType(List<NDArray> values) {
        if (values.isEmpty()) {
            throw new NnefExecutionException("empty list of tensors");
        }
        var common = Tensors.common(values);
        return values.stream().map(v -> v.toType(common, false)).toList();
    }

    /** reshape: {@code 0} copies the input dimension, {@code -1} takes what is left. */
    private static Value reshape(OpCall c) {
        NDArray x = c.tensor("input");
        long[] in = x.getShape().getShape();
        int start =
                Tensors.axis(c.integer("axis_start"), in.length + 1, () -> "reshape axis_start");
        long countArg = c.integer("axis_count");
        int count = countArg == -1 ? in.length - start : Math.toIntExact(countArg);
        if (start + count > in.length) {
            throw c.error(
                    "axis_start " + start + " + axis_count " + count + " exceed rank " + in.length);
        }
        long[] repl = c.ints("shape").clone();
        long known = 1;
        int inferred = -1;
        for (int i = 0; i < repl.length; i++) {
            if (repl[i] == 0) {
                if (start + i >= in.length) {
                    throw c.error(
                            "shape item " + i + " is 0 but the input has no axis " + (start + i));
                }
                repl[i] = in[start + i];
            }
            if (repl[i] == -1) {
                if (inferred >= 0) {
                    throw c.error("shape " + Arrays.toString(c.ints("shape")) + " has two -1");
                }
                inferred = i;
            } else {
                known *= repl[i];
            }
        }
        long volume = 1;
        for (int i = start; i < start + count; i++) {
            volume *= in[i];
        }
        if (inferred >= 0) {
            if (known == 0 || volume % known != 0) {
                throw c.error(
                        "cannot infer -1 in shape "
                                + Arrays.toString(c.ints("shape"))
                                + " for input "
                                + x.getShape());
            }
            repl[inferred] = volume / known;
        }
        long[] out = new long[in.length - count + repl.length];
        System.arraycopy(in, 0, out, 0, start);
        System.arraycopy(repl, 0, out, start, repl.length);
        System.arraycopy(in, start + count, out, start + repl.length, in.length - start - count);
        if (new Shape(out).size() != x.getShape().size()) {
            throw c.error("cannot reshape " + x.getShape() + " to " + Arrays.toString(out));
        }
        return t(x.reshape(new Shape(out)));
    }

    private static Value squeeze(OpCall c) {
        NDArray x = c.tensor("input");
        int[] axes = Tensors.axes(c.ints("axes"), x.getShape().dimension(), () -> "squeeze");
        for (int a : axes) {
            if (x.getShape().get(a) != 1) {
                throw c.error("axis " + a + " of " + x.getShape() + " is not 1");
            }
        }
        return t(axes.length == 0 ? x : x.squeeze(axes));
    }

    private static Value unsqueeze(OpCall c) {
        NDArray x = c.tensor("input");
        long[] axes = c.ints("axes").clone();
        int rank = x.getShape().dimension() + axes.length;
        int[] sorted = Tensors.axes(axes, rank, () -> "unsqueeze");
        Arrays.sort(sorted);
        List<Long> dims = new ArrayList<>();
        for (long d : x.getShape().getShape()) {
            dims.add(d);
        }
        for (int a : sorted) {
            dims.add(a, 1L);
        }
        return t(x.reshape(new Shape(dims.stream().mapToLong(Long::longValue).toArray())));
    }

    /** transpose: {@code axes} may cover only the leading axes; the others keep their place. */
    private static Value transpose(OpCall c) {
        NDArray x = c.tensor("input");
        int rank = x.getShape().dimension();
        long[] axes = c.ints("axes");
        if (axes.length > rank) {
            throw c.error(axes.length + " axes for rank " + rank);
        }
        int[] perm = new int[rank];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i < axes.length ? Tensors.axis(axes[i], rank, () -> "transpose") : i;
            if (seen[perm[i]]) {
                throw c.error("axes " + Arrays.toString(axes) + " are not a permutation");
            }
            seen[perm[i]] = true;
        }
        return t(x.transpose(perm));
    }

    /** split: part {@code i} gets {@code dim * ratios[i] / sum(ratios)} items. */
    private static Value split(OpCall c) {
        NDArray x = c.tensor("value");
        int axis = Tensors.axis(c.integer("axis"), x.getShape().dimension(), () -> "split");
        long[] ratios = c.ints("ratios");
        long total = Arrays.stream(ratios).sum();
        long dim = x.getShape().get(axis);
        if (total <= 0 || dim % total != 0) {
            throw c.error(
                    "axis "
                            + axis
                            + " of size "
                            + dim
                            + " cannot be split by ratios "
                            + Arrays.toString(ratios));
        }
        long unit = dim / total;
        List<Value> out = new ArrayList<>();
        long begin = 0;
        for (long ratio : ratios) {
            long end = begin + ratio * unit;
            out.add(t(Padding.range(x, axis, begin, end)));
            begin = end;
        }
        return new Value.Array(out);
    }

    /**
     * slice as tract reads it: a negative begin counts from the end, an end {@code <= 0} counts
     * from the end (so {@code 0} means "to the end"), both are clamped to the axis; a stride keeps
     * every stride-th item of the sliced range.
     */
    private static Value slice(OpCall c) {
        NDArray x = c.tensor("input");
        int rank = x.getShape().dimension();
        int[] axes = Tensors.axes(c.ints("axes"), rank, () -> "slice");
        long[] begin = c.ints("begin");
        long[] end = c.ints("end");
        long[] stride = c.ints("stride");
        if (begin.length != axes.length
                || end.length != axes.length
                || stride.length != 0 && stride.length != axes.length) {
            throw c.error(
                    "axes, begin, end and stride differ in length: "
                            + axes.length
                            + ", "
                            + begin.length
                            + ", "
                            + end.length
                            + ", "
                            + stride.length);
        }
        NDArray out = x;
        for (int i = 0; i < axes.length; i++) {
            long n = x.getShape().get(axes[i]);
            long b = Math.min(begin[i], n);
            if (b < 0) {
                b = Math.max(0, n + b);
            }
            long e = Math.min(end[i], n);
            if (e <= 0) {
                e = Math.max(0, n + e);
            }
            e = Math.max(e, b);
            long s = stride.length == 0 ? 1 : stride[i];
            if (s <= 0) {
                throw c.error(
                        "stride "
                                + s
                                + " on axis "
                                + axes[i]
                                + " is not supported (only positive strides)");
            }
            out = out.get(axisSlice(axes[i], b, e, s));
        }
        return t(out);
    }

    /** Index selecting {@code begin:end:step} on {@code axis}, everything on the other axes. */
    static NDIndex axisSlice(int axis, long begin, long end, long step) {
        NDIndex index = new NDIndex();
        for (int i = 0; i < axis; i++) {
            index.addAllDim();
        }
        return index.addSliceDim(begin, end, step);
    }

    /** The numpy broadcast of {@code shape} with {@code target} (aligned on the last axis). */
    static long[] numpyBroadcast(long[] shape, long[] target, OpCall c) {
        int rank = Math.max(shape.length, target.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long a = i < rank - shape.length ? 1 : shape[i - (rank - shape.length)];
            long b = i < rank - target.length ? 1 : target[i - (rank - target.length)];
            if (a != b && a != 1 && b != 1) {
                throw c.error(
                        "cannot broadcast "
                                + Arrays.toString(shape)
                                + " to "
                                + Arrays.toString(target));
            }
            out[i] = a == 1 ? b : a;
        }
        return out;
    }
}
