package org.torch2nnef.check.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/** Conversions of {@link Value}s to Java numbers, with errors naming where the value came from. */
final class Values {
    private Values() {}

    static long toLong(Value v, Supplier<String> where) {
        if (v instanceof Value.Int i) {
            return i.value();
        }
        if (v instanceof Value.Bool b) {
            return b.value() ? 1 : 0;
        }
        if (v instanceof Value.Real r && r.value() == Math.rint(r.value())) {
            return (long) r.value();
        }
        if (v instanceof Value.Tensor t
                && t.array().size() == 1
                && !t.array().getDataType().isFloating()) {
            return t.array().toType(DataType.INT64, false).toLongArray()[0];
        }
        throw new NnefExecutionException(
                where.get() + ": expected an integer, got " + Value.describe(v));
    }

    static long[] toLongs(Value v, Supplier<String> where) {
        if (v instanceof Value.Tensor t && !t.array().getDataType().isFloating()) {
            NDArray a = t.array();
            if (a.getShape().dimension() > 1) {
                throw new NnefExecutionException(
                        where.get() + ": expected integers, got " + Value.describe(v));
            }
            return a.toType(DataType.INT64, false).toLongArray();
        }
        if (v instanceof Value.Array a) {
            // items may be integers or small integer tensors (pieces of a computed shape)
            long[] buf = new long[a.items().size()];
            int n = 0;
            for (Value item : a.items()) {
                long[] part =
                        item instanceof Value.Tensor
                                ? toLongs(item, where)
                                : new long[] {toLong(item, where)};
                if (n + part.length > buf.length) {
                    buf = Arrays.copyOf(buf, n + part.length + buf.length);
                }
                System.arraycopy(part, 0, buf, n, part.length);
                n += part.length;
            }
            return Arrays.copyOf(buf, n);
        }
        if (v instanceof Value.Tuple t) {
            return toLongs(new Value.Array(t.items()), where);
        }
        throw new NnefExecutionException(
                where.get() + ": expected an array of integers, got " + Value.describe(v));
    }

    static double toDouble(Value v, Supplier<String> where) {
        if (v instanceof Value.Int i) {
            return i.value();
        }
        if (v instanceof Value.Real r) {
            return r.value();
        }
        if (v instanceof Value.Tensor t && t.array().size() == 1) {
            return t.array().toType(DataType.FLOAT64, false).toDoubleArray()[0];
        }
        throw new NnefExecutionException(
                where.get() + ": expected a scalar, got " + Value.describe(v));
    }

    static boolean toBoolean(Value v, Supplier<String> where) {
        if (v instanceof Value.Bool b) {
            return b.value();
        }
        if (v instanceof Value.Tensor t
                && t.array().size() == 1
                && t.array().getDataType() == DataType.BOOLEAN) {
            return t.array().toBooleanArray()[0];
        }
        throw new NnefExecutionException(
                where.get() + ": expected a logical, got " + Value.describe(v));
    }

    static Value ints(long... values) {
        Value[] items = new Value[values.length];
        for (int i = 0; i < values.length; i++) {
            items[i] = new Value.Int(values[i]);
        }
        return new Value.Array(List.of(items));
    }
}
