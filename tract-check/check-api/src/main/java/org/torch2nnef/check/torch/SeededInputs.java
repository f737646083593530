package org.torch2nnef.check.torch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.SplittableRandom;
import org.torch2nnef.check.CheckLimits;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.TensorBundle;
import org.torch2nnef.nnef.model.Float16;

/**
 * Reproducible random inputs, generated in Java so that the same seed gives the same bytes on every
 * machine and libtorch version. Floats are uniform in [-1, 1), integers uniform in [0, 10) (small
 * and non-negative so they are valid indices and sizes more often than not), booleans fair coin
 * flips. Each input draws from its own stream derived from the seed and its position, so adding an
 * input does not change the values of those before it.
 */
public final class SeededInputs {
    private SeededInputs() {}

    /**
     * One tensor per spec, in order, in a bundle described as {@code seeded(SEED)}.
     *
     * @throws IllegalArgumentException when an input is over 2 GiB, or all of them together over
     *     {@link CheckLimits#TENSOR_BYTES}, before anything is allocated
     */
    public static TensorBundle generate(List<InputSpec> specs, long seed) {
        long total = 0;
        for (InputSpec spec : specs) {
            long bytes;
            try {
                bytes =
                        Math.multiplyExact(
                                HostTensor.elementCount(spec.shape()), spec.dtype().byteSize());
            } catch (ArithmeticException e) {
                bytes = Long.MAX_VALUE;
            }
            if (bytes > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("input " + spec + " is larger than 2 GiB");
            }
            total += bytes; // at most a few billion per input: no overflow for any real count
        }
        long max = CheckLimits.TENSOR_BYTES.value();
        if (total > max) {
            throw new IllegalArgumentException(
                    "the seeded inputs "
                            + specs
                            + " need "
                            + total
                            + " bytes, more than the "
                            + max
                            + " this process holds ("
                            + CheckLimits.raise()
                            + ")");
        }
        TensorBundle bundle = new TensorBundle("seeded(" + seed + ")");
        SplittableRandom root = new SplittableRandom(seed);
        for (InputSpec spec : specs) {
            bundle.add(generate(spec, root.split()));
        }
        return bundle;
    }

    private static HostTensor generate(InputSpec spec, SplittableRandom rnd) {
        long[] shape = spec.shape();
        int n = (int) HostTensor.elementCount(shape); // checked by generate
        ByteBuffer b =
                ByteBuffer.allocate(n * spec.dtype().byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            switch (spec.dtype()) {
                case F16 -> b.putShort(Float16.fromFloat((float) rnd.nextDouble(-1, 1)));
                case F32 -> b.putFloat((float) rnd.nextDouble(-1, 1));
                case F64 -> b.putDouble(rnd.nextDouble(-1, 1));
                case I8, U8 -> b.put((byte) rnd.nextInt(10));
                case I16, U16 -> b.putShort((short) rnd.nextInt(10));
                case I32, U32 -> b.putInt(rnd.nextInt(10));
                case I64, U64 -> b.putLong(rnd.nextInt(10));
                case BOOL -> b.put((byte) (rnd.nextBoolean() ? 1 : 0));
                default -> throw new IllegalStateException("unhandled " + spec.dtype());
            }
        }
        b.flip();
        return HostTensor.of(spec.name(), spec.dtype(), shape, b);
    }
}
