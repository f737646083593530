package org.torch2nnef.check.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.torch2nnef.nnef.model.ItemType;
import org.torch2nnef.nnef.model.TensorData;
import org.torch2nnef.nnef.model.TensorValues;

/**
 * Turns {@code .dat} content into engine tensors. Payloads whose layout the engine shares
 * (float16/32/64, int8/32/64, uint8) are streamed straight into one direct buffer handed to the
 * engine; other integer widths and packed bools are decoded to Java arrays first.
 */
final class TensorLoader {
    private TensorLoader() {
    }

    /** The tensor stored in {@code data}; {@code label} names it in errors. */
    static NDArray load(TensorData data, NDManager manager, String label) {
        ItemType type = data.itemType();
        Shape shape = new Shape(data.shape());
        try {
            DataType direct = switch (type) {
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
                return manager.create(payload(data, label), shape, direct);
            }
            if (type == ItemType.BOOL8) {
                return manager.create(payload(data, label), shape, DataType.UINT8).neq(0);
            }
            if (type == ItemType.BOOL) {
                return manager.create(TensorValues.toBooleans(data), shape);
            }
            // remaining integer widths (16-bit, unsigned 32/64-bit): widen to int64
            return manager.create(TensorValues.toLongs(data), shape);
        } catch (IOException e) {
            throw new UncheckedIOException(label + ".dat: " + e.getMessage(), e);
        }
    }

    private static ByteBuffer payload(TensorData data, String label) throws IOException {
        long size = data.payloadBytes();
        if (size > Integer.MAX_VALUE) {
            throw new NnefExecutionException(label + ".dat: payload of " + size + " bytes is too large for the reference interpreter");
        }
        ByteBuffer buf = ByteBuffer.allocateDirect((int) Math.max(size, 1)).order(ByteOrder.nativeOrder());
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new NnefExecutionException("the reference interpreter needs a little-endian platform");
        }
        data.writePayload(new OutputStream() {
            @Override
            public void write(int b) {
                buf.put((byte) b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                buf.put(b, off, len);
            }
        });
        if (buf.position() != size) {
            throw new NnefExecutionException(label + ".dat: payload has " + buf.position() + " bytes, expected " + size);
        }
        buf.flip();
        if (size == 0) {
            buf.limit(0);
        }
        return buf;
    }
}
