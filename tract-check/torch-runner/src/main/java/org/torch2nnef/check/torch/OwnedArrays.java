package org.torch2nnef.check.torch;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The one way tract-check turns Java data into engine arrays: every array made here owns its
 * memory, allocated by libtorch.
 *
 * <p>Why: DJL's PyTorch engine builds {@code NDManager.create(...)} arrays with {@code
 * torch::from_blob} over a direct buffer that only the Java array object keeps alive. Engine views
 * of such an array ({@code unsqueeze}, {@code reshape}, a same-type {@code toType}) share that
 * memory without owning it, so once the array is closed (the interpreter frees dead tensors after
 * each step) and the buffer collected, the views read freed memory (values like 1e32). Here
 * libtorch allocates the array ({@code torch::empty}) and the data is written straight into its
 * memory: views then keep it alive, and no second copy of the data is made.
 */
public final class OwnedArrays {
    private OwnedArrays() {}

    /** Writes an array's bytes; may fail with {@code E}. */
    @FunctionalInterface
    public interface Filler<E extends Exception> {
        /**
         * Puts the array's bytes (native order, row-major) into {@code target}, whose remaining
         * space is exactly the array's size in bytes.
         */
        void fill(ByteBuffer target) throws E;
    }

    /**
     * A new array of {@code shape} and {@code type} on {@code manager} whose bytes {@code filler}
     * writes in place; it must fill the whole target. The array is closed when {@code filler}
     * fails.
     *
     * @throws IllegalStateException when the manager is not DJL's PyTorch engine on the CPU (only
     *     there does the engine hand out its own memory to write into), or the filler wrote too few
     *     bytes
     */
    public static <E extends Exception> NDArray fill(
            NDManager manager, Shape shape, DataType type, Filler<E> filler) throws E {
        if (!manager.getEngine().getEngineName().equals("PyTorch")
                || !manager.getDevice().equals(Device.cpu())) {
            throw new IllegalStateException(
                    "arrays from Java data need DJL's PyTorch engine on the CPU, not "
                            + manager.getEngine().getEngineName()
                            + " on "
                            + manager.getDevice());
        }
        NDArray array = manager.create(shape, type);
        try {
            // a fresh empty tensor is dense and contiguous: the engine returns its own memory
            ByteBuffer target =
                    array.size() == 0 ? ByteBuffer.allocate(0) : array.toByteBuffer(true);
            target.order(ByteOrder.nativeOrder());
            filler.fill(target);
            if (target.hasRemaining()) {
                throw new IllegalStateException(
                        "array data of "
                                + shape
                                + " "
                                + type
                                + " is "
                                + target.position()
                                + " bytes, expected "
                                + target.capacity());
            }
            return array;
        } catch (Exception | Error e) {
            array.close();
            throw e;
        }
    }

    /**
     * A copy of the remaining bytes of {@code data} (native order) as an array of {@code shape} and
     * {@code type}.
     */
    public static NDArray of(NDManager manager, ByteBuffer data, Shape shape, DataType type) {
        return fill(manager, shape, type, target -> target.put(data.duplicate()));
    }

    /** {@code values} as an INT64 array of {@code shape}. */
    public static NDArray of(NDManager manager, long[] values, Shape shape) {
        return fill(
                manager,
                shape,
                DataType.INT64,
                target ->
                        advance(target, target.asLongBuffer().put(values).position() * Long.BYTES));
    }

    /** {@code values} as a FLOAT64 array of {@code shape}. */
    public static NDArray of(NDManager manager, double[] values, Shape shape) {
        return fill(
                manager,
                shape,
                DataType.FLOAT64,
                target ->
                        advance(
                                target,
                                target.asDoubleBuffer().put(values).position() * Double.BYTES));
    }

    /** {@code values} as a FLOAT32 array of {@code shape}. */
    public static NDArray of(NDManager manager, float[] values, Shape shape) {
        return fill(
                manager,
                shape,
                DataType.FLOAT32,
                target ->
                        advance(
                                target,
                                target.asFloatBuffer().put(values).position() * Float.BYTES));
    }

    /** {@code values} as a BOOLEAN array of {@code shape}. */
    public static NDArray of(NDManager manager, boolean[] values, Shape shape) {
        return fill(
                manager,
                shape,
                DataType.BOOLEAN,
                target -> {
                    for (boolean v : values) {
                        target.put((byte) (v ? 1 : 0));
                    }
                });
    }

    /** Moves {@code target} past the {@code bytes} a typed view of it has written. */
    private static void advance(ByteBuffer target, int bytes) {
        target.position(target.position() + bytes);
    }
}
