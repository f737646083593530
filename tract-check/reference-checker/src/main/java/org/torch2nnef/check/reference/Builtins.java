package org.torch2nnef.check.reference;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The NNEF built-in functions on compile-time values: {@code length_of}, {@code range_of}, {@code
 * shape_of} (of a tensor, as an integer array), and the conversions {@code integer}, {@code
 * scalar}, {@code logical}, {@code string}.
 */
final class Builtins {
    private Builtins() {}

    /** The built-in's result, or null when {@code name} is not a built-in. */
    static Value call(String name, List<Value> positional, Map<String, Value> named) {
        switch (name) {
            case "length_of", "range_of", "shape_of", "integer", "scalar", "logical", "string" -> {}
            default -> {
                return null;
            }
        }
        if (positional.size() != 1 || !named.isEmpty()) {
            throw new NnefExecutionException(
                    "built-in '" + name + "' takes exactly one positional argument");
        }
        Value v = positional.get(0);
        switch (name) {
            case "length_of":
                return new Value.Int(length(v, name));
            case "range_of":
                {
                    long n = length(v, name);
                    List<Value> out = new ArrayList<>();
                    for (long i = 0; i < n; i++) {
                        out.add(new Value.Int(i));
                    }
                    return new Value.Array(out);
                }
            case "shape_of":
                // literals are rank-0 tensors
                return v instanceof Value.Tensor t
                        ? Values.ints(t.array().getShape().getShape())
                        : new Value.Array(List.of());
            case "integer":
                if (v instanceof Value.Real r) {
                    return new Value.Int((long) r.value());
                }
                if (v instanceof Value.Str s) {
                    return new Value.Int(Long.parseLong(s.value().strip()));
                }
                return new Value.Int(Values.toLong(v, () -> "integer()"));
            case "scalar":
                if (v instanceof Value.Str s) {
                    return new Value.Real(Double.parseDouble(s.value().strip()));
                }
                if (v instanceof Value.Bool b) {
                    return new Value.Real(b.value() ? 1 : 0);
                }
                return new Value.Real(Values.toDouble(v, () -> "scalar()"));
            case "logical":
                if (v instanceof Value.Int i) {
                    return new Value.Bool(i.value() != 0);
                }
                if (v instanceof Value.Real r) {
                    return new Value.Bool(r.value() != 0);
                }
                if (v instanceof Value.Str s) {
                    return new Value.Bool(!s.value().isEmpty());
                }
                return new Value.Bool(Values.toBoolean(v, () -> "logical()"));
            default:
                if (v instanceof Value.Int i) {
                    return new Value.Str(Long.toString(i.value()));
                }
                if (v instanceof Value.Real r) {
                    return new Value.Str(Double.toString(r.value()));
                }
                if (v instanceof Value.Bool b) {
                    return new Value.Str(Boolean.toString(b.value()));
                }
                if (v instanceof Value.Str s) {
                    return s;
                }
                throw new NnefExecutionException("string() of " + Value.describe(v));
        }
    }

    private static long length(Value v, String name) {
        if (v instanceof Value.Array a) {
            return a.items().size();
        }
        if (v instanceof Value.Str s) {
            return s.value().length();
        }
        if (v instanceof Value.Tensor t) {
            NDArray a = t.array();
            return a.getShape().dimension() == 0 ? 1 : a.getShape().get(0);
        }
        throw new NnefExecutionException(name + "() of " + Value.describe(v));
    }
}
