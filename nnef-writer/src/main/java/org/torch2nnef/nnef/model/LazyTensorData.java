package org.torch2nnef.nnef.model;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/** Tensor whose payload a caller-supplied {@link TensorData.PayloadWriter} streams on demand. */
final class LazyTensorData implements TensorData {
    private final ItemType type;
    private final long[] shape;
    private final PayloadWriter writer;

    LazyTensorData(ItemType type, long[] shape, PayloadWriter writer) {
        this.type = Objects.requireNonNull(type, "item type");
        this.shape = Shapes.checked(shape);
        this.writer = Objects.requireNonNull(writer, "payload writer");
    }

    @Override
    public ItemType itemType() {
        return type;
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public int rank() {
        return shape.length;
    }

    @Override
    public void writePayload(OutputStream out) throws IOException {
        writer.writeTo(out);
    }

    @Override
    public String toString() {
        return "TensorData[" + type + " " + Arrays.toString(shape) + ", lazy]";
    }
}
