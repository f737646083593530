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
 * In-memory tensors over Java primitive arrays. The arrays are kept, not copied (callers hand them
 * over), and encoded little-endian through a small buffer while writing.
 */
abstract class ArrayTensorData extends AbstractTensorData {
    private static final int CHUNK_BYTES = 1 << 16;

    private final String kind;
    private final int length;

    ArrayTensorData(ItemType type, Set<ItemType> allowed, long[] shape, String kind, int length) {
        super(type, shape);
        this.kind = kind;
        this.length = length;
        if (!allowed.contains(type)) {
            throw new IllegalArgumentException(
                    "item type "
                            + type
                            + " cannot hold "
                            + kind
                            + " values; use one of "
                            + allowed);
        }
        long expected = itemCount();
        if (expected != length) {
            throw new IllegalArgumentException(
                    "shape "
                            + Arrays.toString(shape)
                            + " holds "
                            + expected
                            + " items but "
                            + length
                            + " "
                            + kind
                            + " values were given");
        }
    }

    /** Bytes one item takes in the chunk buffer. */
    int itemBytes() {
        return itemType().bitsPerItem() / 8;
    }

    /**
     * Puts items {@code [from, from + count)} into {@code chunk} (little-endian, positioned at 0).
     */
    abstract void encode(ByteBuffer chunk, int from, int count);

    @Override
    public void writePayload(OutputStream out) throws IOException {
        int perItem = itemBytes();
        int perChunk = CHUNK_BYTES / perItem;
        ByteBuffer chunk = ByteBuffer.allocate(perChunk * perItem).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < length; from += perChunk) {
            int count = Math.min(perChunk, length - from);
            chunk.clear();
            encode(chunk, from, count);
            out.write(chunk.array(), 0, count * perItem);
        }
    }

    @Override
    String source() {
        return kind + "[]";
    }

    static final class Floats extends ArrayTensorData {
        private final float[] values;

        Floats(long[] shape, float[] values) {
            super(ItemType.FLOAT32, EnumSet.of(ItemType.FLOAT32), shape, "float", values.length);
            this.values = values;
        }

        @Override
        void encode(ByteBuffer chunk, int from, int count) {
            chunk.asFloatBuffer().put(values, from, count);
        }
    }

    static final class Doubles extends ArrayTensorData {
        private final double[] values;

        Doubles(long[] shape, double[] values) {
            super(ItemType.FLOAT64, EnumSet.of(ItemType.FLOAT64), shape, "double", values.length);
            this.values = values;
        }

        @Override
        void encode(ByteBuffer chunk, int from, int count) {
            chunk.asDoubleBuffer().put(values, from, count);
        }
    }

    static final class Longs extends ArrayTensorData {
        private final long[] values;

        Longs(ItemType type, long[] shape, long[] values) {
            super(
                    type,
                    EnumSet.of(ItemType.INT64, ItemType.UINT64, ItemType.QINT64, ItemType.QUINT64),
                    shape,
                    "long",
                    values.length);
            this.values = values;
        }

        @Override
        void encode(ByteBuffer chunk, int from, int count) {
            chunk.asLongBuffer().put(values, from, count);
        }
    }

    static final class Ints extends ArrayTensorData {
        private final int[] values;

        Ints(ItemType type, long[] shape, int[] values) {
            super(
                    type,
                    EnumSet.of(ItemType.INT32, ItemType.UINT32, ItemType.QINT32, ItemType.QUINT32),
                    shape,
                    "int",
                    values.length);
            this.values = values;
        }

        @Override
        void encode(ByteBuffer chunk, int from, int count) {
            chunk.asIntBuffer().put(values, from, count);
        }
    }

    static final class Shorts extends ArrayTensorData {
        private final short[] values;

        Shorts(ItemType type, long[] shape, short[] values) {
            super(
                    type,
                    EnumSet.of(
                            ItemType.INT16,
                            ItemType.UINT16,
                            ItemType.QINT16,
                            ItemType.QUINT16,
                            ItemType.FLOAT16),
                    shape,
                    "short",
                    values.length);
            this.values = values;
        }

        @Override
        void encode(ByteBuffer chunk, int from, int count) {
            chunk.asShortBuffer().put(values, from, count);
        }
    }

    static final class Bytes extends ArrayTensorData {
        private final byte[] values;

        Bytes(ItemType type, long[] shape, byte[] values) {
            super(
                    type,
                    EnumSet.of(ItemType.INT8, ItemType.UINT8, ItemType.QINT8, ItemType.QUINT8),
                    shape,
                    "byte",
                    values.length);
            this.values = values;
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
            super(type, EnumSet.of(ItemType.BOOL, ItemType.BOOL8), shape, "boolean", values.length);
            this.values = values;
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
    static final class Payload extends AbstractTensorData {
        private final byte[] payload;

        Payload(ItemType type, long[] shape, byte[] payload) {
            super(type, shape);
            this.payload = Objects.requireNonNull(payload, "payload");
            long expected = payloadBytes();
            if (expected != payload.length) {
                throw new IllegalArgumentException(
                        type
                                + " tensor of shape "
                                + Arrays.toString(shape)
                                + " needs "
                                + expected
                                + " payload bytes, got "
                                + payload.length);
            }
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
        String source() {
            return payload.length + " bytes";
        }
    }
}
