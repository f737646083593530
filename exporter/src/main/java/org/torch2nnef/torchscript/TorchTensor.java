package org.torch2nnef.torchscript;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;
import org.torch2nnef.nnef.model.Float16;

/**
 * A tensor of a TorchScript archive: a view (shape, strides, offset in elements) of a {@link
 * TensorStorage}. Element data stays in the archive until asked for: {@link #writeTo} streams it in
 * C-contiguous order as little-endian bytes, whatever the view's strides.
 */
public final class TorchTensor {
    private final TensorStorage storage;
    private final long storageOffset;
    private final long[] shape;
    private final long[] strides;
    private final boolean requiresGrad;
    private final Quantization quantization;

    TorchTensor(
            TensorStorage storage,
            long storageOffset,
            long[] shape,
            long[] strides,
            boolean requiresGrad,
            Quantization quantization) {
        this.storage = storage;
        this.storageOffset = storageOffset;
        this.shape = shape.clone();
        this.strides = strides.clone();
        this.requiresGrad = requiresGrad;
        this.quantization = quantization;
    }

    /**
     * @return a copy of this tensor marked as requiring (or not) gradients
     */
    TorchTensor withRequiresGrad(boolean value) {
        return new TorchTensor(storage, storageOffset, shape, strides, value, quantization);
    }

    /**
     * @return the element type (for quantized tensors: qint8, quint8 or qint32)
     */
    public TorchDType dtype() {
        return storage.dtype();
    }

    /**
     * @return the sizes of each dimension (a copy)
     */
    public long[] shape() {
        return shape.clone();
    }

    /**
     * @return the strides of each dimension in elements (a copy)
     */
    public long[] strides() {
        return strides.clone();
    }

    /**
     * @return the number of dimensions
     */
    public int rank() {
        return shape.length;
    }

    /**
     * @return the offset of element [0,...,0] in the storage, in elements
     */
    public long storageOffset() {
        return storageOffset;
    }

    /**
     * @return whether the tensor was saved with {@code requires_grad} (parameters usually are)
     */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * @return the quantization parameters of a quantized tensor
     */
    public Optional<Quantization> quantization() {
        return Optional.ofNullable(quantization);
    }

    /**
     * @return the storage this tensor views
     */
    public TensorStorage storage() {
        return storage;
    }

    /**
     * @return the number of elements
     */
    public long numel() {
        long n = 1;
        for (long s : shape) {
            n = Math.multiplyExact(n, s); // checked when the view was read, so never throws
        }
        return n;
    }

    /**
     * @return the number of bytes {@link #writeTo} produces
     */
    public long byteSize() {
        return Math.multiplyExact(numel(), dtype().elementSize());
    }

    /**
     * @return whether the view is C-contiguous (dimensions of size 1 ignored)
     */
    public boolean isContiguous() {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /**
     * Streams the elements in C-contiguous (row-major) order as little-endian bytes, reading the
     * archive entry piecewise; honours storage offset, strides and shared storages.
     *
     * @param out receives exactly {@link #byteSize()} bytes
     * @throws IOException if the archive cannot be read or {@code out} fails
     */
    public void writeTo(OutputStream out) throws IOException {
        new StridedCopy(this).writeTo(out);
    }

    /**
     * Where exactly the bytes {@link #writeTo} produces lie in the archive file, if they do: the
     * view is C-contiguous, little-endian (or of one-byte elements) and its zip entry is stored
     * uncompressed. Writers copy such a slice with channel transfers instead of streaming it.
     *
     * @return the slice of the archive file, valid while the archive is open
     */
    public Optional<ArchiveSlice> archiveSlice() {
        if (!isContiguous() || (storage.isBigEndian() && dtype().elementSize() > 1)) {
            return Optional.empty();
        }
        return storage.slice(Math.multiplyExact(storageOffset, dtype().elementSize()), byteSize());
    }

    /**
     * Reads all elements as C-contiguous little-endian bytes; meant for small tensors.
     *
     * @return {@link #byteSize()} bytes
     * @throws IOException if the archive cannot be read or the tensor exceeds 2 GiB
     */
    public byte[] toByteArray() throws IOException {
        long size = byteSize();
        if (size > Integer.MAX_VALUE - 8) {
            throw new IOException(
                    "tensor of "
                            + size
                            + " bytes in "
                            + storage.entryName()
                            + " is too large for an array; stream it with writeTo");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) size);
        writeTo(out);
        return out.toByteArray();
    }

