package org.torch2nnef.nnef.contract;

import java.util.Locale;
import java.util.Optional;
import org.torch2nnef.nnef.model.TypeName;

/**
 * Element types of the tensors the exporter and the checker exchange (inputs and outputs in npy/npz
 * bundles, {@code --input NAME=...:DTYPE}), with their numpy spelling and label.
 */
public enum DType {
    F16("f2", 2),
    F32("f4", 4),
    F64("f8", 8),
    I8("i1", 1),
    I16("i2", 2),
    I32("i4", 4),
    I64("i8", 8),
    U8("u1", 1),
    U16("u2", 2),
    U32("u4", 4),
    U64("u8", 8),
    BOOL("b1", 1);

    private final String numpyCode;
    private final int byteSize;

    DType(String numpyCode, int byteSize) {
        this.numpyCode = numpyCode;
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** True for F16, F32 and F64. */
    public boolean isFloat() {
        return this == F16 || this == F32 || this == F64;
    }

    /** The numpy {@code descr} this type is written with: little-endian, or {@code |} for bytes. */
    public String numpyDescr() {
        return (byteSize == 1 ? "|" : "<") + numpyCode;
    }

    /**
     * The type of an NNEF {@code external<T>} that declares no other: f32 for {@code scalar}, i64
     * for {@code integer}, bool for {@code logical} (as tract reads it); empty for other type
     * names.
     */
    public static Optional<DType> ofExternal(TypeName type) {
        return switch (type) {
            case SCALAR -> Optional.of(F32);
            case INTEGER -> Optional.of(I64);
            case LOGICAL -> Optional.of(BOOL);
            default -> Optional.empty();
        };
    }

    /** Lower-case name as used in reports and on the command line: {@code f32}, {@code bool}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a numpy {@code descr} such as {@code <f4} or {@code |b1}.
     *
     * @throws IllegalArgumentException for big-endian, structured or unsupported types
     */
    public static DType fromNumpyDescr(String descr) {
        if (descr.length() != 3) {
            throw new IllegalArgumentException("unsupported numpy dtype '" + descr + "'");
        }
        char order = descr.charAt(0);
        String code = descr.substring(1);
        if (order == '>' && !code.endsWith("1")) {
            throw new IllegalArgumentException(
                    "big-endian numpy dtype '"
                            + descr
                            + "' is not supported; save the array little-endian");
        }
        if (order != '<' && order != '|' && order != '=' && order != '>') {
            throw new IllegalArgumentException("unsupported numpy dtype '" + descr + "'");
        }
        if (code.equals("?1")) {
            return BOOL;
        }
        for (DType t : values()) {
            if (t.numpyCode.equals(code)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unsupported numpy dtype '" + descr + "'");
    }

    /** Parses a label such as {@code f32}, {@code i64} or {@code bool} (case-insensitive). */
    public static DType fromLabel(String label) {
        for (DType t : values()) {
            if (t.label().equalsIgnoreCase(label)) {
                return t;
            }
        }
        throw new IllegalArgumentException(
                "unknown element type '"
                        + label
                        + "', expected one of f16 f32 f64 i8 i16 i32 i64 u8 u16 u32 u64 bool");
    }
}
