package org.torch2nnef.torchscript.code;

import java.util.List;
import java.util.Objects;

/**
 * A type annotation as TorchScript prints it ({@code Tensor}, {@code Optional[List[int]]}, {@code
 * __torch__.M}).
 */
public sealed interface TypeExpr extends Node {

    /** The annotation text in TorchScript's own spelling, e.g. {@code Tuple[Tensor, int]}. */
    String annotation();

    /** A built-in type named by a single word. */
    record Builtin(Kind kind, SourcePos pos) implements TypeExpr {
        public Builtin {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(pos, "pos");
        }

        @Override
        public String annotation() {
            return kind.spelling();
        }
    }

    /** The single-word types TorchScript prints. */
    enum Kind {
        TENSOR("Tensor"),
        INT("int"),
        FLOAT("float"),
        BOOL("bool"),
        STR("str"),
        NONE("NoneType"),
        DEVICE("Device"),
        NUMBER("number"),
        COMPLEX("complex"),
        ANY("Any"),
        LAYOUT("Layout"),
        SCALAR_TYPE("ScalarType"),
        MEMORY_FORMAT("MemoryFormat"),
        GENERATOR("Generator"),
        STORAGE("Storage"),
        STREAM("Stream");

        private final String spelling;

        Kind(String spelling) {
            this.spelling = spelling;
        }

        /** The word as written in code. */
        public String spelling() {
            return spelling;
        }

        /**
         * The kind spelled {@code word}, or null. {@code None} is accepted for {@code NoneType}.
         */
        static Kind bySpelling(String word) {
            if (word.equals("None")) {
                return NONE;
            }
            for (Kind kind : values()) {
                if (kind.spelling.equals(word)) {
                    return kind;
                }
            }
            return null;
        }
    }

    /** {@code Optional[T]}. */
    record OptionalType(TypeExpr element, SourcePos pos) implements TypeExpr {
        public OptionalType {
            Objects.requireNonNull(element, "element");
            Objects.requireNonNull(pos, "pos");
        }

        @Override
        public String annotation() {
            return "Optional[" + element.annotation() + "]";
        }
    }

    /** {@code List[T]}. */
    record ListType(TypeExpr element, SourcePos pos) implements TypeExpr {
        public ListType {
            Objects.requireNonNull(element, "element");
            Objects.requireNonNull(pos, "pos");
        }

        @Override
        public String annotation() {
            return "List[" + element.annotation() + "]";
        }
    }

    /** {@code Tuple[T1, T2, ...]}; {@code Tuple[()]} is the empty tuple. */
    record TupleType(List<TypeExpr> elements, SourcePos pos) implements TypeExpr {
        public TupleType {
            elements = List.copyOf(elements);
            Objects.requireNonNull(pos, "pos");
        }

        @Override
        public String annotation() {
            return elements.isEmpty() ? "Tuple[()]" : "Tuple[" + join(elements) + "]";
        }
    }

    /** {@code Dict[K, V]}. */
    record DictType(TypeExpr key, TypeExpr value, SourcePos pos) implements TypeExpr {
        public DictType {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(pos, "pos");
        }

        @Override
        public String annotation() {
            return "Dict[" + key.annotation() + ", " + value.annotation() + "]";
        }
    }

    /** {@code Union[T1, T2, ...]}. */
    record UnionType(List<TypeExpr> alternatives, SourcePos pos) implements TypeExpr {
        public UnionType {
            alternatives = List.copyOf(alternatives);
            Objects.requireNonNull(pos, "pos");
        }

        @Override
        public String annotation() {
            return "Union[" + join(alternatives) + "]";
        }
    }

    /**
     * A class (module, NamedTuple, ...) by its qualified name, e.g. {@code
     * __torch__.torch.nn.modules.conv.Conv1d}.
     */
    record ClassType(QualifiedName name, SourcePos pos) implements TypeExpr {
        public ClassType {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(pos, "pos");
        }

        @Override
        public String annotation() {
            return name.toString();
        }
    }

    private static String join(List<TypeExpr> types) {
        StringBuilder text = new StringBuilder();
        for (TypeExpr type : types) {
            if (text.length() > 0) {
                text.append(", ");
            }
            text.append(type.annotation());
        }
        return text.toString();
    }
}
