package org.torch2nnef.check.torch;

import java.util.List;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.TensorBundle;

/**
 * The reference run's outcome.
 *
 * @param io inputs then outputs, each under its name: write it with {@code Npz.write} and pass it
 *     to tract as both {@code --input-from-bundle} and {@code --assert-output-bundle}
 * @param outputs the outputs alone, in order
 * @param libtorchVersion the libtorch version DJL ran, e.g. {@code 2.7.1}
 * @param quantizedEngine libtorch's quantized engine during the run, e.g. {@code x86}; empty when
 *     unknown
 */
public record TorchReferenceResult(
        TensorBundle io, List<HostTensor> outputs, String libtorchVersion, String quantizedEngine) {
    /** Canonical constructor; copies the output list. */
    public TorchReferenceResult {
        outputs = List.copyOf(outputs);
        quantizedEngine = quantizedEngine == null ? "" : quantizedEngine;
    }

    /** A result whose quantized engine is unknown. */
    public TorchReferenceResult(TensorBundle io, List<HostTensor> outputs, String libtorchVersion) {
        this(io, outputs, libtorchVersion, "");
    }

    /** Output names in order. */
    public List<String> outputNames() {
        return outputs.stream().map(HostTensor::name).toList();
    }
}
