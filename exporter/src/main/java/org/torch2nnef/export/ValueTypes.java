package org.torch2nnef.export;

import java.util.Optional;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType;
import org.torch2nnef.torchscript.TorchDType;
import org.torch2nnef.torchscript.TorchTensor;

/** The dtypes and shapes shape inference gave the graph's values, as translators ask for them. */
public final class ValueTypes {

    ValueTypes() {}

    /**
     * @param v a tensor value
     * @return its inferred shape
     * @throws TranslationException if shape inference did not type it
     */
    public Shape shape(Value v) throws TranslationException {
        return tensorType(v).shape();
    }

    /**
     * @param v a tensor value
     * @return its rank
     * @throws TranslationException if not typed
     */
    public int rank(Value v) throws TranslationException {
        return shape(v).rank();
    }

    /**
     * @param v a tensor value
     * @return its dtype
     * @throws TranslationException if not typed
     */
    public TorchDType dtype(Value v) throws TranslationException {
        return tensorType(v).dtype();
    }

    /**
     * @param v a value
     * @return whether it is a floating-point tensor or a float number
     */
    public boolean isFloat(Value v) {
        return v.tensorType()
                .map(t -> t.dtype().isFloatingPoint())
                .orElse(v.type() instanceof ValueType.FloatType);
    }

    private ValueType.TensorType tensorType(Value v) throws TranslationException {
        Optional<TorchTensor> stored = v.knownTensor();
        if (v.tensorType().isEmpty() && stored.isPresent()) {
            return new ValueType.TensorType(stored.get().dtype(), Shape.of(stored.get().shape()));
        }
        return v.tensorType()
                .orElseThrow(
                        () ->
                                new TranslationException(
                                        "value "
                                                + v.describe()
                                                + " has no inferred tensor type (declare the model inputs)"));
    }
}
