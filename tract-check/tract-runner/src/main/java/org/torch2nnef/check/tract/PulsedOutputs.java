package org.torch2nnef.check.tract;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.TensorBundle;

/**
 * A pulsed run's output over the whole sequence. tract's {@code run} feeds the input chunk by chunk
 * (zeros after its end, until the last output item past the delay is out) and saves each turn's
 * output as {@code turn_K/NAME} ({@code NAME} alone when there was one turn; cli/src/run.rs); the
 * streamed output is those chunks end to end along the output's streaming axis, lagging the input
 * by the model's delay. Items {@code [delay, delay + length)} are what torch computes on the whole
 * sequence (tract's own {@code --assert-output-bundle} cuts them the same way, cli/src/utils.rs).
 */
public final class PulsedOutputs {
    private PulsedOutputs() {}

    /**
     * @param saved tract's saved outputs
     * @param name the output's name
     * @param axis its streaming axis
     * @param delay its delay, in items of that axis
     * @param length the length of torch's output along that axis
     * @return the output, items {@code [delay, delay + length)} of the turns end to end
     * @throws IllegalArgumentException when the turns are missing or too short
     */
    public static HostTensor assemble(
            TensorBundle saved, String name, int axis, long delay, long length) {
        List<HostTensor> turns = new ArrayList<>();
        for (int k = 0; saved.find(turnName(k, name)).isPresent(); k++) {
            turns.add(saved.get(turnName(k, name)));
        }
        if (turns.isEmpty()) {
            turns.add(
                    saved.find(name)
                            .orElseThrow(
                                    () ->
                                            new IllegalArgumentException(
                                                    "tract saved no output '"
                                                            + name
                                                            + "' (nor turn_0/"
                                                            + name
                                                            + ")")));
        }
        HostTensor streamed = concat(name, turns, axis);
        long total = streamed.shape()[axis];
        if (delay + length > total) {
            throw new IllegalArgumentException(
                    "output '"
                            + name
                            + "': tract streamed "
                            + total
                            + " items along axis "
                            + axis
                            + " in "
                            + turns.size()
                            + " turns, fewer than its delay "
                            + delay
                            + " + torch's length "
                            + length);
        }
        return slice(streamed, axis, delay, delay + length);
    }

    /**
     * The io bundle with each output cut to the items a stream computes as torch does. torch
     * computes the whole sequence at once and pads every inner tensor with zeros past its end (the
     * right padding of a convolution after a bias or an activation, say); a stream never ends, and
     * tract feeds zeros to the inputs instead. Output item {@code t} reads inputs up to {@code t +
     * delay} (the delay is the model's look-ahead), so items before {@code length - delay} read no
     * padding past the end and must be equal; the last {@code delay} items may differ.
     *
     * @param io torch's inputs and outputs
     * @param outputs the output names, in the order of the pulse properties
     * @param pulse each output's delay and streaming axis
     * @return the same inputs, and each output without its last {@code delay} items
     * @throws IllegalArgumentException when an output is no longer than its delay
     */
    public static TensorBundle withinSequence(
            TensorBundle io, List<String> outputs, PulseProperties pulse) {
        TensorBundle out = new TensorBundle(io.source());
        for (HostTensor t : io.tensors()) {
            int i = outputs.indexOf(t.name());
            if (i < 0) {
                out.add(t);
                continue;
            }
            int axis = Math.toIntExact(pulse.outputAxes()[i]);
            long length = t.shape()[axis];
            long delay = pulse.delays()[i];
            if (length <= delay) {
                throw new IllegalArgumentException(
                        "output '"
                                + t.name()
                                + "' has "
                                + length
                                + " items along its streaming axis "
                                + axis
                                + ", no more than the model's delay "
                                + delay
                                + "; give a longer input");
            }
            out.add(slice(t, axis, 0, length - delay));
        }
        return out;
    }

    static String turnName(int turn, String name) {
        return "turn_" + turn + "/" + name;
    }

    /** The tensors end to end along {@code axis}; their other sizes and dtype must agree. */
    static HostTensor concat(String name, List<HostTensor> parts, int axis) {
        HostTensor first = parts.get(0);
        long[] shape = first.shape().clone();
        if (axis < 0 || axis >= shape.length) {
            throw new IllegalArgumentException(
                    "output '" + name + "' " + first.shapeText() + " has no axis " + axis);
        }
        long along = 0;
        for (HostTensor p : parts) {
            long[] s = p.shape();
            boolean same = p.dtype() == first.dtype() && s.length == shape.length;
            for (int i = 0; same && i < s.length; i++) {
                same = i == axis || s[i] == shape[i];
            }
            if (!same) {
                throw new IllegalArgumentException(
                        "output '"
                                + name
                                + "': turn "
                                + p.dtype()
                                + p.shapeText()
                                + " does not continue "
                                + first.dtype()
                                + first.shapeText()
                                + " along axis "
                                + axis);
            }
            along += s[axis];
        }
        shape[axis] = along;
        int item = first.dtype().byteSize();
        long outer = outer(shape, axis);
        long inner = inner(shape, axis) * item;
        ByteBuffer out =
                ByteBuffer.allocate(Math.toIntExact(HostTensor.elementCount(shape) * item));
        for (long o = 0; o < outer; o++) {
            for (HostTensor p : parts) {
                int run = Math.toIntExact(p.shape()[axis] * inner);
                ByteBuffer src = p.data().duplicate();
                src.position(Math.toIntExact(o * run)).limit(Math.toIntExact(o * run + run));
                out.put(src);
            }
        }
        out.flip();
        return HostTensor.of(name, first.dtype(), shape, out);
    }

    /** Items {@code [from, to)} of {@code t} along {@code axis}. */
    static HostTensor slice(HostTensor t, int axis, long from, long to) {
        long[] shape = t.shape().clone();
        long size = shape[axis];
        shape[axis] = to - from;
        int item = t.dtype().byteSize();
        long outer = outer(shape, axis);
        long inner = inner(shape, axis) * item;
        ByteBuffer out =
                ByteBuffer.allocate(Math.toIntExact(HostTensor.elementCount(shape) * item));
        for (long o = 0; o < outer; o++) {
            ByteBuffer src = t.data().duplicate();
            long start = (o * size + from) * inner;
            src.position(Math.toIntExact(start))
                    .limit(Math.toIntExact(start + (to - from) * inner));
            out.put(src);
        }
        out.flip();
        return HostTensor.of(t.name(), t.dtype(), shape, out);
    }

    private static long outer(long[] shape, int axis) {
        long n = 1;
        for (int i = 0; i < axis; i++) {
            n *= shape[i];
        }
        return n;
    }

    private static long inner(long[] shape, int axis) {
        long n = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            n *= shape[i];
        }
        return n;
    }
}
