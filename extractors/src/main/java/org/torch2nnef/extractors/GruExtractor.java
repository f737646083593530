package org.torch2nnef.extractors;

import java.util.ServiceLoader;

/** {@code torch.nn.GRU}: any layers, bidirectional, batch_first, bias, given or zero states. */
public final class GruExtractor extends RecurrentExtractor {
    /** The instance {@link ServiceLoader} creates. */
    public GruExtractor() {
        super("torch.nn.modules.rnn.GRU", "aten::gru");
    }
}
