package org.torch2nnef.graph;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import org.torch2nnef.torchscript.ScriptObject;
import org.torch2nnef.torchscript.TorchTensor;

/**
 * A value of the graph: a model input, a parameter, buffer or constant, a literal of the code, or
 * an output of a {@link Node}.
 *
 * <p>Besides its {@link #type()}, a value may have a KNOWN value ({@link #known()}), one of: {@link
 * Dim} for ints (possibly symbolic: {@code x.size(1)} on a dynamic axis is {@code S}) and for 0-d
 * int tensors made from sizes ({@code ops.prim.NumToTensor(torch.size(x, 1))}); {@link Double},
 * {@link Boolean}, {@link String}, {@link #NONE}, {@link Device}; an unmodifiable {@code
 * List<Object>} of such values for lists and tuples whose elements are all known (elements may be
 * {@link #UNKNOWN_ELEMENT}); the {@link TorchTensor} of a parameter, buffer or {@code
 * CONSTANTS.cN}; the {@link ScriptObject} of an opaque object; or the {@code Map} of a dict
 * attribute (type {@code ObjectType("Dict")}).
 *
 * <p>The graph builder creates values; shape inference sets types and known values of node outputs.
 */
public final class Value {

    /** What a value is. */
    public enum Origin {
        /** A parameter of the root {@code forward}. */
        INPUT,
        /** A module parameter ({@code __parameters__}). */
        PARAMETER,
        /** A module buffer or other tensor attribute. */
        BUFFER,
        /** A traced constant tensor {@code CONSTANTS.cN}. */
        CONSTANT,
        /**
         * A literal of the code ({@code 1}, {@code [1, 1]} of literals, {@code None}, a module
         * attribute value).
         */
        LITERAL,
        /** An opaque TorchScript object attribute, e.g. packed quantized linear parameters. */
        OBJECT,
        /** An output of a node. */
        NODE_OUTPUT
    }

    /** The known value of {@code None}. */
    public static final Object NONE =
            new Object() {
                @Override
                public String toString() {
                    return "None";
                }
            };

    /** Stands for an element of a known list that is itself not known (e.g. a tensor). */
    public static final Object UNKNOWN_ELEMENT =
            new Object() {
                @Override
                public String toString() {
                    return "?";
                }
            };

    /**
     * A known {@code torch.device}.
     *
     * @param name e.g. {@code cpu}
     */
    public record Device(String name) {
        @Override
        public String toString() {
            return "device(\"" + name + "\")";
        }
    }

    private final String name;
    private final Origin origin;
    private final Node producer;
    private final String stateName;
    private ValueType type;
    private Object known;

    /**
     * @param name the unique name in the graph
     * @param origin what the value is
     * @param producer the node producing it (only for {@link Origin#NODE_OUTPUT})
     * @param stateName the state-dict name of a parameter or buffer ({@code encoder.0.weight}),
     *     else null
     * @param type its type (possibly {@link ValueType#UNTYPED_TENSOR} before inference)
     * @param known its known value or null
     */
    public Value(
            String name,
            Origin origin,
            Node producer,
            String stateName,
            ValueType type,
            Object known) {
        this.name = Objects.requireNonNull(name, "name");
        this.origin = Objects.requireNonNull(origin, "origin");
        if ((origin == Origin.NODE_OUTPUT) != (producer != null)) {
            throw new IllegalArgumentException(
                    "value " + name + ": only node outputs have a producer");
        }
        this.producer = producer;
        this.stateName = stateName;
        this.type = Objects.requireNonNull(type, "type");
        this.known = known;
    }

    /**
     * @param name the unique name in the graph
     * @param known its known value (see the class comment)
     * @return a literal value, typed by what it holds
     */
    public static Value literal(String name, Object known) {
        return new Value(name, Origin.LITERAL, null, null, Literals.typeOf(known), known);
    }

