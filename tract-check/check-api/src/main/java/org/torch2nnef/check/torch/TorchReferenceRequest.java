package org.torch2nnef.check.torch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.torch2nnef.check.CheckLimits;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.TensorBundle;

/**
 * What to run through libtorch.
 *
 * @param model a TorchScript archive ({@code torch.jit.trace(...).save(...)})
 * @param inputs the positional arguments of {@code forward}, in order; their names are the NNEF
 *     input names written to the io bundle
 * @param outputNames names for the flattened outputs (tuples and lists depth-first); empty means
 *     {@code output_0}, {@code output_1}, ...
 * @param quantizedEngine libtorch's quantized engine to run with ({@code x86}, {@code fbgemm},
 *     {@code qnnpack}, {@code onednn}); empty for libtorch's default
 */
public record TorchReferenceRequest(
        Path model,
        List<HostTensor> inputs,
        List<String> outputNames,
        Optional<String> quantizedEngine) {
    /** The quantized engines a request may name, as torch spells them. */
    public static final List<String> QUANTIZED_ENGINES =
            List.of("x86", "fbgemm", "qnnpack", "onednn");

    /** Canonical constructor; copies the lists. */
    public TorchReferenceRequest {
        Objects.requireNonNull(model, "model");
        inputs = List.copyOf(inputs);
        outputNames = List.copyOf(outputNames);
        Objects.requireNonNull(quantizedEngine, "quantizedEngine");
    }

    /** A request with libtorch's default quantized engine. */
    public TorchReferenceRequest(Path model, List<HostTensor> inputs, List<String> outputNames) {
        this(model, inputs, outputNames, Optional.empty());
    }

    /**
     * Reads the named tensors of {@code npz} in the given order, as {@code inputs}.
     *
     * @throws IllegalArgumentException naming the file when a name is missing
     * @throws IOException naming the file when it is unreadable or past {@link
     *     CheckLimits#TENSOR_BYTES}
     */
    public static List<HostTensor> inputsFromNpz(Path npz, List<String> inputNames)
            throws IOException {
        TensorBundle bundle = CheckLimits.readNpz(npz);
        List<HostTensor> inputs = new ArrayList<>();
        for (String name : inputNames) {
            inputs.add(bundle.get(name));
        }
        return inputs;
    }
}
