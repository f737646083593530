package org.torch2nnef.extractors;

/** {@code torch.nn.GRU}: any layers, bidirectional, batch_first, bias, given or zero states. */
public final class GruExtractor extends RecurrentExtractor {
    /** The instance {@link java.util.ServiceLoader} creates. */
    public GruExtractor() {
        super("torch.nn.modules.rnn.GRU", "aten::gru");
    }
}
