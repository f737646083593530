package org.torch2nnef.extractors;

import java.util.ServiceLoader;

/**
 * A dynamically quantized {@code nn.GRU} ({@code quantize_dynamic(..., dtype=torch.qint8)}, its
 * {@code aten::quantized_gru} node): the float GRU's loop with int8 weights, the layer's input and
 * the state {@code h} quantized at run time as torch's kernels do.
 */
public final class QuantizedGruExtractor extends RecurrentExtractor {
    /** The instance {@link ServiceLoader} creates. */
    public QuantizedGruExtractor() {
        super("torch.ao.nn.quantized.dynamic.modules.rnn.GRU", "aten::quantized_gru");
    }
}
