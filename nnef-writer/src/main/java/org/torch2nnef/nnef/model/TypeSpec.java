package org.torch2nnef.nnef.model;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** NNEF type specifications of fragment parameters and results. */
public sealed interface TypeSpec
        permits TypeSpec.Primitive, TypeSpec.Tensor, TypeSpec.Array, TypeSpec.Tuple {

    /** {@code integer}, {@code scalar}, {@code logical}, {@code string} or {@code ?}. */
    record Primitive(TypeName name) implements TypeSpec {
        public Primitive {
            Objects.requireNonNull(name, "type name");
        }
    }

    /** {@code tensor<name>}; {@code tensor<?>} for generic fragments. */
    record Tensor(TypeName element) implements TypeSpec {
        public Tensor {
            Objects.requireNonNull(element, "tensor element type");
        }
    }

    /** {@code item[]}. */
    record Array(TypeSpec item) implements TypeSpec {
        public Array {
            Objects.requireNonNull(item, "array item type");
        }
    }

    /** {@code (a, b, …)}. */
    record Tuple(List<TypeSpec> items) implements TypeSpec {
        public Tuple {
            items = List.copyOf(items);
        }
    }

    /** {@code integer}. */
    TypeSpec INTEGER = new Primitive(TypeName.INTEGER);

    /** {@code scalar}. */
    TypeSpec SCALAR = new Primitive(TypeName.SCALAR);

    /** {@code logical}. */
    TypeSpec LOGICAL = new Primitive(TypeName.LOGICAL);

    /** {@code string}. */
    TypeSpec STRING = new Primitive(TypeName.STRING);

    /** {@code tensor<element>}. */
    static TypeSpec tensor(TypeName element) {
        return new Tensor(element);
    }

    /** {@code item[]}. */
    static TypeSpec arrayOf(TypeSpec item) {
        return new Array(item);
    }

    /** {@code (items…)}. */
    static TypeSpec tupleOf(TypeSpec... items) {
        return new Tuple(Arrays.asList(items));
    }
}
