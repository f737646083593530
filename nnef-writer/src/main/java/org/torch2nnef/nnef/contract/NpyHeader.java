package org.torch2nnef.nnef.contract;

/**
 * What the header of an {@code .npy} array says.
 *
 * @param name the array's name (its {@code .npz} key without {@code .npy})
 * @param dtype its element type
 * @param shape its shape
 */
public record NpyHeader(String name, DType dtype, long[] shape) {
    /** Copies the shape. */
    public NpyHeader {
        shape = shape.clone();
    }

    /** A copy of the shape. */
    @Override
    public long[] shape() {
        return shape.clone();
    }
}
