package org.torch2nnef.check.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import org.torch2nnef.check.torch.OwnedArrays;
import org.torch2nnef.nnef.model.ItemType;
import org.torch2nnef.nnef.model.TensorData;
import org.torch2nnef.nnef.model.TensorValues;

/**
 * Turns {@code .dat} content into engine tensors. Payloads whose layout the engine shares
 * (float16/32/64, int8/32/64, uint8) are streamed straight into the memory of an engine-owned
 * tensor ({@link OwnedArrays#fill}); other integer widths and packed bools are decoded to Java
 * arrays first.
 */
final class TensorLoader {
    private TensorLoader() {}

    /** The tensor stored in {@code data}; {@code label} names it in errors. */
    static NDArray load(TensorData data, NDManager manager, String label) {
        ItemType type = data.itemType();
        Shape shape = new Shape(data.shape());
        try {
            DataType direct =
                    switch (type) {
                        case FLOAT16 -> DataType.FLOAT16;
                        case FLOAT32 -> DataType.FLOAT32;
                        case FLOAT64 -> DataType.FLOAT64;
                        case INT8, QINT8 -> DataType.INT8;
                        case UINT8, QUINT8 -> DataType.UINT8;
                        case INT32, QINT32 -> DataType.INT32;
                        case INT64, QINT64 -> DataType.INT64;
                        default -> null;
                    };
            if (direct != null) {
                return stream(data, manager, shape, direct, label);
            }
            if (type == ItemType.BOOL8) {
                try (NDArray codes = stream(data, manager, shape, DataType.UINT8, label)) {
                    return codes.neq(0);
                }
            }
            if (type == ItemType.BOOL) {
                return OwnedArrays.of(manager, TensorValues.toBooleans(data), shape);
            }
            // remaining integer widths (16-bit, unsigned 32/64-bit): widen to int64
            return OwnedArrays.of(manager, TensorValues.toLongs(data), shape);
        } catch (IOException e) {
            throw new UncheckedIOException(label + ".dat: " + e.getMessage(), e);
        }
    }

    /**
     * The payload of {@code data} written into a new engine tensor of {@code shape} and {@code
     * type}.
     */
    private static NDArray stream(
            TensorData data, NDManager manager, Shape shape, DataType type, String label)
            throws IOException {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new NnefExecutionException(
                    "the reference interpreter needs a little-endian platform");
        }
        long size = data.payloadBytes();
        if (size != shape.size() * type.getNumOfBytes()) {
            throw new NnefExecutionException(
                    label
                            + ".dat: payload of "
                            + size
                            + " bytes does not hold "
                            + shape
                            + " "
                            + type);
        }
        if (size > Integer.MAX_VALUE) {
            throw new NnefExecutionException(
                    label
                            + ".dat: payload of "
                            + size
                            + " bytes is too large for the reference interpreter");
        }
        return OwnedArrays.fill(
                manager,
                shape,
                type,
                target -> {
                    data.writePayload(
                            new OutputStream() {
                                @Override
                                public void write(int b) {
                                    room(1);
                                    target.put((byte) b);
                                }

                                @Override
                                public void write(byte[] b, int off, int len) {
                                    room(len);
                                    target.put(b, off, len);
                                }

                                private void room(int len) {
                                    if (len > target.remaining()) {
                                        throw new NnefExecutionException(
                                                label
                                                        + ".dat: payload is longer than "
                                                        + size
                                                        + " bytes");
                                    }
                                }
                            });
                    if (target.hasRemaining()) {
                        throw new NnefExecutionException(
                                label
                                        + ".dat: payload has "
                                        + target.position()
                                        + " bytes, expected "
                                        + size);
                    }
                });
    }
}
