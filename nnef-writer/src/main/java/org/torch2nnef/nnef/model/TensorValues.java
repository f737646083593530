package org.torch2nnef.nnef.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes the payload of a (small enough) {@link TensorData} into Java arrays, for interpreters and
 * tests. Each call loads the payload once via {@link TensorData#readPayload()}.
 */
public final class TensorValues {
    private TensorValues() {}

    /** Values of a float tensor (FLOAT16/32/64) as floats; FLOAT64 is rounded. */
    public static float[] toFloats(TensorData t) throws IOException {
        ByteBuffer b = payload(t);
        int n = count(t);
        float[] out = new float[n];
        switch (requireFloat(t)) {
            case FLOAT16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float16.toFloat(b.getShort(2 * i));
                }
            }
            case FLOAT32 -> b.asFloatBuffer().get(out);
            default -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) b.getDouble(8 * i);
                }
            }
        }
        return out;
    }

    /** Values of a float tensor (FLOAT16/32/64) as doubles (exact). */
    public static double[] toDoubles(TensorData t) throws IOException {
        ItemType type = requireFloat(t);
        if (type == ItemType.FLOAT64) {
            double[] out = new double[count(t)];
            payload(t).asDoubleBuffer().get(out);
            return out;
        }
        float[] f = toFloats(t);
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    /**
     * Values of an integer or bool tensor as longs: signed types sign-extend, unsigned ones
     * zero-extend (UINT64 values above {@link Long#MAX_VALUE} come out negative, as two's
     * complement), bools give 0/1.
     */
    public static long[] toLongs(TensorData t) throws IOException {
        ItemType type = t.itemType();
        if (type.isFloat()) {
            throw new IllegalArgumentException(
                    "toLongs on a " + type + " tensor; use toFloats/toDoubles");
        }
        int n = count(t);
        long[] out = new long[n];
        ByteBuffer b = payload(t);
        if (type == ItemType.BOOL) {
            for (int i = 0; i < n; i++) {
                out[i] = (b.get(i >>> 3) >>> (7 - (i & 7))) & 1;
            }
            return out;
        }
        if (type == ItemType.BOOL8) {
            for (int i = 0; i < n; i++) {
                out[i] = b.get(i) != 0 ? 1 : 0;
            }
            return out;
        }
        boolean signed = type.isSigned();
        for (int i = 0; i < n; i++) {
            out[i] =
                    switch (type.bitsPerItem()) {
                        case 8 -> signed ? b.get(i) : Byte.toUnsignedLong(b.get(i));
                        case 16 ->
                                signed
                                        ? b.getShort(2 * i)
                                        : Short.toUnsignedLong(b.getShort(2 * i));
                        case 32 ->
                                signed ? b.getInt(4 * i) : Integer.toUnsignedLong(b.getInt(4 * i));
                        default -> b.getLong(8 * i);
                    };
        }
        return out;
    }

    /** Values of a bool tensor (BOOL or BOOL8). */
    public static boolean[] toBooleans(TensorData t) throws IOException {
        if (t.itemType().elementType() != ElementType.LOGICAL) {
            throw new IllegalArgumentException("toBooleans on a " + t.itemType() + " tensor");
        }
        long[] l = toLongs(t);
        boolean[] out = new boolean[l.length];
        for (int i = 0; i < l.length; i++) {
            out[i] = l[i] != 0;
        }
        return out;
    }

    private static ItemType requireFloat(TensorData t) {
        if (!t.itemType().isFloat()) {
            throw new IllegalArgumentException(
                    "float values requested from a " + t.itemType() + " tensor");
        }
        return t.itemType();
    }

    private static int count(TensorData t) {
        long n = t.itemCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "tensor of " + n + " items does not fit in one Java array");
        }
        return (int) n;
    }

    private static ByteBuffer payload(TensorData t) throws IOException {
        return ByteBuffer.wrap(t.readPayload()).order(ByteOrder.LITTLE_ENDIAN);
    }
}
