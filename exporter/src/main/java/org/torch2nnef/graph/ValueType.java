package org.torch2nnef.graph;

import java.util.List;
import java.util.Objects;
import org.torch2nnef.torchscript.TorchDType;

/** The type of a graph value, as far as it is known. */
public sealed interface ValueType {

    /**
     * @return a short human form such as {@code f32[2,S,16]}, {@code int}, {@code List[int]}
     */
    String describe();

    /**
     * A tensor.
     *
     * @param dtype its element type
     * @param shape its shape
     */
    record TensorType(TorchDType dtype, Shape shape) implements ValueType {
        public TensorType {
            Objects.requireNonNull(dtype, "dtype");
            Objects.requireNonNull(shape, "shape");
        }

        /**
         * @return the number of axes
         */
        public int rank() {
            return shape.rank();
        }

        @Override
        public String describe() {
            return dtype.torchName() + shape;
        }
    }

    /** A tensor whose dtype and shape are not inferred (an untyped graph). */
    record UntypedTensor() implements ValueType {
        @Override
        public String describe() {
            return "Tensor";
        }
    }

    /** A Python/TorchScript int (int64); its known value, if any, is a {@link Dim}. */
    record IntType() implements ValueType {
        @Override
        public String describe() {
            return "int";
        }
    }

    /** A Python float (double). */
    record FloatType() implements ValueType {
        @Override
        public String describe() {
            return "float";
        }
    }

    /** A Python bool. */
    record BoolType() implements ValueType {
        @Override
        public String describe() {
            return "bool";
        }
    }

    /** A string. */
    record StringType() implements ValueType {
        @Override
        public String describe() {
            return "str";
        }
    }

    /** {@code None}. */
    record NoneType() implements ValueType {
        @Override
        public String describe() {
            return "None";
        }
    }

    /** A {@code torch.device}. */
    record DeviceType() implements ValueType {
        @Override
        public String describe() {
            return "Device";
        }
    }

    /**
     * A list whose elements all have one type.
     *
     * @param element the element type
     */
    record ListType(ValueType element) implements ValueType {
        public ListType {
            Objects.requireNonNull(element, "element");
        }

        @Override
        public String describe() {
            return "List[" + element.describe() + "]";
        }
    }

    /**
     * A list of tensors whose length and element types are known, as split, chunk and unbind
     * produce (elements may differ in shape).
     *
     * @param elements the element types in order
     */
    record TensorListType(List<ValueType> elements) implements ValueType {
        public TensorListType {
            elements = List.copyOf(elements);
        }

        @Override
        public String describe() {
            return join("List", elements);
        }
    }

    /**
     * A tuple.
     *
     * @param elements the element types in order
     */
    record TupleType(List<ValueType> elements) implements ValueType {
        public TupleType {
            elements = List.copyOf(elements);
        }

        @Override
        public String describe() {
            return join("Tuple", elements);
        }
    }

    /**
     * A TorchScript object that is not a module inlined into the graph, e.g. packed quantized
     * linear parameters ({@code __torch__.torch.classes.quantized.LinearPackedParamsBase}).
     *
     * @param className its qualified class name
     */
    record ObjectType(String className) implements ValueType {
        public ObjectType {
            Objects.requireNonNull(className, "className");
        }

        @Override
        public String describe() {
            return className;
        }
    }

    private static String join(String container, List<ValueType> elements) {
        StringBuilder sb = new StringBuilder(container).append('[');
        for (int i = 0; i < elements.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(elements.get(i).describe());
        }
        return sb.append(']').toString();
    }

    /** Shared instances of the parameterless types. */
    ValueType INT = new IntType();

    /** The float type. */
    ValueType FLOAT = new FloatType();

    /** The bool type. */
    ValueType BOOL = new BoolType();

    /** The string type. */
    ValueType STRING = new StringType();

    /** The type of None. */
    ValueType NONE = new NoneType();

    /** The device type. */
    ValueType DEVICE = new DeviceType();

    /** A tensor of unknown dtype and shape. */
    ValueType UNTYPED_TENSOR = new UntypedTensor();
}
