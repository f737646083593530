package org.torch2nnef.check.reference;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Objects;

/**
 * What an NNEF expression evaluates to: a tensor, or one of the compile-time values of the NNEF
 * type system (integer, scalar, logical, string, arrays and tuples of those). Literal values stay
 * Java values until an operation needs them as a tensor, so that their element type can follow the
 * tensor they are combined with (as tract does for inline constants).
 */
sealed interface Value {

    /** A tensor held by the run's manager. */
    record Tensor(NDArray array) implements Value {
        public Tensor {
            Objects.requireNonNull(array, "array");
        }
    }

    /** An {@code integer} literal or computed integer. */
    record Int(long value) implements Value {}

    /** A {@code scalar} literal or computed real. */
    record Real(double value) implements Value {}

    /** A {@code logical}. */
    record Bool(boolean value) implements Value {}

    /** A {@code string}. */
    record Str(String value) implements Value {}

    /** An array {@code [a, b, …]}. */
    record Array(List<Value> items) implements Value {
        public Array {
            items = List.copyOf(items);
        }
    }

    /** A tuple {@code (a, b, …)}. */
    record Tuple(List<Value> items) implements Value {
        public Tuple {
            items = List.copyOf(items);
        }
    }

    /** A short description for error messages. */
    static String describe(Value v) {
        if (v instanceof Tensor t) {
            return "tensor " + t.array().getDataType() + t.array().getShape();
        } else if (v instanceof Int i) {
            return "integer " + i.value();
        } else if (v instanceof Real r) {
            return "scalar " + r.value();
        } else if (v instanceof Bool b) {
            return "logical " + b.value();
        } else if (v instanceof Str s) {
            return "string '" + s.value() + "'";
        } else if (v instanceof Array a) {
            return "array of " + a.items().size();
        }
        return "tuple of " + ((Tuple) v).items().size();
    }
}
