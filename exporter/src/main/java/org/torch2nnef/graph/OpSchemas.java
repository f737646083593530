package org.torch2nnef.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The table of op signatures (after pytorch's native_functions.yaml) used to put call arguments in
 * schema order, and the choice among an op's overloads for one call. The exporter's op registry
 * builds it from the signatures each op family registers ({@link #of}).
 */
public final class OpSchemas {

    private final Map<String, List<OpSchema>> byKind;

    private OpSchemas(Map<String, List<OpSchema>> byKind) {
        this.byKind = byKind;
    }

    /**
     * @param schemas signatures, the overloads of each op in resolution order
     * @return the table of them
     */
    public static OpSchemas of(List<OpSchema> schemas) {
        Map<String, List<OpSchema>> byKind = new LinkedHashMap<>();
        schemas.forEach(s -> byKind.computeIfAbsent(s.kind(), k -> new ArrayList<>()).add(s));
        byKind.replaceAll((k, v) -> List.copyOf(v));
        return new OpSchemas(Collections.unmodifiableMap(byKind));
    }

    /**
     * @param kind e.g. {@code aten::sum}
     * @return its overloads in table order (empty when the op is not in the table)
     */
    public List<OpSchema> overloads(String kind) {
        List<OpSchema> own = byKind.get(kind);
        if (own != null) {
            return own;
        }
        if (isInPlace(kind)) {
            // aten::add_ has the arguments of aten::add
            return byKind.getOrDefault(kind.substring(0, kind.length() - 1), List.of()).stream()
                    .map(s -> new OpSchema(kind, s.overload(), s.args(), s.returns()))
                    .toList();
        }
        return List.of();
    }

    /**
     * @param kind an op kind
     * @return whether it is an in-place variant such as {@code aten::add_} (not a dunder like
     *     {@code aten::__and__})
     */
    public static boolean isInPlace(String kind) {
        return kind.endsWith("_") && !kind.endsWith("__");
    }

    /**
     * @return every op in the table
     */
    public Set<String> kinds() {
        return byKind.keySet();
    }

    /**
     * Chooses the overload a call means: the first whose arguments take the positional ones, whose
     * names include every keyword, whose arguments without default are all given, and whose
     * argument types accept the static types of the values given.
     *
     * @param kind the op
     * @param positional the static types of the positional arguments
     * @param keywords the keyword argument types by name
     * @return the overload, or empty if none fits
     */
    public Optional<OpSchema> resolve(
            String kind, List<ValueType> positional, Map<String, ValueType> keywords) {
        for (OpSchema s : overloads(kind)) {
            if (fits(s, positional, keywords)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    private static final String CUSTOM_CLASSES = "__torch__.torch.classes.";

    private static boolean fits(
            OpSchema s, List<ValueType> positional, Map<String, ValueType> keywords) {
        if (positional.size() > s.positionalCount()) {
            return false;
        }
        for (int i = 0; i < s.args().size(); i++) {
            OpSchema.Arg a = s.args().get(i);
            ValueType given = i < positional.size() ? positional.get(i) : keywords.get(a.name());
            if (i < positional.size() && keywords.containsKey(a.name())) {
                return false;
            }
            if (given == null ? a.defaultValue().isEmpty() : !accepts(a, given)) {
                return false;
            }
        }
        for (String k : keywords.keySet()) {
            if (s.indexOf(k) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param arg a schema argument
     * @param type the static type of a value
     * @return whether the value may be passed for the argument
     */
    public static boolean accepts(OpSchema.Arg arg, ValueType type) {
        if (type instanceof ValueType.NoneType) {
            return arg.optional();
        }
        String base = arg.baseType();
        boolean tensor =
                type instanceof ValueType.TensorType || type instanceof ValueType.UntypedTensor;
        if (base.startsWith(CUSTOM_CLASSES)) {
            // torch's custom classes (quantized packed weights): conv1d takes conv2d's class;
            // a list of them (a quantized LSTM's cell parameters)
            ValueType element =
                    base.endsWith("[]") && type instanceof ValueType.ListType l
                            ? l.element()
                            : base.endsWith("[]") ? null : type;
            return element instanceof ValueType.ObjectType o
                    && o.className().startsWith(CUSTOM_CLASSES);
        }
        return switch (base) {
            case "Tensor" -> tensor;
            // a 0-d tensor converts to a Scalar (traced code passes sizes as NumToTensor results)
            case "Scalar" ->
                    type instanceof ValueType.IntType
                            || type instanceof ValueType.FloatType
                            || type instanceof ValueType.BoolType
                            || tensor;
            case "int", "SymInt", "ScalarType", "Layout", "MemoryFormat" ->
                    type instanceof ValueType.IntType;
            case "float" ->
                    type instanceof ValueType.FloatType || type instanceof ValueType.IntType;
            case "bool" -> type instanceof ValueType.BoolType;
            case "str" -> type instanceof ValueType.StringType;
            case "Device" ->
                    type instanceof ValueType.DeviceType || type instanceof ValueType.StringType;
            case "Object" -> type instanceof ValueType.ObjectType;
            case "int[]", "SymInt[]" ->
                    type instanceof ValueType.IntType || isListOf(type, ValueType.IntType.class);
            case "float[]" ->
                    isListOf(type, ValueType.FloatType.class)
                            || isListOf(type, ValueType.IntType.class);
            case "bool[]" -> isListOf(type, ValueType.BoolType.class);
            case "Tensor[]" ->
                    type instanceof ValueType.ListType l
                            && (l.element() instanceof ValueType.TensorType
                                    || l.element() instanceof ValueType.UntypedTensor);
            default -> false;
        };
    }

    private static boolean isListOf(ValueType type, Class<? extends ValueType> element) {
        return type instanceof ValueType.ListType l && element.isInstance(l.element());
    }
}
