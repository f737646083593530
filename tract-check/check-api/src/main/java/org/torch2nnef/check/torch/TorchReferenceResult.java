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
 */
public record TorchReferenceResult(
        TensorBundle io, List<HostTensor> outputs, String libtorchVersion) {
    /** Canonical constructor; copies the output list. */
    public TorchReferenceResult {
        outputs = List.copyOf(outputs);
    }

    /** Output names in order. */
    public List<String> outputNames() {
        return outputs.stream().map(HostTensor::name).toList();
    }
}
