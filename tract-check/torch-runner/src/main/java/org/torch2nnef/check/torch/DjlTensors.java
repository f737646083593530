package org.torch2nnef.check.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.torch2nnef.nnef.contract.DType;
import org.torch2nnef.nnef.contract.HostTensor;

/** Copies between host tensors and DJL arrays (libtorch or the reference interpreter). */
public final class DjlTensors {
    private DjlTensors() {}

    /** A DJL array with {@code t}'s type, shape and bytes, attached to {@code manager}. */
    public static NDArray toNd(HostTensor t, NDManager manager) {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalStateException("big-endian hosts are not supported");
        }
        // an engine-owned copy: arrays over Java buffers break once views outlive them
        // (OwnedArrays)
        return OwnedArrays.of(
                manager, t.data(), new Shape(t.shape()), djlType(t.dtype(), t.name()));
    }

    /**
     * A host copy of {@code a} named {@code name}.
     *
     * @throws IllegalArgumentException naming {@code where} and the tensor for types we do not map
     */
    public static HostTensor toHost(NDArray a, String name, String where) {
        DType dtype = hostType(a.getDataType(), name, where);
        ByteBuffer fromDjl = a.toByteBuffer();
        ByteBuffer heap = ByteBuffer.allocate(fromDjl.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        heap.put(fromDjl).flip();
        return HostTensor.of(name, dtype, a.getShape().getShape(), heap);
    }

    private static DataType djlType(DType t, String name) {
        return switch (t) {
            case F16 -> DataType.FLOAT16;
            case F32 -> DataType.FLOAT32;
            case F64 -> DataType.FLOAT64;
            case I8 -> DataType.INT8;
            case I16 -> DataType.INT16;
            case I32 -> DataType.INT32;
            case I64 -> DataType.INT64;
            case U8 -> DataType.UINT8;
            case BOOL -> DataType.BOOLEAN;
            default ->
                    throw new IllegalArgumentException(
                            "input '" + name + "': libtorch has no " + t.label() + " tensors");
        };
    }

    private static DType hostType(DataType t, String name, String where) {
        return switch (t) {
            case FLOAT16 -> DType.F16;
            case FLOAT32 -> DType.F32;
            case FLOAT64 -> DType.F64;
            case INT8 -> DType.I8;
            case INT16 -> DType.I16;
            case INT32 -> DType.I32;
            case INT64 -> DType.I64;
            case UINT8 -> DType.U8;
            case BOOLEAN -> DType.BOOL;
            default ->
                    throw new IllegalArgumentException(
                            where + ": output '" + name + "' has unsupported type " + t);
        };
    }
}
