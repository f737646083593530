package org.torch2nnef.graph;

import java.util.ArrayList;
import java.util.List;
import org.torch2nnef.torchscript.code.TypeExpr;

/** Static value types from code annotations and schema return types. */
final class TypeMapping {
    private TypeMapping() {}

    /**
     * @param type an annotation such as {@code Tensor}, {@code List[int]}, {@code Tuple[Tensor,
     *     Tensor]}
     * @return the static type (tensors untyped)
     */
    static ValueType toValueType(TypeExpr type) {
        if (type instanceof TypeExpr.Builtin b) {
            return switch (b.kind()) {
                case TENSOR -> ValueType.UNTYPED_TENSOR;
                case INT, LAYOUT, SCALAR_TYPE, MEMORY_FORMAT -> ValueType.INT;
                case FLOAT -> ValueType.FLOAT;
                case BOOL -> ValueType.BOOL;
                case STR -> ValueType.STRING;
                case NONE -> ValueType.NONE;
                case DEVICE -> ValueType.DEVICE;
                default -> new ValueType.ObjectType(b.annotation());
            };
        }
        if (type instanceof TypeExpr.OptionalType o) {
            return toValueType(o.element());
        }
        if (type instanceof TypeExpr.ListType l) {
            return new ValueType.ListType(toValueType(l.element()));
        }
        if (type instanceof TypeExpr.TupleType t) {
            List<ValueType> elements = new ArrayList<>();
            t.elements().forEach(e -> elements.add(toValueType(e)));
            return new ValueType.TupleType(elements);
        }
        return new ValueType.ObjectType(type.annotation());
    }

    /**
     * @param schemaType a return or argument type of a schema, e.g. {@code Tensor}, {@code int[]}
     * @return the static type (tensors untyped)
     */
    static ValueType fromSchema(String schemaType) {
        String t =
                schemaType.endsWith("?")
                        ? schemaType.substring(0, schemaType.length() - 1)
                        : schemaType;
        if (t.endsWith("]")) {
            return new ValueType.ListType(fromSchema(t.substring(0, t.indexOf('['))));
        }
        return switch (t) {
            case "Tensor" -> ValueType.UNTYPED_TENSOR;
            case "int", "SymInt", "ScalarType", "Layout", "MemoryFormat" -> ValueType.INT;
            case "float" -> ValueType.FLOAT;
            case "bool" -> ValueType.BOOL;
            case "str" -> ValueType.STRING;
            case "Device" -> ValueType.DEVICE;
            case "Scalar" -> ValueType.FLOAT;
            default -> new ValueType.ObjectType(t);
        };
    }
}
