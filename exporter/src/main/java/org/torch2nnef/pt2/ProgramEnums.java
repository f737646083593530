package org.torch2nnef.pt2;

import java.util.Optional;
import org.torch2nnef.torchscript.TorchDType;

/**
 * The enums of torch.export's serialization schema ({@code torch/_export/serde/schema.py}), which
 * number dtypes, layouts and memory formats otherwise than c10 does (TorchScript's ints).
 */
final class ProgramEnums {
    private ProgramEnums() {}

    /**
     * @param code a schema {@code ScalarType}: BYTE=1, CHAR, SHORT, INT, LONG, HALF, FLOAT, DOUBLE,
     *     COMPLEXHALF, COMPLEXFLOAT, COMPLEXDOUBLE, BOOL=12, BFLOAT16=13
     * @return the dtype, if torch2nnef has it
     */
    static Optional<TorchDType> dtype(long code) {
        return Optional.ofNullable(
                switch ((int) Math.max(Math.min(code, 99), -1)) {
                    case 1 -> TorchDType.UINT8;
                    case 2 -> TorchDType.INT8;
                    case 3 -> TorchDType.INT16;
                    case 4 -> TorchDType.INT32;
                    case 5 -> TorchDType.INT64;
                    case 6 -> TorchDType.FLOAT16;
                    case 7 -> TorchDType.FLOAT32;
                    case 8 -> TorchDType.FLOAT64;
                    case 10 -> TorchDType.COMPLEX64;
                    case 11 -> TorchDType.COMPLEX128;
                    case 12 -> TorchDType.BOOL;
                    case 13 -> TorchDType.BFLOAT16;
                    default -> null;
                });
    }

    /**
     * @param code a schema {@code MemoryFormat}: ContiguousFormat=1, ChannelsLast=2,
     *     ChannelsLast3d=3, PreserveFormat=4
     * @return c10's number: Contiguous=0, Preserve=1, ChannelsLast=2, ChannelsLast3d=3
     */
    static Optional<Long> memoryFormat(long code) {
        return Optional.ofNullable(
                switch ((int) Math.max(Math.min(code, 99), -1)) {
                    case 1 -> 0L;
                    case 2 -> 2L;
                    case 3 -> 3L;
                    case 4 -> 1L;
                    default -> null;
                });
    }

    /**
     * @param code a schema {@code Layout}; only Strided=7 is a dense tensor
     * @return c10's number of a strided layout (0), if it is one
     */
    static Optional<Long> layout(long code) {
        return code == 7 ? Optional.of(0L) : Optional.empty();
    }
}
