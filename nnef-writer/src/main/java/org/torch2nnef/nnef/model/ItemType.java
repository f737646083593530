package org.torch2nnef.nnef.model;

/**
 * Item types of NNEF {@code .dat} tensor files: the Khronos item-type code and bits per item that
 * go into the header, and how many payload bytes a tensor takes.
 *
 * <p>Khronos codes (NNEF 1.0.5, "Tensor File Format"): 0 float (16/32/64 bits), 1 unsigned integer,
 * 2 quantized unsigned integer, 3 quantized signed integer, 4 signed integer, 5 bool (1 bit, packed
 * most-significant bit first, or 8 bits, non-zero meaning true).
 *
 * <p>What tract reads (sonos/tract nnef/src/tensors.rs): codes 0-5 with 8/16/32/64 bits since 0.19
 * (before 0.19 only 0, 1 and 4, and no bool); 1-bit bool since 0.19, 8-bit bool since 0.21.5. tract
 * itself <em>writes</em> plain integers with the quantized codes 2/3 and bools as 8 bits; it uses
 * its vendor field ({@code 'T'<<8|'R'}) only for strings, complex numbers and block-quantized
 * weights, and never writes TDim to {@code .dat}. We write the plain codes 1/4 for integers and
 * 1-bit bools ({@link #BOOL}), which every tract since 0.19 and the Khronos tools read; {@link
 * #BOOL8} is there for readers that want bytes.
 */
public enum ItemType {
    FLOAT16(0, 16, ElementType.SCALAR, true, false),
    FLOAT32(0, 32, ElementType.SCALAR, true, false),
    FLOAT64(0, 64, ElementType.SCALAR, true, false),
    UINT8(1, 8, ElementType.INTEGER, false, false),
    UINT16(1, 16, ElementType.INTEGER, false, false),
    UINT32(1, 32, ElementType.INTEGER, false, false),
    UINT64(1, 64, ElementType.INTEGER, false, false),
    QUINT8(2, 8, ElementType.INTEGER, false, true),
    QUINT16(2, 16, ElementType.INTEGER, false, true),
    QUINT32(2, 32, ElementType.INTEGER, false, true),
    QUINT64(2, 64, ElementType.INTEGER, false, true),
    QINT8(3, 8, ElementType.INTEGER, true, true),
    QINT16(3, 16, ElementType.INTEGER, true, true),
    QINT32(3, 32, ElementType.INTEGER, true, true),
    QINT64(3, 64, ElementType.INTEGER, true, true),
    INT8(4, 8, ElementType.INTEGER, true, false),
    INT16(4, 16, ElementType.INTEGER, true, false),
    INT32(4, 32, ElementType.INTEGER, true, false),
    INT64(4, 64, ElementType.INTEGER, true, false),
    /** Khronos bool: 1 bit per item, MSB first, last byte zero-padded. */
    BOOL(5, 1, ElementType.LOGICAL, false, false),
    /** Bool stored as one byte per item (0 false, anything else true), as tract writes it. */
    BOOL8(5, 8, ElementType.LOGICAL, false, false);

    /** Khronos code of float items. */
    public static final int CODE_FLOAT = 0;

    /** Khronos code of unsigned integer items. */
    public static final int CODE_UINT = 1;

    /** Khronos code of quantized unsigned integer items. */
    public static final int CODE_QUINT = 2;

    /** Khronos code of quantized signed integer items. */
    public static final int CODE_QINT = 3;

    /** Khronos code of signed integer items. */
    public static final int CODE_INT = 4;

    /** Khronos code of bool items. */
    public static final int CODE_BOOL = 5;

    private final int code;
    private final int bits;
    private final ElementType elementType;
    private final boolean signed;
    private final boolean quantized;

    ItemType(int code, int bits, ElementType elementType, boolean signed, boolean quantized) {
        this.code = code;
        this.bits = bits;
        this.elementType = elementType;
        this.signed = signed;
        this.quantized = quantized;
    }

    /** Khronos item-type code written in the header. */
    public int code() {
        return code;
    }

    /** Bits per item written in the header. */
    public int bitsPerItem() {
        return bits;
    }

    /** The NNEF element type of tensors holding these items. */
    public ElementType elementType() {
        return elementType;
    }

    /** True for signed integers and floats. */
    public boolean isSigned() {
        return signed;
    }

    /** True for the quantized integer codes 2 and 3. */
    public boolean isQuantized() {
        return quantized;
    }

    /** True for the float codes. */
    public boolean isFloat() {
        return code == CODE_FLOAT;
    }

    /** True for the four integer codes. */
    public boolean isInteger() {
        return code >= CODE_UINT && code <= CODE_INT;
    }

    /** Payload size of {@code itemCount} items: {@code ceil(itemCount * bits / 8)}. */
    public long payloadBytes(long itemCount) {
        if (itemCount < 0) {
            throw new IllegalArgumentException("negative item count " + itemCount);
        }
        if (bits == 1) {
            return (itemCount + 7) / 8;
        }
        return Math.multiplyExact(itemCount, bits / 8);
    }

    /**
     * The item type with Khronos {@code code} and {@code bits}, or {@code null} if there is none.
     */
    public static ItemType fromHeader(int code, int bits) {
        for (ItemType t : values()) {
            if (t.code == code && t.bits == bits) {
                return t;
            }
        }
        return null;
    }

    /**
     * The quantized counterpart of a plain integer type (the type itself when already quantized).
     */
    public ItemType quantized() {
        if (quantized) {
            return this;
        }
        if (!isInteger()) {
            throw new IllegalArgumentException(this + " has no quantized counterpart");
        }
        return fromHeader(signed ? CODE_QINT : CODE_QUINT, bits);
    }
}
