package org.torch2nnef.check.nneftools;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.torch2nnef.nnef.contract.DType;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.model.Float16;
import org.torch2nnef.nnef.model.TensorData;
import org.torch2nnef.nnef.model.TensorValues;

/**
 * Tensors as nnef-infer reads and writes them: it computes {@code scalar} in float32, {@code
 * integer} in int32 and reads no float16 (it aborts), so inputs go as f32, i64 or bool and its
 * outputs come back in the dtype torch gave.
 */
final class KhronosTensors {
    private KhronosTensors() {}

    /** An input as a {@code .dat} nnef-infer reads. */
    static TensorData toDat(HostTensor t) {
        long[] shape = t.shape();
        int n = t.elementCount();
        switch (t.dtype()) {
            case F16, F32, F64 -> {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (float) t.getDouble(i);
                }
                return TensorData.ofFloats(shape, v);
            }
            case BOOL -> {
                boolean[] v = new boolean[n];
                for (int i = 0; i < n; i++) {
                    v[i] = t.getDouble(i) != 0;
                }
                return TensorData.ofBooleans(shape, v);
            }
            default -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (long) t.getDouble(i);
                }
                return TensorData.ofLongs(shape, v);
            }
        }
    }

    /** An output read back in the dtype of torch's {@code expected}. */
    static HostTensor fromDat(TensorData data, HostTensor expected) throws IOException {
        DType dtype = expected.dtype();
        long[] shape = data.shape();
        int n = Math.toIntExact(data.itemCount());
        ByteBuffer b = ByteBuffer.allocate(n * dtype.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case F16 -> {
                for (float f : TensorValues.toFloats(data)) {
                    b.putShort(Float16.fromFloat(f));
                }
            }
            case F32 -> {
                for (float f : TensorValues.toFloats(data)) {
                    b.putFloat(f);
                }
            }
            case F64 -> {
                for (double d : TensorValues.toDoubles(data)) {
                    b.putDouble(d);
                }
            }
            case BOOL -> {
                for (boolean v : TensorValues.toBooleans(data)) {
                    b.put((byte) (v ? 1 : 0));
                }
            }
            default -> {
                for (long v : TensorValues.toLongs(data)) {
                    switch (dtype.byteSize()) {
                        case 1 -> b.put((byte) v);
                        case 2 -> b.putShort((short) v);
                        case 4 -> b.putInt((int) v);
                        default -> b.putLong(v);
                    }
                }
            }
        }
        b.flip();
        return HostTensor.of(expected.name(), dtype, shape, b);
    }
}
