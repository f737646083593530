package org.torch2nnef.nnef.contract;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import org.torch2nnef.nnef.model.Float16;

/**
 * A named, dense, row-major tensor held in a little-endian byte buffer on the Java heap.
 *
 * <p>Elements are read one at a time as primitives ({@link #getDouble(int)}), never boxed. The
 * buffer is shared, not copied, and exposed only as read-only views. Limited to 2 GiB of data.
 */
public final class HostTensor {
    private final String name;
    private final DType dtype;
    private final long[] shape;
    private final ByteBuffer data;
    private final int count;

    private HostTensor(String name, DType dtype, long[] shape, ByteBuffer data, int count) {
        this.name = name;
        this.dtype = dtype;
        this.shape = shape;
        this.data = data;
        this.count = count;
    }

    /**
     * Wraps {@code data} (from its position to its limit) as a tensor.
     *
     * @throws IllegalArgumentException when the byte count does not match shape and type
     */
    public static HostTensor of(String name, DType dtype, long[] shape, ByteBuffer data) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        long count = elementCount(shape);
        long bytes = count * dtype.byteSize();
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "tensor '" + name + "' " + Arrays.toString(shape) + " is larger than 2 GiB");
        }
        if (data.remaining() != bytes) {
            throw new IllegalArgumentException(
                    "tensor '"
                            + name
                            + "' "
                            + dtype.label()
                            + Arrays.toString(shape)
                            + " needs "
                            + bytes
                            + " bytes, got "
                            + data.remaining());
        }
        ByteBuffer own = data.slice().order(ByteOrder.LITTLE_ENDIAN);
        return new HostTensor(name, dtype, shape.clone(), own, (int) count);
    }

    /** A float32 tensor holding a copy of {@code values}. */
    public static HostTensor ofFloats(String name, long[] shape, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return of(name, DType.F32, shape, b);
    }

    /** Product of the dimensions; 1 for a scalar. */
    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(
                        "negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** The tensor's name (an NNEF input or output name in bundles). */
    public String name() {
        return name;
    }

    /** Element type. */
    public DType dtype() {
        return dtype;
    }

    /** A copy of the shape. */
    public long[] shape() {
        return shape.clone();
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Number of elements. */
    public int elementCount() {
        return count;
    }

    /** A read-only little-endian view of the whole data, positioned at 0. */
    public ByteBuffer data() {
        return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The same data and type under another name. */
    public HostTensor withName(String newName) {
        return new HostTensor(Objects.requireNonNull(newName), dtype, shape, data, count);
    }

    /**
     * Element {@code index} (row-major) widened to double; booleans read as 0 or 1. Unsigned 64-bit
     * values above 2^63 read as their unsigned magnitude, rounded.
     */
    public double getDouble(int index) {
        int at = index * dtype.byteSize();
        switch (dtype) {
            case F16:
                return Float16.toFloat(data.getShort(at));
            case F32:
                return data.getFloat(at);
            case F64:
                return data.getDouble(at);
            case I8:
                return data.get(at);
            case I16:
                return data.getShort(at);
            case I32:
                return data.getInt(at);
            case I64:
                return data.getLong(at);
            case U8:
            case BOOL:
                return data.get(at) & 0xff;
            case U16:
                return data.getShort(at) & 0xffff;
            case U32:
                return data.getInt(at) & 0xffffffffL;
            case U64:
                long v = data.getLong(at);
                return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
            default:
                throw new IllegalStateException("unhandled " + dtype);
        }
    }

    /** Shape as text, e.g. {@code [2, 3]}; {@code []} for a scalar. */
    public String shapeText() {
        return Arrays.toString(shape);
    }

    @Override
    public String toString() {
        return name + ": " + dtype.label() + shapeText();
    }
}
