package org.torch2nnef.extractors;

import java.util.ServiceLoader;

/**
 * {@code torch.nn.LSTM}: any layers, bidirectional, batch_first, bias, proj_size, given or zero
 * states.
 */
public final class LstmExtractor extends RecurrentExtractor {
    /** The instance {@link ServiceLoader} creates. */
    public LstmExtractor() {
        super("torch.nn.modules.rnn.LSTM", "aten::lstm");
    }
}
