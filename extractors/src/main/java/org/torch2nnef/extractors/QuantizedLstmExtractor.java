package org.torch2nnef.extractors;

import java.util.ServiceLoader;

/**
 * A dynamically quantized {@code nn.LSTM} ({@code quantize_dynamic(..., dtype=torch.qint8)}, its
 * {@code aten::quantized_lstm} node): the float LSTM's loop with int8 weights, the layer's input
 * and the state {@code h} quantized at run time as torch's kernels do.
 */
public final class QuantizedLstmExtractor extends RecurrentExtractor {
    /** The instance {@link ServiceLoader} creates. */
    public QuantizedLstmExtractor() {
        super("torch.ao.nn.quantized.dynamic.modules.rnn.LSTM", "aten::quantized_lstm");
    }
}
