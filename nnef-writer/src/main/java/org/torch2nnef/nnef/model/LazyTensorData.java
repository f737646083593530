package org.torch2nnef.nnef.model;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/** Tensor whose payload a caller-supplied {@link TensorData.PayloadWriter} streams on demand. */
final class LazyTensorData extends AbstractTensorData {
    private final PayloadWriter writer;

    LazyTensorData(ItemType type, long[] shape, PayloadWriter writer) {
        super(type, shape);
        this.writer = Objects.requireNonNull(writer, "payload writer");
    }

    @Override
    public void writePayload(OutputStream out) throws IOException {
        writer.writeTo(out);
    }

    @Override
    String source() {
        return "lazy";
    }
}
