package org.torch2nnef.nnef.model;

import java.util.Arrays;
import java.util.Objects;

/** Item type and checked shape shared by the {@link TensorData} implementations. */
abstract class AbstractTensorData implements TensorData {
    private final ItemType type;
    private final long[] shape;

    AbstractTensorData(ItemType type, long[] shape) {
        this.type = Objects.requireNonNull(type, "item type");
        this.shape = Shapes.checked(shape);
    }

    @Override
    public final ItemType itemType() {
        return type;
    }

    @Override
    public final long[] shape() {
        return shape.clone();
    }

    @Override
    public final int rank() {
        return shape.length;
    }

    @Override
    public final long itemCount() {
        return Shapes.itemCount(shape);
    }

    /** What backs the payload, for {@link #toString()}. */
    abstract String source();

    @Override
    public String toString() {
        return "TensorData[" + type + " " + Arrays.toString(shape) + ", " + source() + "]";
    }
}
