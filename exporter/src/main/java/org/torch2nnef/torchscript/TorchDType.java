package org.torch2nnef.torchscript;

import java.util.Optional;
import org.torch2nnef.nnef.contract.DType;

/**
 * Element types of tensors stored in TorchScript archives, with their serialized storage names and
 * the element type the exporter and the checker exchange them as ({@link DType}), when there is
 * one.
 */
public enum TorchDType {
    FLOAT32("float32", "FloatStorage", 4, Kind.FLOAT, DType.F32),
    FLOAT64("float64", "DoubleStorage", 8, Kind.FLOAT, DType.F64),
    FLOAT16("float16", "HalfStorage", 2, Kind.FLOAT, DType.F16),
    BFLOAT16("bfloat16", "BFloat16Storage", 2, Kind.FLOAT, null),
    INT8("int8", "CharStorage", 1, Kind.INT, DType.I8),
    INT16("int16", "ShortStorage", 2, Kind.INT, DType.I16),
    INT32("int32", "IntStorage", 4, Kind.INT, DType.I32),
    INT64("int64", "LongStorage", 8, Kind.INT, DType.I64),
    UINT8("uint8", "ByteStorage", 1, Kind.UNSIGNED, DType.U8),
    BOOL("bool", "BoolStorage", 1, Kind.BOOL, DType.BOOL),
    QINT8("qint8", "QInt8Storage", 1, Kind.QUANTIZED, null),
    QUINT8("quint8", "QUInt8Storage", 1, Kind.QUANTIZED, null),
    QINT32("qint32", "QInt32Storage", 4, Kind.QUANTIZED, null),
    COMPLEX64("complex64", "ComplexFloatStorage", 8, Kind.COMPLEX, null),
    COMPLEX128("complex128", "ComplexDoubleStorage", 16, Kind.COMPLEX, null);

    /** Broad family of a dtype. */
    public enum Kind {
        FLOAT,
        INT,
        UNSIGNED,
        BOOL,
        QUANTIZED,
        COMPLEX
    }

    private final String torchName;
    private final String storageClass;
    private final int elementSize;
    private final Kind kind;
    private final DType exchanged;

    TorchDType(String torchName, String storageClass, int elementSize, Kind kind, DType exchanged) {
        this.torchName = torchName;
        this.storageClass = storageClass;
        this.elementSize = elementSize;
        this.kind = kind;
        this.exchanged = exchanged;
    }

    /**
     * @return the name torch prints without the {@code torch.} prefix, e.g. {@code float32}
     */
    public String torchName() {
        return torchName;
    }

    /**
     * @return the storage class name in pickles, e.g. {@code FloatStorage} (module {@code torch})
     */
    public String storageClass() {
        return storageClass;
    }

    /**
     * @return bytes per element; for quantized types the size of the integer representation
     */
    public int elementSize() {
        return elementSize;
    }

    /**
     * @return the family of this dtype
     */
    public Kind kind() {
        return kind;
    }

    /**
     * @return whether elements are IEEE floats (float16/32/64) or bfloat16
     */
    public boolean isFloatingPoint() {
        return kind == Kind.FLOAT;
    }

    /**
     * @return whether this is a quantized integer type (qint8, quint8, qint32)
     */
    public boolean isQuantized() {
        return kind == Kind.QUANTIZED;
    }

    /**
     * @return the element type of this dtype's tensors in npy bundles; empty when numpy has none
     */
    public Optional<DType> exchanged() {
        return Optional.ofNullable(exchanged);
    }

    /**
     * @param type an exchanged element type
     * @return the torch dtype of that type, or empty when torch has none (unsigned above 8 bits)
     */
    public static Optional<TorchDType> of(DType type) {
        for (TorchDType t : values()) {
            if (t.exchanged == type) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
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
