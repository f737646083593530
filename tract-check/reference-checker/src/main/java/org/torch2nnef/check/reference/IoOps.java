package org.torch2nnef.check.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import org.torch2nnef.nnef.model.Quantization;
import org.torch2nnef.nnef.model.TensorData;
import org.torch2nnef.nnef.model.TypeName;

/**
 * Tensor sources: {@code external}, {@code variable}, {@code constant}, {@code
 * tract_core_external}.
 */
final class IoOps {
    private IoOps() {}

    static void register(OpRegistry r) {
        r.add(
                "external",
                c -> external(c, elementType(c, c.generic().orElse(TypeName.SCALAR))),
                "shape");
        r.add(
                "tract_core_external",
                c -> external(c, TractTypes.parse(c.string("datum_type"), c)),
                "datum_type",
                "shape");
        r.add("variable", IoOps::variable, "shape", "label");
        r.add("constant", IoOps::constant, "shape", "value");
    }

    static DataType elementType(OpCall c, TypeName t) {
        return switch (t) {
            case SCALAR -> DataType.FLOAT32;
            case INTEGER -> DataType.INT64;
            case LOGICAL -> DataType.BOOLEAN;
            default -> throw c.error("unsupported tensor type <" + t.nnefName() + ">");
        };
    }

    /** The input given for the assignment's name, checked against the declared shape and type. */
    private static Value external(OpCall c, DataType declared) {
        String name = c.outputNames().isEmpty() ? "?" : c.outputNames().get(0);
        NDArray input = c.evaluator().run().input(name);
        long[] expected = c.ints("shape");
        long[] actual = input.getShape().getShape();
        if (!Arrays.equals(expected, actual)) {
            throw new NnefExecutionException(
                    "input '"
                            + name
                            + "' has shape "
                            + Arrays.toString(actual)
                            + " but the graph declares "
                            + Arrays.toString(expected)
                            + " (symbols bound from the inputs)");
        }
        DataType given = input.getDataType();
        boolean compatible =
                declared.isFloating()
                        ? given.isFloating()
                        : declared == DataType.BOOLEAN
                                ? given == DataType.BOOLEAN
                                : !given.isFloating() && given != DataType.BOOLEAN;
        if (!compatible) {
            throw new NnefExecutionException(
                    "input '" + name + "' is " + given + " but the graph declares " + declared);
        }
        // tract reads external<scalar> as f32 and external<integer> as i64: compute in those types
        NDArray value = given == declared ? input : input.toType(declared, false);
        Quantization q = c.evaluator().run().quantization(name);
        return new Value.Tensor(q == null ? value : Quantizer.apply(value, q, name));
    }

    private static Value variable(OpCall c) {
        String label = c.string("label");
        long[] shape = c.ints("shape");
        TensorData data = c.evaluator().run().tensorData(label);
        if (data == null) {
            throw c.error("no tensor file '" + label + ".dat' in the model");
        }
        if (!Arrays.equals(shape, data.shape())) {
            throw c.error(
                    "'"
                            + label
                            + ".dat' has shape "
                            + Arrays.toString(data.shape())
                            + " but the graph declares "
                            + Arrays.toString(shape));
        }
        NDArray a = TensorLoader.load(data, c.manager(), label);
        String name = c.outputNames().isEmpty() ? null : c.outputNames().get(0);
        Quantization q = name == null ? null : c.evaluator().run().quantization(name);
        if (q != null) {
            return new Value.Tensor(Quantizer.apply(a, q, name));
        }
        if (data.itemType().isQuantized()) {
            throw c.error(
                    "'"
                            + label
                            + ".dat' holds quantized "
                            + data.itemType()
                            + " codes but graph.quant has no entry for '"
                            + name
                            + "'");
        }
        return new Value.Tensor(a);
    }

    private static Value constant(OpCall c) {
        DataType type = elementType(c, c.generic().orElse(TypeName.SCALAR));
        long[] shape = c.ints("shape");
        List<Value> items = c.items("value");
        long count = new Shape(shape).size();
        NDArray values =
                Tensors.toArray(new Value.Array(items), c.manager(), type, () -> "constant.value");
        if (items.size() == 1 && count != 1) {
            return new Value.Tensor(
                    values.reshape(new Shape()).broadcast(new Shape(shape)).duplicate());
        }
        if (items.size() != count) {
            throw c.error(items.size() + " values for shape " + Arrays.toString(shape));
        }
        return new Value.Tensor(values.reshape(new Shape(shape)));
    }
}
