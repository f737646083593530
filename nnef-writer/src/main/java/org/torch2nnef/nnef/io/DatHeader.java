package org.torch2nnef.nnef.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.torch2nnef.nnef.model.ItemType;
import org.torch2nnef.nnef.model.Shapes;
import org.torch2nnef.nnef.model.TensorData;

/**
 * The 128-byte header of an NNEF {@code .dat} tensor file (Khronos NNEF 1.0.5, "Tensor File
 * Format"; all fields little-endian):
 *
 * <pre>
 * offset size field
 *      0    2 magic 0x4E 0xEF
 *      2    2 version major, minor (1, 0)
 *      4    4 data length in bytes (payload after the header)
 *      8    4 rank (0..8)
 *     12   32 extents, 8 x u32, unused ones 0
 *     44    4 bits per item
 *     48    4 item type: low 16 bits the code (0 float, 1 uint, 2 quint, 3 qint, 4 int, 5 bool),
 *             high 16 bits the vendor (0 = Khronos; tract uses 'T'<<8|'R' for its own types)
 *     52   76 reserved; before NNEF 1.0.3 the first 32 bytes held quantization parameters
 *             (tract: "item_type_params_deprecated"), and a non-zero first u32 turned code 1
 *             into a signed integer (the Khronos Python reader still honours that)
 * </pre>
 *
 * @param dataLength payload bytes after the header (u32)
 * @param shape extents
 * @param bitsPerItem bits per item
 * @param code Khronos item-type code
 * @param vendor vendor half of the item-type field, 0 for Khronos codes
 * @param reserved the 76 reserved bytes as read (zeros when written by us)
 */
