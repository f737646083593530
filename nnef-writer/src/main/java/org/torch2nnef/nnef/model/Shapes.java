package org.torch2nnef.nnef.model;

import java.util.Arrays;

/** Checks and arithmetic on {@code .dat} tensor shapes. */
public final class Shapes {
    /** Largest extent a {@code .dat} header can hold (unsigned 32 bits). */
    public static final long MAX_EXTENT = 0xFFFF_FFFFL;

    private Shapes() {}

    /** Product of the extents; fails on overflow. */
    public static long itemCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /**
     * A defensive copy of {@code shape} after checking rank and extents for a {@code .dat} file.
     */
    public static long[] checked(long[] shape) {
        if (shape == null) {
            throw new IllegalArgumentException("tensor shape is missing");
        }
        if (shape.length > TensorData.MAX_RANK) {
            throw new IllegalArgumentException(
                    "tensor rank "
                            + shape.length
                            + " of shape "
                            + Arrays.toString(shape)
                            + " exceeds the .dat maximum of "
                            + TensorData.MAX_RANK);
        }
        for (long d : shape) {
            if (d < 0 || d > MAX_EXTENT) {
                throw new IllegalArgumentException(
                        "extent "
                                + d
                                + " of shape "
                                + Arrays.toString(shape)
                                + " is outside 0.."
                                + MAX_EXTENT);
            }
        }
        return shape.clone();
    }
}
