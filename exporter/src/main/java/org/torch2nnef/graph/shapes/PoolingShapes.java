package org.torch2nnef.graph.shapes;

import java.util.ArrayList;
import java.util.List;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.ValueType.TensorType;
import org.torch2nnef.torchscript.TorchDType;

/**
 * Max and average pooling (1d/2d, with {@code ceil_mode}) and adaptive pooling. Sizes follow
 * aten's {@code pooling_output_shape}: {@code (L + 2p - d*(k-1) - 1 (+ s-1 if ceil)) // s + 1},
 * minus one when ceil mode would start the last window inside the right padding.
 */
final class PoolingShapes {
    private PoolingShapes() {}

    static void register(ShapeRules r) {
        r.register(n -> pool(n, 1, 4, 5), "aten::max_pool1d", "aten::max_pool1d_with_indices");
        r.register(n -> pool(n, 2, 4, 5), "aten::max_pool2d", "aten::max_pool2d_with_indices");
        r.register(n -> pool(n, 1, -1, 4), "aten::avg_pool1d");
        r.register(n -> pool(n, 2, -1, 4), "aten::avg_pool2d");
        r.register(n -> adaptive(n, 1), "aten::adaptive_avg_pool1d", "aten::adaptive_max_pool1d");
        r.register(n -> adaptive(n, 2), "aten::adaptive_avg_pool2d", "aten::adaptive_max_pool2d");
    }

    /**
     * @param spatial     number of pooled axes
     * @param dilationArg position of dilation, or -1 (average pooling has none)
     * @param ceilArg     position of ceil_mode
     */
    private static void pool(NodeTypes n, int spatial, int dilationArg, int ceilArg) {
        TensorType t = n.tensor(0);
        requireSpatial(t, spatial, n);
        long[] kernel = ConvolutionShapes.expand(n.integers(1), spatial, "kernel_size");
        long[] strideGiven = n.integers(2);
        long[] stride = strideGiven.length == 0 ? kernel : ConvolutionShapes.expand(strideGiven, spatial, "stride");
        long[] padding = ConvolutionShapes.expand(n.integers(3), spatial, "padding");
        long[] dilation = dilationArg < 0 ? new long[] {1} : n.integers(dilationArg);
        dilation = ConvolutionShapes.expand(dilation, spatial, "dilation");
        boolean ceil = n.bool(ceilArg);
        List<Dim> out = new ArrayList<>(t.shape().dims().subList(0, t.rank() - spatial));
        for (int i = 0; i < spatial; i++) {
            Dim l = t.shape().dims().get(t.rank() - spatial + i);
            out.add(outputSize(l, kernel[i], stride[i], padding[i], dilation[i], ceil));
        }
        Shape s = new Shape(out);
        n.output(0, t.dtype(), s);
        if (n.outputCount() > 1) {
            n.output(1, TorchDType.INT64, s);
        }
    }

    private static void requireSpatial(TensorType t, int spatial, NodeTypes n) {
        if (t.rank() != spatial + 1 && t.rank() != spatial + 2) {
            throw new ShapeInferenceException(n.node().kind() + " needs a rank " + (spatial + 1) + " or "
                    + (spatial + 2) + " input, got " + t.shape());
        }
    }

    static Dim outputSize(Dim l, long k, long s, long p, long d, boolean ceil) {
        long span = d * (k - 1) + 1;
        Dim numerator = l.plus(2 * p - span);
        if (!ceil) {
            return numerator.floorDiv(s).plus(1);
        }
        Dim out = numerator.plus(s - 1).floorDiv(s).plus(1);
        // ceil mode must not start a window in the right padding: if (out-1)*s >= L + p, drop it
        Dim lastStart = out.minus(1).times(s);
        Dim limit = l.plus(p);
        if (lastStart.minus(limit).isConstant()) {
            return lastStart.minus(limit).constant() >= 0 ? out.minus(1) : out;
        }
        if (lastStart.isConstant() && limit.isConstant()) {
            return lastStart.constant() >= limit.constant() ? out.minus(1) : out;
        }
        if (p == 0 && s <= span) {
            return out; // ceil((L-span)/s)*s < L - span + s <= L: the last window always starts inside
        }
        if (l.isConstant()) {
            return out;
        }
        throw new ShapeInferenceException("ceil_mode pooling of the symbolic size " + l + " with stride " + s
                + " and padding " + p + " has no single formula");
    }

    private static void adaptive(NodeTypes n, int spatial) {
        TensorType t = n.tensor(0);
        requireSpatial(t, spatial, n);
        List<Dim> size = n.dims(1);
        if (size.size() == 1 && spatial > 1) {
            size = java.util.Collections.nCopies(spatial, size.get(0));
        }
        if (size.size() != spatial) {
            throw new ShapeInferenceException("output_size " + size + " for " + spatial + " pooled axes");
        }
        List<Dim> out = new ArrayList<>(t.shape().dims().subList(0, t.rank() - spatial));
        out.addAll(size);
        Shape s = new Shape(out);
        n.output(0, t.dtype(), s);
        if (n.outputCount() > 1) {
            n.output(1, TorchDType.INT64, s);
        }
    }
}