public record DatHeader(
        long dataLength, long[] shape, int bitsPerItem, int code, int vendor, byte[] reserved) {
    /** Header size in bytes. */
    public static final int SIZE = 128;

    /** Largest payload a header can describe (unsigned 32-bit data length). */
    public static final long MAX_DATA_LENGTH = 0xFFFF_FFFFL;

    /** tract's vendor tag in the high half of the item-type field. */
    public static final int TRACT_VENDOR = ('T' << 8) | 'R';

    private static final int RESERVED_OFFSET = 52;

    public DatHeader {
        shape = shape.clone();
        reserved = reserved.clone();
    }

    /** The header a writer puts in front of {@code data}'s payload. */
    public static DatHeader of(TensorData data) {
        ItemType type = data.itemType();
        long length = data.payloadBytes();
        if (length > MAX_DATA_LENGTH) {
            throw new IllegalArgumentException(
                    "payload of "
                            + length
                            + " bytes exceeds the .dat limit of "
                            + MAX_DATA_LENGTH
                            + " bytes (32-bit data length)");
        }
        return new DatHeader(
                length,
                Shapes.checked(data.shape()),
                type.bitsPerItem(),
                type.code(),
                0,
                new byte[SIZE - RESERVED_OFFSET]);
    }

    /** The 128 header bytes. */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x4E).put((byte) 0xEF).put((byte) 1).put((byte) 0);
        b.putInt((int) dataLength).putInt(shape.length);
        for (int i = 0; i < TensorData.MAX_RANK; i++) {
            b.putInt(i < shape.length ? (int) shape[i] : 0);
        }
        b.putInt(bitsPerItem);
        b.putShort((short) code).putShort((short) vendor);
        b.put(reserved);
        return b.array();
    }

    /**
     * Parses and checks 128 header bytes read from {@code source} (a file or entry name used in
     * error messages).
     */
    public static DatHeader parse(byte[] bytes, String source) throws NnefFormatException {
        if (bytes.length != SIZE) {
            throw new NnefFormatException(
                    source + ": .dat header must be " + SIZE + " bytes, got " + bytes.length);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if ((bytes[0] & 0xFF) != 0x4E || (bytes[1] & 0xFF) != 0xEF) {
            throw new NnefFormatException(
                    String.format(
                            "%s: not an NNEF tensor file (magic %02x %02x, expected 4e ef)",
                            source, bytes[0] & 0xFF, bytes[1] & 0xFF));
        }
        if (bytes[2] != 1 || bytes[3] != 0) {
            throw new NnefFormatException(
                    source
                            + ": unsupported .dat version "
                            + bytes[2]
                            + "."
                            + bytes[3]
                            + " (only 1.0 exists)");
        }
        long dataLength = Integer.toUnsignedLong(b.getInt(4));
        long rank = Integer.toUnsignedLong(b.getInt(8));
        if (rank > TensorData.MAX_RANK) {
            throw new NnefFormatException(
                    source + ": rank " + rank + " exceeds the maximum of " + TensorData.MAX_RANK);
        }
        long[] shape = new long[(int) rank];
        for (int i = 0; i < rank; i++) {
            shape[i] = Integer.toUnsignedLong(b.getInt(12 + 4 * i));
        }
        int bits = b.getInt(44);
        int code = Short.toUnsignedInt(b.getShort(48));
        int vendor = Short.toUnsignedInt(b.getShort(50));
        byte[] reserved = Arrays.copyOfRange(bytes, RESERVED_OFFSET, SIZE);
        DatHeader h = new DatHeader(dataLength, shape, bits, code, vendor, reserved);
        ItemType type = h.itemType(source);
        long expected;
        try {
            expected = type.payloadBytes(Shapes.itemCount(shape));
        } catch (ArithmeticException e) {
            throw new NnefFormatException(
                    source + ": shape " + Arrays.toString(shape) + " has too many items");
        }
        if (expected != dataLength) {
            throw new NnefFormatException(
                    source
                            + ": data length "
                            + dataLength
                            + " does not match shape "
                            + Arrays.toString(shape)
                            + " of "
                            + type
                            + " ("
                            + expected
                            + " bytes)");
        }
        return h;
    }

    /** The item type the header describes; {@code source} names the file in errors. */
    public ItemType itemType(String source) throws NnefFormatException {
        if (vendor != 0) {
            String what = vendor == TRACT_VENDOR ? "tract vendor item type" : "vendor item type";
            throw new NnefFormatException(
                    String.format(
                            "%s: %s 0x%04x (vendor 0x%04x, %d bits per item) is not supported",
                            source, what, code, vendor, Integer.toUnsignedLong(bitsPerItem)));
        }
        int effective = code;
        if (code == ItemType.CODE_UINT && legacySignedFlag()) {
            effective = ItemType.CODE_INT;
        }
        ItemType type = ItemType.fromHeader(effective, bitsPerItem);
        if (type == null) {
            throw new NnefFormatException(
                    source
                            + ": unsupported item type code "
                            + code
                            + " with "
                            + Integer.toUnsignedLong(bitsPerItem)
                            + " bits per item");
        }
        return type;
    }

    /** Pre-1.0.3 files flagged signed integers with a non-zero first reserved u32. */
    private boolean legacySignedFlag() {
        return reserved[0] != 0 || reserved[1] != 0 || reserved[2] != 0 || reserved[3] != 0;
    }

    /** Extents as a copy. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Reserved bytes as a copy. */
    @Override
    public byte[] reserved() {
        return reserved.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DatHeader h
                && h.dataLength == dataLength
                && Arrays.equals(h.shape, shape)
                && h.bitsPerItem == bitsPerItem
                && h.code == code
                && h.vendor == vendor
                && Arrays.equals(h.reserved, reserved);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31
                + Long.hashCode(dataLength)
                + 7 * code
                + 13 * bitsPerItem;
    }

    @Override
    public String toString() {
        return "DatHeader["
                + Arrays.toString(shape)
                + ", code "
                + code
                + ", "
                + Integer.toUnsignedLong(bitsPerItem)
                + " bits, "
                + dataLength
                + " bytes"
                + (vendor != 0 ? String.format(", vendor 0x%04x", vendor) : "")
                + "]";
    }
}
