package org.torch2nnef.extractors;

/** {@code torch.nn.LSTM}: any layers, bidirectional, batch_first, bias, proj_size, given or zero states. */
public final class LstmExtractor extends RecurrentExtractor {
    /** The instance {@link java.util.ServiceLoader} creates. */
    public LstmExtractor() {
        super("torch.nn.modules.rnn.LSTM", "aten::lstm");
    }
}
