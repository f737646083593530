package org.torch2nnef.check.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * {@code conv} and {@code deconv}: filters {@code [O, C/groups, k…]} for conv, and for deconv in
 * tract's NNEF (torch-to-nnef writes that layout too); a Khronos deconv filter is {@code [C,
 * O/groups, k…]} ({@link Dialect}, NNEF-Tools' shape rule), checked as NNEF-Tools checks it and
 * regrouped to tract's before computing. Spatial {@code stride}/{@code dilation} (empty = 1),
 * explicit {@code padding} pairs or empty = automatic "same" padding with the extra item at the
 * end, {@code groups = 0} = depthwise ({@code groups = C}), bias of {@code O} items or a scalar,
 * {@code output_shape} for deconv.
 */
final class ConvOps {
    private ConvOps() {}

    private static final String[] PARAMS = {
        "input",
        "filter",
        "bias = 0.0",
        "border = 'constant'",
        "padding = []",
        "stride = []",
        "dilation = []",
        "groups = 1"
    };

    static void register(OpRegistry r) {
        r.add("conv", ConvOps::conv, PARAMS);
        String[] deconv = Arrays.copyOf(PARAMS, PARAMS.length + 1);
        deconv[PARAMS.length] = "output_shape = []";
        r.add("deconv", ConvOps::deconv, deconv);
    }

    /** Geometry shared by conv and deconv. */
    private record Geometry(
            int spatial, long groups, long[] stride, long[] dilation, long[] kernel) {}

    private static Geometry geometry(OpCall c, NDArray x, NDArray w, long channels) {
        int rank = x.getShape().dimension();
        if (rank < 3 || rank > 5 || w.getShape().dimension() != rank) {
            throw c.error(
                    "input "
                            + x.getShape()
                            + " and filter "
                            + w.getShape()
                            + " must both have rank 3 to 5 (1 to 3 spatial axes)");
        }
        int spatial = rank - 2;
        long groups = c.integer("groups") == 0 ? channels : c.integer("groups");
        long[] kernel = Arrays.copyOfRange(w.getShape().getShape(), 2, rank);
        return new Geometry(
                spatial,
                groups,
                spatialOrOnes(c, "stride", spatial),
                spatialOrOnes(c, "dilation", spatial),
                kernel);
    }

    private static long[] spatialOrOnes(OpCall c, String name, int spatial) {
        long[] v = c.ints(name);
        if (v.length == 0) {
            v = new long[spatial];
            Arrays.fill(v, 1);
        }
        if (v.length != spatial) {
            throw c.error(
                    name
                            + " "
                            + Arrays.toString(v)
                            + " must have one item per spatial axis ("
                            + spatial
                            + ")");
        }
        return v;
    }

    private static Value conv(OpCall c) {
        NDArray x = c.tensor("input");
        NDArray w = c.tensor("filter", x.getDataType());
        long channels = x.getShape().get(1);
        Geometry g = geometry(c, x, w, channels);
        if (channels != w.getShape().get(1) * g.groups()) {
            throw c.error(
                    "input has "
                            + channels
                            + " channels, filter "
                            + w.getShape()
                            + " with "
                            + g.groups()
                            + " groups expects "
                            + w.getShape().get(1) * g.groups());
        }
        long[] in = Arrays.copyOfRange(x.getShape().getShape(), 2, x.getShape().dimension());
        long[][] pads = padding(c, in, g, false);
        long[] symmetric = new long[g.spatial()];
        NDArray padded = x;
        if (symmetricPads(pads, symmetric) && zeroBorder(c)) {
            // engine pads with zeros itself
        } else {
            padded = Padding.pad(x, withBatchAndChannel(pads), c.string("border"), 0, () -> "conv");
            Arrays.fill(symmetric, 0);
        }
        NDArray y =
                x.getNDArrayInternal()
                        .convolution(
                                padded,
                                w,
                                null,
                                new Shape(g.stride()),
                                new Shape(symmetric),
                                new Shape(g.dilation()),
                                Math.toIntExact(g.groups()))
                        .singletonOrThrow();
        return new Value.Tensor(addBias(c, y));
    }

    private static Value deconv(OpCall c) {
        NDArray x = c.tensor("input");
        NDArray w = c.tensor("filter", x.getDataType());
        long channels = x.getShape().get(1);
        if (c.dialect() == Dialect.KHRONOS) {
            w = khronosFilter(c, x, w);
        }
        Geometry g = geometry(c, x, w, channels);
        long out = w.getShape().get(0);
        if (channels != w.getShape().get(1) * g.groups() || out % g.groups() != 0) {
            throw c.error(
                    "input has "
                            + channels
                            + " channels, filter "
                            + w.getShape()
                            + " with "
                            + g.groups()
                            + " groups expects "
                            + w.getShape().get(1) * g.groups());
        }
        if (!zeroBorder(c)) {
            throw c.error(
                    "border '"
                            + c.string("border")
                            + "' is not supported for deconv (only constant)");
        }
        // A transposed conv is the conv of the stride-dilated input, padded by the kernel extent
        // minus one, with the spatially flipped filter: the NNEF layout [O, C/g, k…] is already
        // the conv layout, so only the flip is needed.
        int[] spatialAxes = new int[g.spatial()];
        long[][] full = new long[g.spatial() + 2][2];
        NDArray spread = x;
        for (int i = 0; i < g.spatial(); i++) {
            spatialAxes[i] = i + 2;
            long extent = (g.kernel()[i] - 1) * g.dilation()[i];
            full[i + 2][0] = extent;
            full[i + 2][1] = extent;
            spread = Padding.spread(spread, i + 2, g.stride()[i]);
        }
        NDArray flipped = w.flip(spatialAxes);
        long[] in = Arrays.copyOfRange(x.getShape().getShape(), 2, x.getShape().dimension());
        long[][] pads = padding(c, in, g, true);
        long[] ones = new long[g.spatial()];
        Arrays.fill(ones, 1);
        NDArray fullOut =
                x.getNDArrayInternal()
                        .convolution(
                                Padding.pad(spread, full, "constant", 0, () -> "deconv"),
                                flipped,
                                null,
                                new Shape(ones),
                                new Shape(new long[g.spatial()]),
                                new Shape(g.dilation()),
                                Math.toIntExact(g.groups()))
                        .singletonOrThrow();
        long[] outputShape = c.ints("output_shape");
        NDArray y = fullOut;
        for (int i = 0; i < g.spatial(); i++) {
            int axis = i + 2;
            long fullSize = fullOut.getShape().get(axis);
            long size = fullSize - pads[i][0] - pads[i][1];
            if (outputShape.length == g.spatial() + 2 || outputShape.length == g.spatial()) {
                long wanted = outputShape[outputShape.length - g.spatial() + i];
                if (wanted < size || wanted >= size + g.stride()[i]) {
                    throw c.error(
                            "output_shape "
                                    + Arrays.toString(outputShape)
                                    + " is not reachable from input "
                                    + x.getShape()
                                    + " (spatial axis "
                                    + i
                                    + " gives "
                                    + size
                                    + " to "
                                    + (size + g.stride()[i] - 1)
                                    + ")");
                }
                size = wanted;
            } else if (outputShape.length != 0) {
                throw c.error(
                        "output_shape "
                                + Arrays.toString(outputShape)
                                + " must give the full or spatial shape");
            }
            long end = pads[i][0] + size;
            if (end > fullSize) { // output_shape beyond the computed extent: zeros
                long[][] extra = new long[y.getShape().dimension()][2];
                extra[axis][1] = end - fullSize;
                y = Padding.pad(y, extra, "constant", 0, () -> "deconv");
            }
            y = Padding.range(y, axis, pads[i][0], end);
        }
        return new Value.Tensor(addBias(c, y));
    }

    /**
     * A Khronos deconv filter {@code [C, O/g, k…]} as tract's {@code [O, C/g, k…]}, after
     * NNEF-Tools' checks (shapes.h, conv_like_shape): the filter batch is the input channels and
     * divides by the groups ({@code 0}: one per output channel, else per input channel).
     */
    private static NDArray khronosFilter(OpCall c, NDArray x, NDArray w) {
        long channels = x.getShape().get(1);
        long batch = w.getShape().get(0);
        if (w.getShape().dimension() < 3) {
            throw c.error("filter " + w.getShape() + " has no spatial axis");
        }
        if (batch != channels) {
            throw c.error(
                    "filter batch ("
                            + batch
                            + ") does not match input channels ("
                            + channels
                            + "): a Khronos deconv filter is [C_in, C_out/groups, k...]");
        }
        long[] outputShape = c.ints("output_shape");
        long groups =
                c.integer("groups") != 0
                        ? c.integer("groups")
                        : outputShape.length == x.getShape().dimension()
                                ? outputShape[1]
                                : channels;
        if (batch % groups != 0) {
            throw c.error(
                    "filter batch (" + batch + ") must be divisible by groups (" + groups + ")");
        }
        long[] s = w.getShape().getShape();
        long[] grouped = new long[s.length + 1];
        grouped[0] = groups;
        grouped[1] = s[0] / groups;
        System.arraycopy(s, 1, grouped, 2, s.length - 1);
        int[] swap = new int[grouped.length];
        for (int i = 0; i < swap.length; i++) {
            swap[i] = i;
        }
        swap[1] = 2;
        swap[2] = 1;
        long[] tract = s.clone();
        tract[0] = s[1] * groups;
        tract[1] = s[0] / groups;
        return w.reshape(grouped).transpose(swap).reshape(tract);
    }

    private static boolean zeroBorder(OpCall c) {
        String border = c.string("border");
        return border.equals("constant") || border.equals("ignore");
    }

    /**
     * Explicit padding pairs, or automatic "same" padding: output {@code ceil(in / stride)} (conv)
     * or {@code in * stride} (deconv), the odd item going after.
     */
    static long[][] padding(OpCall c, long[] in, Geometry g, boolean transposed) {
        long[][] given = c.pairs("padding");
        if (given.length == g.spatial()) {
            return given;
        }
        if (given.length != 0) {
            throw c.error(
                    "padding has " + given.length + " pairs for " + g.spatial() + " spatial axes");
        }
        long[][] pads = new long[g.spatial()][2];
        for (int i = 0; i < g.spatial(); i++) {
            long s = g.stride()[i];
            long extent = (g.kernel()[i] - 1) * g.dilation()[i] + 1;
            long total =
                    transposed
                            ? Math.max(0, (in[i] - 1) * s + extent - in[i] * s)
                            : Math.max(0, (ceilDiv(in[i], s) - 1) * s + extent - in[i]);
            pads[i][0] = total / 2;
            pads[i][1] = total - total / 2;
        }
        return pads;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static boolean symmetricPads(long[][] pads, long[] out) {
        for (int i = 0; i < pads.length; i++) {
            if (pads[i][0] != pads[i][1]) {
                return false;
            }
            out[i] = pads[i][0];
        }
        return true;
    }

    private static long[][] withBatchAndChannel(long[][] pads) {
        long[][] out = new long[pads.length + 2][2];
        System.arraycopy(pads, 0, out, 2, pads.length);
        return out;
    }

    /** Adds a bias of one item per output channel (any shape of that size) or of one item. */
    private static NDArray addBias(OpCall c, NDArray y) {
        NDArray bias = c.tensor("bias", y.getDataType());
        long channels = y.getShape().get(1);
        if (bias.size() == 1) {
            return y.add(bias.reshape(new Shape()));
        }
        if (bias.size() != channels) {
            throw c.error(
                    "bias "
                            + bias.getShape()
                            + " does not have one item per output channel ("
                            + channels
                            + ")");
        }
        long[] shape = new long[y.getShape().dimension()];
        Arrays.fill(shape, 1);
        shape[1] = channels;
        return y.add(bias.reshape(new Shape(shape)));
    }
}
