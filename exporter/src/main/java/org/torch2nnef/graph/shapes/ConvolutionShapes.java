package org.torch2nnef.graph.shapes;

import java.util.ArrayList;
import java.util.List;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.ValueType.TensorType;

/**
 * Convolutions, plain and transposed, 1d/2d/3d, batched or not. Output sizes (per spatial axis,
 * from torch's conv docs): plain {@code (L + 2p - d*(k-1) - 1) // s + 1}; transposed
 * {@code (L-1)*s - 2p + d*(k-1) + output_padding + 1}.
 */
final class ConvolutionShapes {
    private ConvolutionShapes() {}

    static void register(ShapeRules r) {
        // argument positions: input, weight, bias, stride, padding, dilation, then transposed and
        // output_padding (_convolution/convolution) or the functional forms' own order
        r.register(n -> conv(n, n.bool(6), 3, 4, 5, 7, 8), "aten::_convolution", "aten::convolution");
        r.register(n -> conv(n, false, 3, 4, 5, -1, 6), "aten::conv1d", "aten::conv2d", "aten::conv3d");
        r.register(n -> conv(n, true, 3, 4, 7, 5, 6), "aten::conv_transpose1d", "aten::conv_transpose2d",
                "aten::conv_transpose3d");
    }

    private static void conv(NodeTypes n, boolean transposed, int strideArg, int paddingArg, int dilationArg,
            int outputPaddingArg, int groupsArg) {
        TensorType input = n.tensor(0);
        Shape weight = n.tensor(1).shape();
        int spatial = weight.rank() - 2;
        if (spatial < 1) {
            throw new ShapeInferenceException("convolution weight " + weight + " has no spatial axis");
        }
        boolean batched = input.rank() == spatial + 2;
        if (!batched && input.rank() != spatial + 1) {
            throw new ShapeInferenceException("convolution input " + input.shape() + " does not fit weight " + weight);
        }
        long groups = n.integer(groupsArg);
        long[] stride = expand(n.integers(strideArg), spatial, "stride");
        long[] padding = expand(n.integers(paddingArg), spatial, "padding");
        long[] dilation = expand(n.integers(dilationArg), spatial, "dilation");
        long[] outputPadding = outputPaddingArg < 0 ? new long[spatial]
                : expand(n.integers(outputPaddingArg), spatial, "output_padding");
        int first = batched ? 2 : 1;
        Dim channels = input.shape().dims().get(first - 1);
        Dim expected = transposed ? weight.dims().get(0) : weight.dims().get(1).times(groups);
        if (channels.minus(expected).isConstant() && !channels.equals(expected)) {
            throw new ShapeInferenceException("input " + input.shape() + " has " + channels + " channels, weight "
                    + weight + " (groups " + groups + ") expects " + expected);
        }
        List<Dim> out = new ArrayList<>();
        if (batched) {
            out.add(input.shape().dims().get(0));
        }
        out.add(transposed ? weight.dims().get(1).times(groups) : weight.dims().get(0));
        for (int i = 0; i < spatial; i++) {
            Dim l = input.shape().dims().get(first + i);
            long k = weight.dims().get(2 + i).constant();
            long span = dilation[i] * (k - 1);
            out.add(transposed
                    ? l.minus(1).times(stride[i]).plus(span - 2 * padding[i] + outputPadding[i] + 1)
                    : l.plus(2 * padding[i] - span - 1).floorDiv(stride[i]).plus(1));
        }
        n.output(0, input.dtype(), new Shape(out));
    }

    /** Torch accepts a single value for all spatial axes. */
    static long[] expand(long[] values, int rank, String what) {
        if (values.length == rank) {
            return values;
        }
        if (values.length == 1) {
            long[] out = new long[rank];
            java.util.Arrays.fill(out, values[0]);
            return out;
        }
        throw new ShapeInferenceException(what + " has " + values.length + " values for " + rank + " spatial axes");
    }
}
