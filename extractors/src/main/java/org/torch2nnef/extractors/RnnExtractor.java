package org.torch2nnef.extractors;

import java.util.ServiceLoader;

/**
 * {@code torch.nn.RNN}, tanh or relu: any layers, bidirectional, batch_first, bias, given or zero
 * states.
 */
public final class RnnExtractor extends RecurrentExtractor {
    /** The instance {@link ServiceLoader} creates. */
    public RnnExtractor() {
        super("torch.nn.modules.rnn.RNN", "aten::rnn_tanh", "aten::rnn_relu");
    }
}
