package org.torch2nnef.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.torch2nnef.torchscript.ScriptObject;
import org.torch2nnef.torchscript.TorchTensor;

/** Known values of literals and module attributes, and their types. */
final class Literals {
    /** The type of dict attributes, read only through literal subscripts. */
    static final ValueType DICT = new ValueType.ObjectType("Dict");

    private Literals() {}

    /**
     * @param known a known value (see {@link Value})
     * @return its type
     */
    static ValueType typeOf(Object known) {
        if (known instanceof Dim) {
            return ValueType.INT;
        }
        if (known instanceof Double) {
            return ValueType.FLOAT;
        }
        if (known instanceof Boolean) {
            return ValueType.BOOL;
        }
        if (known instanceof String) {
            return ValueType.STRING;
        }
        if (known == Value.NONE) {
            return ValueType.NONE;
        }
        if (known instanceof Value.Device) {
            return ValueType.DEVICE;
        }
        if (known instanceof List<?> l) {
            return new ValueType.ListType(l.isEmpty() ? ValueType.INT : typeOf(l.get(0)));
        }
        if (known instanceof TorchTensor) {
            return ValueType.UNTYPED_TENSOR;
        }
        if (known instanceof ScriptObject o) {
            return new ValueType.ObjectType(o.qualifiedClassName());
        }
        if (known instanceof Map<?, ?>) {
            return DICT;
        }
        throw new IllegalArgumentException("not a known value: " + known);
    }

    /**
     * Converts a pickled attribute value (Long, Double, Boolean, String, null, lists, dicts,
     * tensors, objects) to a known value.
     *
     * @param raw the attribute value
     * @return the known value
     */
    static Object fromAttribute(Object raw) {
        if (raw == null) {
            return Value.NONE;
        }
        if (raw instanceof Long l) {
            return Dim.of(l);
        }
        if (raw instanceof Integer i) {
            return Dim.of(i);
        }
        if (raw instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(e -> out.add(fromAttribute(e)));
            return Collections.unmodifiableList(out);
        }
        return raw;
    }

    /**
     * Parses a schema default such as {@code None}, {@code False}, {@code 1}, {@code 1e-05}, {@code
     * [0,0]}, {@code "none"} or {@code contiguous_format}.
     *
     * @param text the default as written
     * @param argType the argument's base type, e.g. {@code int[]}
     * @param size the fixed list size of {@code int[N]} types, or 0
     * @return the known value
     */
    static Object parseDefault(String text, String argType, int size) {
        String t = text.strip();
        if (t.equals("None")) {
            return Value.NONE;
        }
        if (t.equals("True") || t.equals("False")) {
            return Boolean.valueOf(t.equals("True"));
        }
        if (t.startsWith("\"") && t.endsWith("\"")) {
            return t.substring(1, t.length() - 1);
        }
        if (t.equals("contiguous_format")) {
            return Dim.of(0); // c10::MemoryFormat::Contiguous
        }
        if (t.startsWith("[") && t.endsWith("]")) {
            List<Object> out = new ArrayList<>();
            for (String e : t.substring(1, t.length() - 1).split(",")) {
                if (!e.isBlank()) {
                    out.add(parseDefault(e, "int", 0));
                }
            }
            return Collections.unmodifiableList(out);
        }
        boolean integral = !t.contains(".") && !t.contains("e") && !argType.startsWith("float");
        Object scalar =
                integral ? Dim.of(Long.parseLong(t)) : Double.valueOf(Double.parseDouble(t));
        if (argType.endsWith("[]")) {
            // int[2] stride=1 means [1, 1]
            return Collections.unmodifiableList(
                    new ArrayList<>(Collections.nCopies(Math.max(size, 1), scalar)));
        }
        return scalar;
    }
}
