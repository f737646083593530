package org.torch2nnef.check.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.torch2nnef.check.torch.OwnedArrays;

/** Tensor helpers shared by the op families: literal conversion, NNEF broadcasting, types. */
final class Tensors {
    private Tensors() {}

    /**
     * {@code v} as a tensor. Literals become tensors of {@code like} when given (so that {@code x *
     * 2.0} keeps the type of {@code x}), else of their natural type: integer INT64, scalar FLOAT32,
     * logical BOOLEAN. Arrays of literals become 1-D (or nested) tensors.
     */
    static NDArray toArray(Value v, NDManager m, DataType like, Supplier<String> where) {
        if (v instanceof Value.Tensor t) {
            return t.array();
        } else if (v instanceof Value.Int i) {
            return scalar(m, i.value(), like == null ? DataType.INT64 : like);
        } else if (v instanceof Value.Real r) {
            return scalar(m, r.value(), like == null ? DataType.FLOAT32 : like);
        } else if (v instanceof Value.Bool b) {
            NDArray a = OwnedArrays.of(m, new boolean[] {b.value()}, new Shape());
            return like == null || like == DataType.BOOLEAN ? a : a.toType(like, false);
        } else if (v instanceof Value.Array a) {
            NDArray literal = literalArray(a, m, like);
            if (literal != null) {
                return literal;
            }
            if (a.items().isEmpty()) {
                return OwnedArrays.of(m, new float[0], new Shape(0))
                        .toType(like == null ? DataType.FLOAT32 : like, false);
            }
            List<NDArray> parts = new ArrayList<>();
            for (Value item : a.items()) {
                parts.add(toArray(item, m, like, where));
            }
            DataType t = like != null ? like : common(parts);
            List<NDArray> cast = new ArrayList<>();
            for (NDArray p : parts) {
                cast.add(p.toType(t, false));
            }
            return ai.djl.ndarray.NDArrays.stack(new ai.djl.ndarray.NDList(cast), 0);
        }
        throw new NnefExecutionException(
                where.get() + ": expected a tensor, got " + Value.describe(v));
    }

    /**
     * A (nested) array of numeric or logical literals as one tensor, built from one Java array (no
     * tensor per item); null when the array holds anything else or is ragged.
     */
    private static NDArray literalArray(Value.Array a, NDManager m, DataType like) {
        List<Long> shape = new ArrayList<>();
        Value probe = a;
        while (probe instanceof Value.Array pa && !pa.items().isEmpty()) {
            shape.add((long) pa.items().size());
            probe = pa.items().get(0);
        }
        if (!(probe instanceof Value.Int
                || probe instanceof Value.Real
                || probe instanceof Value.Bool)) {
            return null;
        }
        int count = (int) shape.stream().mapToLong(Long::longValue).reduce(1, (x, y) -> x * y);
        double[] values = new double[count];
        int[] kinds = new int[3]; // ints, reals, bools
        if (!flatten(a, 0, shape, values, new int[1], kinds)) {
            return null;
        }
        Shape s = new Shape(shape.stream().mapToLong(Long::longValue).toArray());
        DataType natural =
                kinds[2] > 0
                        ? (kinds[0] + kinds[1] > 0 ? null : DataType.BOOLEAN)
                        : kinds[1] > 0 ? DataType.FLOAT32 : DataType.INT64;
        if (natural == null) {
            return null;
        }
        NDArray out;
        if (natural == DataType.INT64) {
            long[] l = new long[count];
            for (int i = 0; i < count; i++) {
                l[i] = (long) values[i];
            }
            out = OwnedArrays.of(m, l, s);
        } else if (natural == DataType.BOOLEAN) {
            boolean[] b = new boolean[count];
            for (int i = 0; i < count; i++) {
                b[i] = values[i] != 0;
            }
            out = OwnedArrays.of(m, b, s);
        } else {
            out = OwnedArrays.of(m, values, s).toType(DataType.FLOAT32, false);
        }
        return like == null || like == natural ? out : out.toType(like, false);
    }

    private static boolean flatten(
            Value v, int depth, List<Long> shape, double[] out, int[] pos, int[] kinds) {
        if (depth == shape.size()) {
            if (v instanceof Value.Int i) {
                kinds[0]++;
                out[pos[0]++] = i.value();
            } else if (v instanceof Value.Real r) {
                kinds[1]++;
                out[pos[0]++] = r.value();
            } else if (v instanceof Value.Bool b) {
                kinds[2]++;
                out[pos[0]++] = b.value() ? 1 : 0;
            } else {
                return false;
            }
            return true;
        }
        if (!(v instanceof Value.Array a) || a.items().size() != shape.get(depth)) {
            return false;
        }
        for (Value item : a.items()) {
            if (!flatten(item, depth + 1, shape, out, pos, kinds)) {
                return false;
            }
        }
        return true;
    }

