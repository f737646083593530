package org.torch2nnef.nnef.model;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * In-memory tensors over Java primitive arrays. The arrays are kept, not copied (callers hand
 * them over), and encoded little-endian through a small buffer while writing.
 */
abstract class ArrayTensorData implements TensorData {
    private static final int CHUNK_BYTES = 1 << 16;

    private final ItemType type;
    private final long[] shape;

    ArrayTensorData(ItemType type, Set<ItemType> allowed, long[] shape, long length) {
        this.type = Objects.requireNonNull(type, "item type");
        if (!allowed.contains(type)) {
            throw new IllegalArgumentException("item type " + type + " cannot hold " + kind()
                    + " values; use one of " + allowed);
        }
        this.shape = Shapes.checked(shape);
        long expected = Shapes.itemCount(this.shape);
        if (expected != length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + expected
                    + " items but " + length + " " + kind() + " values were given");
        }
    }

    /** What the backing array holds, for messages. */
    abstract String kind();

    /** Number of items. */
    abstract int length();

    /** Bytes one item takes in the chunk buffer. */
    int itemBytes() {
        return type.bitsPerItem() / 8;
    }

    /** Puts items {@code [from, from + count)} into {@code chunk} (little-endian, positioned at 0). */
    abstract void encode(ByteBuffer chunk, int from, int count);

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
        int perItem = itemBytes();
        int perChunk = CHUNK_BYTES / perItem;
        ByteBuffer chunk = ByteBuffer.allocate(perChunk * perItem).order(ByteOrder.LITTLE_ENDIAN);
        int n = length();
        for (int from = 0; from < n; from += perChunk) {
            int count = Math.min(perChunk, n - from);
            chunk.clear();
            encode(chunk, from, count);
            out.write(chunk.array(), 0, count * perItem);
        }
    }

    @Override
    public String toString() {
        return "TensorData[" + type + " " + Arrays.toString(shape) + ", " + kind() + "]";
    }

    static final class Floats extends ArrayTensorData {
        private final float[] values;

        Floats(long[] shape, float[] values) {
            super(ItemType.FLOAT32, EnumSet.of(ItemType.FLOAT32), shape, values.length);
            this.values = values;
        }

        @Override
        String kind() {
            return "float";
        }

        @Override
        int length() {
            return values.length;
        }

        @Override
        void encode(ByteBuffer chunk, int from, int count) {
            chunk.asFloatBuffer().put(values, from, count);
        }
    }

    static final class Doubles extends ArrayTensorData {
        private final double[] values;

        Doubles(long[] shape, double[] values) {
            super(ItemType.FLOAT64, EnumSet.of(ItemType.FLOAT64), shape, values.length);
            this.values = values;
        }

        @Override
        String kind() {
            return "double";
        }

        @Override
        int length() {
            return values.length;
        }

        @Override
        void encode(ByteBuffer chunk, int from, int count) {
            chunk.asDoubleBuffer().put(values, from, count);
        }
    }

    static final class Longs extends ArrayTensorData {
        private final long[] values;

        Longs(ItemType type, long[] shape, long[] values) {
            super(type, EnumSet.of(ItemType.INT64, ItemType.UINT64, ItemType.QINT64, ItemType.QUINT64),
                    shape, values.length);
            this.values = values;
        }

        @Override
        String kind() {
            return "long";
        }

        @Override
        int length() {
            return values.length;
        }

        @Override
        void encode(ByteBuffer chunk, int from, int count) {
            chunk.asLongBuffer().put(values, from, count);
        }
    }

    static final class Ints extends ArrayTensorData {
        private final int[] values;

        Ints(ItemType type, long[] shape, int[] values) {
            super(type, EnumSet.of(ItemType.INT32, ItemType.UINT32, ItemType.QINT32, ItemType.QUINT32),
                    shape, values.length);
            this.values = values;
        }

        @Override
        String kind() {
            return "int";
        }

        @Override
        int length() {
            return values.length;
        }

        @Override
        void encode(ByteBuffer chunk, int from, int count) {
            chunk.asIntBuffer().put(values, from, count);
        }
    }

    static final class Shorts extends ArrayTensorData {
        private final short[] values;

        Shorts(ItemType type, long[] shape, short[] values) {
            super(type, EnumSet.of(ItemType.INT16, ItemType.UINT16, ItemType.QINT16, ItemType.QUINT16,
                    ItemType.FLOAT16), shape, values.length);
            this.values = values;
        }

        @Override
        String kind() {
            return "short";
        }

        @Override
        int length() {
            return values.length;
        }

        @Override
        void encode(ByteBuffer chunk, int from, int count) {
            chunk.asShortBuffer().put(values, from, count);
        }
    }

    static final class Bytes extends ArrayTensorData {
        private final byte[] values;

        Bytes(ItemType type, long[] shape, byte[] values) {
            super(type, EnumSet.of(ItemType.INT8, ItemType.UINT8, ItemType.QINT8, ItemType.QUINT8),
                    shape, values.length);
            this.values = values;
        }

        @Override
        String kind() {
            return "byte";
        }

        @Override
        int length() {
            return values.length;
        }

        @Override
        void encode(ByteBuffer chunk, int from, int count) {
            chunk.put(values, from, count);
        }

        @Override
        public void writePayload(OutputStream out) throws IOException {
            out.write(values);
        }
    }

    static final class Booleans extends ArrayTensorData {
        private final boolean[] values;

        Booleans(ItemType type, long[] shape, boolean[] values) {
            super(type, EnumSet.of(ItemType.BOOL, ItemType.BOOL8), shape, values.length);
            this.values = values;
        }

        @Override
        String kind() {
            return "boolean";
        }

        @Override
        int length() {
            return values.length;
        }

        @Override
        int itemBytes() {
            return 1;
        }

        @Override
        void encode(ByteBuffer chunk, int from, int count) {
            for (int i = 0; i < count; i++) {
                chunk.put(values[from + i] ? (byte) 1 : 0);
            }
        }

        @Override
        public void writePayload(OutputStream out) throws IOException {
            if (itemType() == ItemType.BOOL8) {
                super.writePayload(out);
                return;
            }
            // Khronos packing: item i is bit (7 - i % 8) of byte i / 8, zero padding at the end.
            byte[] packed = new byte[(int) ItemType.BOOL.payloadBytes(values.length)];
            for (int i = 0; i < values.length; i++) {
                if (values[i]) {
                    packed[i >>> 3] |= (byte) (0x80 >>> (i & 7));
                }
            }
            out.write(packed);
        }
    }

    /** Raw little-endian payload of any item type. */
    static final class Payload implements TensorData {
        private final ItemType type;
        private final long[] shape;
        private final byte[] payload;

        Payload(ItemType type, long[] shape, byte[] payload) {
            this.type = Objects.requireNonNull(type, "item type");
            this.shape = Shapes.checked(shape);
            this.payload = Objects.requireNonNull(payload, "payload");
            long expected = type.payloadBytes(Shapes.itemCount(this.shape));
            if (expected != payload.length) {
                throw new IllegalArgumentException(type + " tensor of shape " + Arrays.toString(shape)
                        + " needs " + expected + " payload bytes, got " + payload.length);
            }
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
            out.write(payload);
        }

        @Override
        public byte[] readPayload() {
            return payload.clone();
        }

        @Override
        public String toString() {
            return "TensorData[" + type + " " + Arrays.toString(shape) + ", " + payload.length + " bytes]";
        }
    }
}