    /**
     * Reads a floating-point tensor (float16, bfloat16, float32, float64) as floats.
     *
     * @return the elements in C order
     * @throws IOException if the archive cannot be read
     * @throws IllegalStateException if the dtype is not floating-point
     */
    public float[] toFloatArray() throws IOException {
        ByteBuffer b = littleEndian();
        float[] r = new float[(int) numel()];
        switch (dtype()) {
            case FLOAT32 -> b.asFloatBuffer().get(r);
            case FLOAT64 -> {
                for (int i = 0; i < r.length; i++) {
                    r[i] = (float) b.getDouble(i * 8);
                }
            }
            case FLOAT16 -> {
                for (int i = 0; i < r.length; i++) {
                    r[i] = Float16.toFloat(b.getShort(i * 2));
                }
            }
            case BFLOAT16 -> {
                for (int i = 0; i < r.length; i++) {
                    r[i] = Float.intBitsToFloat((b.getShort(i * 2) & 0xffff) << 16);
                }
            }
            default -> throw notA("floating-point");
        }
        return r;
    }

    /**
     * Reads a floating-point tensor as doubles (exact for every floating dtype).
     *
     * @return the elements in C order
     * @throws IOException if the archive cannot be read
     * @throws IllegalStateException if the dtype is not floating-point
     */
    public double[] toDoubleArray() throws IOException {
        if (dtype() == TorchDType.FLOAT64) {
            double[] r = new double[(int) numel()];
            littleEndian().asDoubleBuffer().get(r);
            return r;
        }
        float[] f = toFloatArray();
        double[] r = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            r[i] = f[i];
        }
        return r;
    }

    /**
     * Reads an integer, bool or quantized tensor as longs (bool as 0/1, uint8/quint8 unsigned,
     * quantized tensors as their integer representation).
     *
     * @return the elements in C order
     * @throws IOException if the archive cannot be read
     * @throws IllegalStateException if the dtype is floating-point or complex
     */
    public long[] toLongArray() throws IOException {
        ByteBuffer b = littleEndian();
        long[] r = new long[(int) numel()];
        switch (dtype()) {
            case INT8, QINT8 -> {
                for (int i = 0; i < r.length; i++) {
                    r[i] = b.get(i);
                }
            }
            case UINT8, QUINT8, BOOL -> {
                for (int i = 0; i < r.length; i++) {
                    r[i] = b.get(i) & 0xff;
                }
            }
            case INT16 -> {
                for (int i = 0; i < r.length; i++) {
                    r[i] = b.getShort(i * 2);
                }
            }
            case INT32, QINT32 -> {
                for (int i = 0; i < r.length; i++) {
                    r[i] = b.getInt(i * 4);
                }
            }
            case INT64 -> b.asLongBuffer().get(r);
            default -> throw notA("integer, bool or quantized");
        }
        return r;
    }

    private ByteBuffer littleEndian() throws IOException {
        return ByteBuffer.wrap(toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
    }

    private IllegalStateException notA(String what) {
        return new IllegalStateException(
                "tensor in "
                        + storage.entryName()
                        + " has dtype "
                        + dtype().torchName()
                        + ", not "
                        + what);
    }

    @Override
    public String toString() {
        return "TorchTensor("
                + dtype().torchName()
                + Arrays.toString(shape)
                + ", strides="
                + Arrays.toString(strides)
                + ", offset="
                + storageOffset
                + ", "
                + storage.entryName()
                + (quantization != null ? ", " + quantization.scheme().torchName() : "")
                + ")";
    }
}
