package org.torch2nnef.export;

import java.util.Optional;
import org.torch2nnef.nnef.model.ElementType;
import org.torch2nnef.nnef.model.FileRegion;
import org.torch2nnef.nnef.model.ItemType;
import org.torch2nnef.nnef.model.TensorData;
import org.torch2nnef.torchscript.TorchDType;
import org.torch2nnef.torchscript.TorchTensor;

/** How torch element types map to NNEF element types and {@code .dat} item types. */
public final class TensorTypes {
    private TensorTypes() {}

    /**
     * @param dtype a torch dtype
     * @return the {@code .dat} item type storing it bit for bit, if NNEF has one
     */
    public static Optional<ItemType> itemType(TorchDType dtype) {
        return Optional.ofNullable(
                switch (dtype) {
                    case FLOAT32 -> ItemType.FLOAT32;
                    case FLOAT64 -> ItemType.FLOAT64;
                    case FLOAT16 -> ItemType.FLOAT16;
                    case INT8 -> ItemType.INT8;
                    case INT16 -> ItemType.INT16;
                    case INT32 -> ItemType.INT32;
                    case INT64 -> ItemType.INT64;
                    case UINT8 -> ItemType.UINT8;
                    // torch stores bools one byte each, as tract's 8-bit bool
                    case BOOL -> ItemType.BOOL8;
                    default -> null;
                });
    }

    /**
     * @param dtype a torch dtype
     * @return {@code scalar}, {@code integer} or {@code logical}
     * @throws TranslationException for dtypes without an NNEF counterpart (bfloat16, complex,
     *     quantized)
     */
    public static ElementType elementType(TorchDType dtype) throws TranslationException {
        return itemType(dtype)
                .map(ItemType::elementType)
                .orElseThrow(
                        () ->
                                new TranslationException(
                                        "dtype "
                                                + dtype.torchName()
                                                + " has no NNEF element type"));
    }

    /**
     * A {@code .dat} tensor whose payload is streamed from the TorchScript archive when written:
     * the weights are never held in memory.
     *
     * @param tensor a parameter, buffer or constant of the archive
     * @return its lazy tensor data
     * @throws TranslationException if its dtype cannot be stored in a {@code .dat} file
     */
    public static TensorData streamed(TorchTensor tensor) throws TranslationException {
        ItemType type =
                itemType(tensor.dtype())
                        .orElseThrow(
                                () ->
                                        new TranslationException(
                                                "tensor "
                                                        + tensor
                                                        + " has dtype "
                                                        + tensor.dtype().torchName()
                                                        + ", which a .dat file cannot hold"));
        return lazy(tensor, type);
    }

    /**
     * The integer codes of a quantized tensor of the archive ({@code qint8} as {@code i8}, {@code
     * quint8} as {@code u8}, {@code qint32} as {@code i32}), streamed like {@link #streamed}: the
     * codes are stored as torch stores them, so they are copied, never decoded.
     *
     * @param tensor a quantized tensor of the archive
     * @return its lazy tensor data
     * @throws TranslationException if it is not quantized
     */
    public static TensorData streamedCodes(TorchTensor tensor) throws TranslationException {
        ItemType type =
                switch (tensor.dtype()) {
                    case QINT8 -> ItemType.INT8;
                    case QUINT8 -> ItemType.UINT8;
                    case QINT32 -> ItemType.INT32;
                    default ->
                            throw new TranslationException(
                                    "tensor "
                                            + tensor
                                            + " is not quantized ("
                                            + tensor.dtype().torchName()
                                            + ")");
                };
        return lazy(tensor, type);
    }

    /** The tensor's bytes as {@code type} items, a region of the archive when contiguous. */
    private static TensorData lazy(TorchTensor tensor, ItemType type) {
        return tensor.archiveSlice()
                .map(
                        s ->
                                TensorData.lazy(
                                        type,
                                        tensor.shape(),
                                        tensor::writeTo,
                                        new FileRegion(s.channel(), s.position(), s.length())))
                .orElseGet(() -> TensorData.lazy(type, tensor.shape(), tensor::writeTo));
    }
}
