package org.torch2nnef.export;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType;
import org.torch2nnef.torchscript.TorchTensor;

/**
 * Values known at export time: sizes, int lists and numbers set by shape inference or folded by a
 * translator, and the lists of tensors that {@code prim::ListConstruct} and friends bind.
 * Translators read arguments here ({@link #intArg}, {@link #dimList}, ...) and define outputs that
 * are never exported ({@link #fold}, {@link #bindList}).
 */
public final class ExportTimeValues {
    private final Map<Value, Object> folded = new HashMap<>();
    private final Map<Value, List<Value>> lists = new HashMap<>();

    ExportTimeValues() {}

    /**
     * A 0-d traced constant ({@code CONSTANTS.c0} holding the {@code 3.0} of {@code 3.0 * x}) as a
     * number: torch combines it with the other operand in that operand's dtype, so it is written as
     * a literal of that type rather than as a tensor of its own dtype.
     *
     * @param v a value
     * @return its number when it is a 0-d int or float constant
     * @throws TranslationException if the constant cannot be read
     */
    public Optional<Double> scalarConstant(Value v) throws TranslationException {
        Optional<TorchTensor> t = v.knownTensor();
        if (v.origin() != Value.Origin.CONSTANT || t.isEmpty() || t.get().rank() != 0) {
            return Optional.empty();
        }
        try {
            return switch (t.get().dtype().kind()) {
                case FLOAT -> Optional.of(t.get().toDoubleArray()[0]);
                case INT, UNSIGNED -> Optional.of((double) t.get().toLongArray()[0]);
                default -> Optional.empty();
            };
        } catch (IOException e) {
            throw new TranslationException(
                    "cannot read constant " + v.name() + ": " + e.getMessage());
        }
    }

    /**
     * @param v a value
     * @return its value known at export time: set by shape inference or folded by a translator
     */
    public Optional<Object> known(Value v) {
        Object f = folded.get(v);
        return f != null ? Optional.of(f) : v.known();
    }

    /**
     * @param v an int argument
     * @return its known constant value
     * @throws TranslationException if it is not a known constant integer
     */
    public long intArg(Value v) throws TranslationException {
        Object k = known(v).orElse(null);
        if (k instanceof Dim d && d.isConstant()) {
            return d.constant();
        }
        if (k instanceof Boolean b) {
            return b ? 1 : 0;
        }
        throw new TranslationException("argument " + v.describe() + " must be a constant integer");
    }

    /**
     * @param v a float or int argument
     * @return its known value
     * @throws TranslationException if it is not a known number
     */
    public double doubleArg(Value v) throws TranslationException {
        Object k = known(v).orElse(null);
        if (k instanceof Double d) {
            return d;
        }
        if (k instanceof Dim d && d.isConstant()) {
            return d.constant();
        }
        throw new TranslationException("argument " + v.describe() + " must be a constant number");
    }

    /**
     * @param v a bool argument
     * @return its known value
     * @throws TranslationException if it is not a known bool
     */
    public boolean boolArg(Value v) throws TranslationException {
        Object k = known(v).orElse(null);
        if (k instanceof Boolean b) {
            return b;
        }
        if (k instanceof Dim d && d.isConstant()) {
            return d.constant() != 0;
        }
        throw new TranslationException("argument " + v.describe() + " must be a constant bool");
    }

    /**
     * @param v an argument
     * @return whether it is {@code None}
     */
    public boolean isNone(Value v) {
        return known(v).map(k -> k == Value.NONE).orElse(false)
                || v.type() instanceof ValueType.NoneType;
    }

    /**
     * @param v an int-list argument ({@code [1, 1]}) or a single int (broadcast by torch)
     * @return its sizes, possibly symbolic
     * @throws TranslationException if it is not known
     */
    public List<Dim> dimList(Value v) throws TranslationException {
        Object k = known(v).orElse(null);
        if (k instanceof Dim d) {
            return List.of(d);
        }
        if (k instanceof List<?> l) {
            List<Dim> out = new ArrayList<>(l.size());
            for (Object o : l) {
                if (!(o instanceof Dim d)) {
                    throw new TranslationException(
                            "list " + v.describe() + " must hold integers known at export time");
                }
                out.add(d);
            }
            return out;
        }
        throw new TranslationException(
                "argument " + v.describe() + " must be an integer list known at export time");
    }

    /**
     * @param v an int-list argument
     * @param count the expected length; a single value is repeated to it (torch's {@code stride=2})
     * @return its constant values
     * @throws TranslationException if it is not a known constant list of that length
     */
    public long[] intList(Value v, int count) throws TranslationException {
        List<Dim> dims = dimList(v);
        if (dims.size() == 1 && count > 1) {
            dims = Collections.nCopies(count, dims.get(0));
        }
        if (dims.size() != count) {
            throw new TranslationException(
                    "argument " + v.describe() + " must have " + count + " values");
        }
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            if (!dims.get(i).isConstant()) {
                throw new TranslationException(
                        "argument " + v.describe() + " must be constant, not symbolic");
            }
            out[i] = dims.get(i).constant();
        }
        return out;
    }

    /**
     * @param v a value bound by {@link #bindList} (list or tuple of tensors)
     * @return its elements
     * @throws TranslationException if it is not a list known to the translation
     */
    public List<Value> listElements(Value v) throws TranslationException {
        List<Value> l = lists.get(v);
        if (l == null) {
            throw new TranslationException(
                    "value " + v.describe() + " is not a list built in the graph");
        }
        return l;
    }

    /**
     * Records a value known at export time; it is used as an attribute and never exported.
     *
     * @param output the node output
     * @param value its known value (see {@link Value#known()})
     */
    public void fold(Value output, Object value) {
        folded.put(output, Objects.requireNonNull(value, "value"));
    }

    /**
     * Records a list or tuple whose elements are graph values (e.g. tensors to concatenate).
     *
     * @param output the list value
     * @param elements its elements
     */
    public void bindList(Value output, List<Value> elements) {
        lists.put(output, List.copyOf(elements));
    }

    /**
     * @return whether {@code v} is folded or bound to a list
     */
    boolean binds(Value v) {
        return folded.containsKey(v) || lists.containsKey(v);
    }
}