    /**
     * @param name the unique name in the graph
     * @param arg a schema argument with a default
     * @return a literal holding the default ({@code None} typed NONE, {@code []} typed as the
     *     argument's list type)
     */
    public static Value ofDefault(String name, OpSchema.Arg arg) {
        Matcher m = OpSchema.LIST_SIZE.matcher(arg.type());
        int size = m.find() ? Integer.parseInt(m.group(1)) : 0;
        Object known =
                Literals.parseDefault(arg.defaultValue().orElseThrow(), arg.baseType(), size);
        Value v = literal(name, known);
        if (known == NONE || (known instanceof List<?> l && l.isEmpty())) {
            v.setType(known == NONE ? ValueType.NONE : TypeMapping.fromSchema(arg.baseType()));
        }
        return v;
    }

    /**
     * @return the unique name, derived from the code's variable name
     */
    public String name() {
        return name;
    }

    /**
     * @return what the value is
     */
    public Origin origin() {
        return origin;
    }

    /**
     * @return the node producing it, for node outputs
     */
    public Optional<Node> producer() {
        return Optional.ofNullable(producer);
    }

    /**
     * @return the state-dict style name of a parameter or buffer, e.g. {@code encoder.0.weight}
     */
    public Optional<String> stateName() {
        return Optional.ofNullable(stateName);
    }

    /**
     * @return the type
     */
    public ValueType type() {
        return type;
    }

    /**
     * @param type the inferred type (set by the builder and shape inference)
     */
    public void setType(ValueType type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    /**
     * @return the known value (see the class comment), if any
     */
    public Optional<Object> known() {
        return Optional.ofNullable(known);
    }

    /**
     * @param known the known value (see the class comment), or null
     */
    public void setKnown(Object known) {
        this.known = known;
    }

    /**
     * @return the tensor type, if the type is a typed tensor
     */
    public Optional<ValueType.TensorType> tensorType() {
        return type instanceof ValueType.TensorType t ? Optional.of(t) : Optional.empty();
    }

    /**
     * @return the known integer (or size expression), if any
     */
    public Optional<Dim> knownDim() {
        return known instanceof Dim d ? Optional.of(d) : Optional.empty();
    }

    /**
     * @return the known tensor of a parameter, buffer or constant, if any
     */
    public Optional<TorchTensor> knownTensor() {
        return known instanceof TorchTensor t ? Optional.of(t) : Optional.empty();
    }

    /**
     * @return the known list or tuple elements, if any
     */
    @SuppressWarnings("unchecked")
    public Optional<List<Object>> knownList() {
        return known instanceof List<?> l ? Optional.of((List<Object>) l) : Optional.empty();
    }

    /**
     * @return the known float (ints widened), if any
     */
    public Optional<Double> knownDouble() {
        if (known instanceof Double d) {
            return Optional.of(d);
        }
        if (known instanceof Dim d && d.isConstant()) {
            return Optional.of((double) d.constant());
        }
        return Optional.empty();
    }

    /**
     * @return the known bool, if any
     */
    public Optional<Boolean> knownBoolean() {
        return known instanceof Boolean b ? Optional.of(b) : Optional.empty();
    }

    /**
     * @return the known string, if any
     */
    public Optional<String> knownString() {
        return known instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /**
     * @return whether the known value is None
     */
    public boolean isNone() {
        return known == NONE;
    }

    /**
     * @return e.g. {@code x: float32[2,S]} or {@code _1: int = S}
     */
    public String describe() {
        String k = known == null || known instanceof TorchTensor ? "" : " = " + knownText(known);
        return name + ": " + type.describe() + k;
    }

    private static String knownText(Object known) {
        if (known instanceof String s) {
            return '"' + s + '"';
        }
        if (known instanceof ScriptObject o) {
            return o.qualifiedClassName();
        }
        if (known instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(knownText(l.get(i)));
            }
            return sb.append(']').toString();
        }
        return String.valueOf(known);
    }

    @Override
    public String toString() {
        return name;
    }
}