    /** A rank-0 tensor of {@code type} holding {@code value}. */
    static NDArray scalar(NDManager m, double value, DataType type) {
        if (type == DataType.INT64
                || type == DataType.INT32
                || type == DataType.INT8
                || type == DataType.UINT8
                || type == DataType.INT16) {
            return OwnedArrays.of(m, new long[] {(long) value}, new Shape()).toType(type, false);
        }
        if (type == DataType.BOOLEAN) {
            return OwnedArrays.of(m, new boolean[] {value != 0}, new Shape());
        }
        if (type == DataType.FLOAT64) {
            return OwnedArrays.of(m, new double[] {value}, new Shape());
        }
        return OwnedArrays.of(m, new float[] {(float) value}, new Shape()).toType(type, false);
    }

    /** The type binary ops compute in: the floating one (wider first), else INT64, else BOOLEAN. */
    static DataType common(List<NDArray> arrays) {
        DataType best = null;
        for (NDArray a : arrays) {
            DataType t = a.getDataType();
            if (best == null || rank(t) > rank(best)) {
                best = t;
            }
        }
        return best;
    }

    private static int rank(DataType t) {
        if (t == DataType.FLOAT64) {
            return 6;
        }
        if (t == DataType.FLOAT32) {
            return 5;
        }
        if (t.isFloating()) {
            return 4;
        }
        if (t == DataType.INT64) {
            return 3;
        }
        if (t == DataType.BOOLEAN) {
            return 0;
        }
        return 2;
    }

    /**
     * NNEF broadcasting: a tensor of lower rank gets trailing singleton axes (tract's
     * multi_rank_broadcast), e.g. a {@code [1, C]} bias against {@code [N, C, H, W]}; the engine
     * then broadcasts singleton axes.
     */
    static NDArray padRank(NDArray a, int rank) {
        long[] s = a.getShape().getShape();
        if (s.length >= rank) {
            return a;
        }
        long[] out = new long[rank];
        System.arraycopy(s, 0, out, 0, s.length);
        for (int i = s.length; i < rank; i++) {
            out[i] = 1;
        }
        return a.reshape(new Shape(out));
    }

    /** Largest rank of {@code arrays}. */
    static int maxRank(NDArray... arrays) {
        int r = 0;
        for (NDArray a : arrays) {
            r = Math.max(r, a.getShape().dimension());
        }
        return r;
    }

    /** Axis {@code axis} made non-negative for a tensor of rank {@code rank}, checked. */
    static int axis(long axis, int rank, Supplier<String> where) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new NnefExecutionException(
                    where.get() + ": axis " + axis + " out of range for rank " + rank);
        }
        return (int) a;
    }

    /** Axes made non-negative and checked. */
    static int[] axes(long[] axes, int rank, Supplier<String> where) {
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            out[i] = axis(axes[i], rank, where);
        }
        return out;
    }

    /**
     * Rounds half away from zero (Rust's {@code f32::round}, which tract's {@code round} uses); the
     * engine's own round is half-to-even.
     */
    static NDArray roundHalfAway(NDArray x) {
        NDArray magnitude = x.abs();
        NDArray whole = magnitude.floor();
        NDArray up = magnitude.sub(whole).gte(0.5f);
        return whole.add(up.toType(x.getDataType(), false)).mul(x.sign());
    }

    /**
     * {@code where(condition, a, b)} for operands of equal rank whose singleton axes broadcast (the
     * engine's where does not broadcast).
     */
    static NDArray where(NDArray condition, NDArray a, NDArray b) {
        int rank = condition.getShape().dimension();
        long[] shape = new long[rank];
        for (NDArray x : new NDArray[] {condition, a, b}) {
            if (x.getShape().dimension() != rank) {
                throw new NnefExecutionException(
                        "select operands differ in rank: "
                                + condition.getShape()
                                + ", "
                                + a.getShape()
                                + ", "
                                + b.getShape());
            }
            for (int i = 0; i < rank; i++) {
                long d = x.getShape().get(i);
                if (d != 1 && shape[i] > 1 && d != shape[i]) {
                    throw new NnefExecutionException(
                            "select operands do not broadcast: "
                                    + condition.getShape()
                                    + ", "
                                    + a.getShape()
                                    + ", "
                                    + b.getShape());
                }
                shape[i] = Math.max(shape[i], d);
            }
        }
        Shape s = new Shape(shape);
        return ai.djl.ndarray.NDArrays.where(
                broadcastTo(condition, s), broadcastTo(a, s), broadcastTo(b, s));
    }

    private static NDArray broadcastTo(NDArray x, Shape s) {
        return x.getShape().equals(s) ? x : x.broadcast(s);
    }
}
