package org.torch2nnef.check.reference;

import ai.djl.ndarray.types.DataType;

/** tract datum type names ({@code f32}, {@code i64}, {@code bool}, …) as engine data types. */
final class TractTypes {
    private TractTypes() {}

    /**
     * The engine type for tract's {@code name}; unsigned wider than 8 bits and TDim become INT64.
     */
    static DataType parse(String name, OpCall c) {
        return switch (name) {
            case "f16" -> DataType.FLOAT16;
            case "f32" -> DataType.FLOAT32;
            case "f64" -> DataType.FLOAT64;
            case "i8" -> DataType.INT8;
            case "u8" -> DataType.UINT8;
            case "i16", "i32" -> DataType.INT32;
            case "i64", "u16", "u32", "u64", "tdim", "TDim" -> DataType.INT64;
            case "bool" -> DataType.BOOLEAN;
            default -> throw c.error("unsupported tract datum type '" + name + "'");
        };
    }
}
