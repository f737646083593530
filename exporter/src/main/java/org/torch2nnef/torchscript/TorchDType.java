package org.torch2nnef.torchscript;

import java.util.Optional;

/** Element types of tensors stored in TorchScript archives, with their serialized storage names. */
public enum TorchDType {
    FLOAT32("float32", "FloatStorage", 4, Kind.FLOAT),
    FLOAT64("float64", "DoubleStorage", 8, Kind.FLOAT),
    FLOAT16("float16", "HalfStorage", 2, Kind.FLOAT),
    BFLOAT16("bfloat16", "BFloat16Storage", 2, Kind.FLOAT),
    INT8("int8", "CharStorage", 1, Kind.INT),
    INT16("int16", "ShortStorage", 2, Kind.INT),
    INT32("int32", "IntStorage", 4, Kind.INT),
    INT64("int64", "LongStorage", 8, Kind.INT),
    UINT8("uint8", "ByteStorage", 1, Kind.UNSIGNED),
    BOOL("bool", "BoolStorage", 1, Kind.BOOL),
    QINT8("qint8", "QInt8Storage", 1, Kind.QUANTIZED),
    QUINT8("quint8", "QUInt8Storage", 1, Kind.QUANTIZED),
    QINT32("qint32", "QInt32Storage", 4, Kind.QUANTIZED),
    COMPLEX64("complex64", "ComplexFloatStorage", 8, Kind.COMPLEX),
    COMPLEX128("complex128", "ComplexDoubleStorage", 16, Kind.COMPLEX);

    /** Broad family of a dtype. */
    public enum Kind { FLOAT, INT, UNSIGNED, BOOL, QUANTIZED, COMPLEX }

    private final String torchName;
    private final String storageClass;
    private final int elementSize;
    private final Kind kind;

    TorchDType(String torchName, String storageClass, int elementSize, Kind kind) {
        this.torchName = torchName;
        this.storageClass = storageClass;
        this.elementSize = elementSize;
        this.kind = kind;
    }

    /** @return the name torch prints without the {@code torch.} prefix, e.g. {@code float32} */
    public String torchName() {
        return torchName;
    }

    /** @return the storage class name in pickles, e.g. {@code FloatStorage} (module {@code torch}) */
    public String storageClass() {
        return storageClass;
    }

    /** @return bytes per element; for quantized types the size of the integer representation */
    public int elementSize() {
        return elementSize;
    }

    /** @return the family of this dtype */
    public Kind kind() {
        return kind;
    }

    /** @return whether elements are IEEE floats (float16/32/64) or bfloat16 */
    public boolean isFloatingPoint() {
        return kind == Kind.FLOAT;
    }

    /** @return whether this is a quantized integer type (qint8, quint8, qint32) */
    public boolean isQuantized() {
        return kind == Kind.QUANTIZED;
    }

    /**
     * Finds the dtype of a storage class name as written in pickles.
     *
     * @param storageClass e.g. {@code FloatStorage}
     * @return the dtype, or empty when the name is not a known typed storage
     */
    public static Optional<TorchDType> fromStorageClass(String storageClass) {
        for (TorchDType t : values()) {
            if (t.storageClass.equals(storageClass)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * Finds a dtype by its torch name ({@code float32}, {@code int64}, ...).
     *
     * @param torchName the name without {@code torch.}
     * @return the dtype, or empty when unknown
     */
    public static Optional<TorchDType> fromTorchName(String torchName) {
        for (TorchDType t : values()) {
            if (t.torchName.equals(torchName)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
