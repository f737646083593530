package org.torch2nnef.check.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.torch2nnef.nnef.model.TypeName;

/**
 * One invocation of a registered op with its arguments bound to parameter names (defaults filled
 * in), and typed accessors that fail with a message naming the op and the parameter.
 */
final class OpCall {
    private final OpDef def;
    private final Map<String, Value> args;
    private final Optional<TypeName> generic;
    private final List<String> outputNames;
    private final Evaluator evaluator;

    OpCall(
            OpDef def,
            Map<String, Value> args,
            Optional<TypeName> generic,
            List<String> outputNames,
            Evaluator evaluator) {
        this.def = def;
        this.args = args;
        this.generic = generic;
        this.outputNames = outputNames;
        this.evaluator = evaluator;
    }

    /** The op's name. */
    String op() {
        return def.name();
    }

    /** The manager owning every tensor of this run. */
    NDManager manager() {
        return evaluator.manager();
    }

    /** Whose semantics the model is read with ({@link Dialect}). */
    Dialect dialect() {
        return evaluator.run().dialect();
    }

    /** The evaluator running this call (for ops that call other ops or fragments). */
    Evaluator evaluator() {
        return evaluator;
    }

    /** The generic type argument ({@code external<integer>}), if any. */
    Optional<TypeName> generic() {
        return generic;
    }

    /** Names the enclosing assignment defines (graph inputs are found by these). */
    List<String> outputNames() {
        return outputNames;
    }

    /** The bound value of parameter {@code name}. */
    Value value(String name) {
        Value v = args.get(name);
        if (v == null) {
            throw error("missing argument '" + name + "'");
        }
        return v;
    }

    /** Parameter {@code name} as a tensor; literals become tensors of their natural type. */
    NDArray tensor(String name) {
        return Tensors.toArray(value(name), manager(), null, () -> op() + "." + name);
    }

    /** Parameter {@code name} as a tensor; literals take the data type {@code like}. */
    NDArray tensor(String name, DataType like) {
        return Tensors.toArray(value(name), manager(), like, () -> op() + "." + name);
    }

    /** Parameter {@code name} as a list of tensors ({@code tensor<…>[]}). */
    List<NDArray> tensors(String name) {
        List<NDArray> out = new ArrayList<>();
        for (Value v : items(name)) {
            out.add(Tensors.toArray(v, manager(), null, () -> op() + "." + name));
        }
        return out;
    }

    /** Items of an array (or tuple) parameter. */
    List<Value> items(String name) {
        Value v = value(name);
        if (v instanceof Value.Array a) {
            return a.items();
        }
        if (v instanceof Value.Tuple t) {
            return t.items();
        }
        throw error("parameter '" + name + "' must be an array, got " + Value.describe(v));
    }

    /** Parameter {@code name} as an integer (a one-item integer tensor is accepted). */
    long integer(String name) {
        return Values.toLong(value(name), () -> op() + "." + name);
    }

    /** Parameter {@code name} as an int (axes, counts). */
    int intValue(String name) {
        return Math.toIntExact(integer(name));
    }

    /** Parameter {@code name} as an array of integers. */
    long[] ints(String name) {
        return Values.toLongs(value(name), () -> op() + "." + name);
    }

    /** Parameter {@code name} as a real. */
    double real(String name) {
        return Values.toDouble(value(name), () -> op() + "." + name);
    }

    /** Parameter {@code name} as a logical. */
    boolean logical(String name) {
        return Values.toBoolean(value(name), () -> op() + "." + name);
    }

    /** Parameter {@code name} as a string. */
    String string(String name) {
        Value v = value(name);
        if (v instanceof Value.Str s) {
            return s.value();
        }
        throw error("parameter '" + name + "' must be a string, got " + Value.describe(v));
    }

    /** Parameter {@code name} as {@code (integer, integer)[]}, e.g. padding. */
    long[][] pairs(String name) {
        List<Value> items = items(name);
        long[][] out = new long[items.size()][];
        for (int i = 0; i < out.length; i++) {
            long[] p = Values.toLongs(items.get(i), () -> op() + "." + name);
            if (p.length != 2) {
                throw error(
                        "parameter '"
                                + name
                                + "' item "
                                + i
                                + " must be a pair, got "
                                + p.length
                                + " values");
            }
            out[i] = p;
        }
        return out;
    }

    /** An error about this call: {@code op 'name': problem}. */
    NnefExecutionException error(String problem) {
        return new NnefExecutionException("op '" + op() + "': " + problem);
    }
}
