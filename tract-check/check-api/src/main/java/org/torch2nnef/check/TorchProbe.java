package org.torch2nnef.check;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A TorchScript probe of torch's intermediate values, for naming the first NNEF tensor that
 * diverges: a model taking the same inputs as the checked one whose {@code forward} returns, as a
 * flat tuple, torch's values of the NNEF tensors {@code nnefNames} in that order. DJL runs only
 * {@code forward}, so the intermediate values must be outputs of some TorchScript; the exporter,
 * which knows which torch value each NNEF tensor comes from, is the natural writer of probes.
 *
 * @param torchScript the probe archive
 * @param nnefNames the NNEF tensor each probe output corresponds to, in output order
 */
public record TorchProbe(Path torchScript, List<String> nnefNames) {
    /** Canonical constructor; validates and copies. */
    public TorchProbe {
        Objects.requireNonNull(torchScript, "torchScript");
        nnefNames = List.copyOf(nnefNames);
        if (nnefNames.isEmpty()) {
            throw new IllegalArgumentException("a torch probe names at least one NNEF tensor");
        }
    }
}
