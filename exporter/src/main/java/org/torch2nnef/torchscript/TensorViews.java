package org.torch2nnef.torchscript;

import java.util.Arrays;

/**
 * The checks every tensor view read from a file passes before it is used: sizes, strides and offset
 * come from the file, so every sum and product is checked and the view must lie inside its storage
 * (a stride of 2^62 cannot wrap to an element inside it).
 */
final class TensorViews {
    private TensorViews() {}

    /**
     * @throws IllegalArgumentException naming the storage and what is wrong with the view
     */
    static void check(TensorStorage storage, long offset, long[] shape, long[] strides) {
        if (shape.length != strides.length) {
            throw new IllegalArgumentException(
                    "tensor on "
                            + storage.entryName()
                            + " has "
                            + shape.length
                            + " sizes but "
                            + strides.length
                            + " strides");
        }
        long last = offset;
        long numel = 1;
        boolean empty = false;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0 || strides[i] < 0) {
                throw new IllegalArgumentException(
                        "tensor on " + storage.entryName() + " has a negative size or stride");
            }
            empty |= shape[i] == 0;
        }
        try {
            for (int i = 0; i < shape.length && !empty; i++) {
                last = Math.addExact(last, Math.multiplyExact(shape[i] - 1, strides[i]));
            }
            for (long s : shape) {
                numel = Math.multiplyExact(numel, s);
            }
            Math.multiplyExact(numel, storage.dtype().elementSize());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    "tensor view on "
                            + storage.entryName()
                            + " (offset "
                            + offset
                            + ", sizes "
                            + Arrays.toString(shape)
                            + ", strides "
                            + Arrays.toString(strides)
                            + ") overflows 64-bit arithmetic");
        }
        if (offset < 0 || (!empty && last >= storage.elementCount())) {
            throw new IllegalArgumentException(
                    "tensor view (offset "
                            + offset
                            + ", last element "
                            + last
                            + ") exceeds storage "
                            + storage);
        }
    }
}
