package org.torch2nnef.nnef.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.Optional;

/**
 * The content of one {@code .dat} tensor file: item type, shape and a payload that is
 * <em>streamed</em> ({@link #writePayload}) so that producers never have to materialise all weights
 * of a model. The payload is the little-endian items in row-major order (bools packed as {@link
 * ItemType#BOOL} says), exactly {@link #payloadBytes()} bytes; the 128-byte header is derived from
 * item type and shape by the writer.
 *
 * <p>Implementations here: in-memory arrays ({@link #ofFloats}, {@link #ofLongs}, …), a raw
 * little-endian payload ({@link #ofPayload}) and a caller-supplied stream ({@link #lazy}).
 */
public interface TensorData {
    /** Largest rank a {@code .dat} header can describe. */
    int MAX_RANK = 8;

    /** The item type written to the header. */
    ItemType itemType();

    /** A copy of the shape (empty for a scalar). */
    long[] shape();

    /**
     * Writes exactly {@link #payloadBytes()} bytes of payload to {@code out}, without closing it.
     * May be called more than once (each call writes the whole payload again).
     */
    void writePayload(OutputStream out) throws IOException;

    /**
     * Where the payload lies verbatim in a file, if it does: writers may then copy that region
     * instead of calling {@link #writePayload}, with the same result.
     */
    default Optional<FileRegion> fileRegion() {
        return Optional.empty();
    }

    /** Number of dimensions. */
    default int rank() {
        return shape().length;
    }

    /** Number of items, the product of the shape. */
    default long itemCount() {
        return Shapes.itemCount(shape());
    }

    /** Size of the payload in bytes. */
    default long payloadBytes() {
        return itemType().payloadBytes(itemCount());
    }

    /**
     * The whole payload in memory. Only for tensors known to be small (tests, interpreters); fails
     * for payloads over 2 GiB.
     */
    default byte[] readPayload() throws IOException {
        long size = payloadBytes();
        if (size > Integer.MAX_VALUE - 8) {
            throw new IOException("payload of " + size + " bytes does not fit in one Java array");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) size);
        writePayload(out);
        return out.toByteArray();
    }

    /** Writes a payload to a stream: the producer of a {@link #lazy} tensor. */
    @FunctionalInterface
    interface PayloadWriter {
        /** Writes the whole payload to {@code out} without closing it. */
        void writeTo(OutputStream out) throws IOException;
    }

    /** {@link ItemType#FLOAT32} tensor of {@code values}. */
    static TensorData ofFloats(long[] shape, float... values) {
        return new ArrayTensorData.Floats(shape, values);
    }

    /** {@link ItemType#FLOAT64} tensor of {@code values}. */
    static TensorData ofDoubles(long[] shape, double... values) {
        return new ArrayTensorData.Doubles(shape, values);
    }

    /** {@link ItemType#INT64} tensor of {@code values}. */
    static TensorData ofLongs(long[] shape, long... values) {
        return new ArrayTensorData.Longs(ItemType.INT64, shape, values);
    }

    /** 64-bit integer tensor ({@code INT64}, {@code UINT64}, {@code QINT64} or {@code QUINT64}). */
    static TensorData ofLongs(ItemType type, long[] shape, long... values) {
        return new ArrayTensorData.Longs(type, shape, values);
    }

    /** {@link ItemType#INT32} tensor of {@code values}. */
    static TensorData ofInts(long[] shape, int... values) {
        return new ArrayTensorData.Ints(ItemType.INT32, shape, values);
    }

    /** 32-bit integer tensor ({@code INT32}, {@code UINT32}, {@code QINT32} or {@code QUINT32}). */
    static TensorData ofInts(ItemType type, long[] shape, int... values) {
        return new ArrayTensorData.Ints(type, shape, values);
    }

    /** 16-bit tensor: integers, or {@code FLOAT16} given as IEEE half-precision bit patterns. */
    static TensorData ofShorts(ItemType type, long[] shape, short... values) {
        return new ArrayTensorData.Shorts(type, shape, values);
    }

    /** 8-bit integer tensor ({@code INT8}, {@code UINT8}, {@code QINT8} or {@code QUINT8}). */
    static TensorData ofBytes(ItemType type, long[] shape, byte... values) {
        return new ArrayTensorData.Bytes(type, shape, values);
    }

    /** {@link ItemType#BOOL} (1 bit per item) tensor of {@code values}. */
    static TensorData ofBooleans(long[] shape, boolean... values) {
        return new ArrayTensorData.Booleans(ItemType.BOOL, shape, values);
    }

    /** Bool tensor stored as {@link ItemType#BOOL} or {@link ItemType#BOOL8}. */
    static TensorData ofBooleans(ItemType type, long[] shape, boolean... values) {
        return new ArrayTensorData.Booleans(type, shape, values);
    }

    /** Any item type from its little-endian payload bytes (not copied: do not modify them). */
    static TensorData ofPayload(ItemType type, long[] shape, byte[] payload) {
        return new ArrayTensorData.Payload(type, shape, payload);
    }

    /**
     * A tensor whose payload {@code writer} produces on demand (e.g. copied from a zip entry);
     * writers check that it writes exactly {@link #payloadBytes()} bytes.
     */
    static TensorData lazy(ItemType type, long[] shape, PayloadWriter writer) {
        return new LazyTensorData(type, shape, writer, null);
    }

    /**
     * A {@link #lazy} tensor whose payload is also exactly {@code region} of a file (see {@link
     * #fileRegion()}); {@code writer} must produce the same bytes.
     *
     * @throws IllegalArgumentException if the region's length is not the payload size
     */
    static TensorData lazy(ItemType type, long[] shape, PayloadWriter writer, FileRegion region) {
        return new LazyTensorData(type, shape, writer, Objects.requireNonNull(region, "region"));
    }
}
