package org.torch2nnef.zoo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.torch2nnef.check.torch.InputSpec;
import org.torch2nnef.check.torch.SeededInputs;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;

/**
 * The inputs of one zoo check: the check workflow's seeded inputs, except that integer inputs
 * (token ids) are drawn uniformly from the value range torch recorded, so every id is valid for the
 * model's embedding whatever the range.
 */
final class ZooInputs {
    private ZooInputs() {}

    /** Writes the inputs of {@code check} to {@code npz}, keyed by input name. */
    static void write(ZooModel model, ZooModel.Check check, long seed, Path npz)
            throws IOException {
        List<InputSpec> specs = model.inputSpecs(check);
        TensorBundle seeded = SeededInputs.generate(specs, seed);
        TensorBundle out =
                new TensorBundle("zoo inputs of " + model.name() + " at " + check.describe());
        SplittableRandom ranges = new SplittableRandom(seed);
        for (int i = 0; i < specs.size(); i++) {
            long[] range = model.inputs().get(i).valueRange();
            InputSpec spec = specs.get(i);
            out.add(range == null ? seeded.get(spec.name()) : inRange(spec, range, ranges.split()));
        }
        Npz.write(out, npz);
    }

    private static HostTensor inRange(InputSpec spec, long[] range, SplittableRandom rnd) {
        int n = Math.toIntExact(HostTensor.elementCount(spec.shape()));
        ByteBuffer b =
                ByteBuffer.allocate(n * spec.dtype().byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            long v = rnd.nextLong(range[0], range[1]);
            switch (spec.dtype()) {
                case I64 -> b.putLong(v);
                case I32 -> b.putInt(Math.toIntExact(v));
                default ->
                        throw new IllegalArgumentException(
                                "zoo input "
                                        + spec
                                        + " has a value range"
                                        + " but is not i64 or i32");
            }
        }
        b.flip();
        return HostTensor.of(spec.name(), spec.dtype(), spec.shape(), b);
    }
}
