package org.torch2nnef.graph.shapes;

import java.util.ArrayList;
import java.util.List;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType.TensorType;

/**
 * Padding ({@code pad}, {@code constant_pad_nd}, reflection and replication) and upsampling
 * (nearest, linear, bilinear; by output size or scale factor, as {@code F.interpolate} traces).
 */
final class ResamplingShapes {
    private ResamplingShapes() {}

    static void register(ShapeRules r) {
        r.register(ResamplingShapes::pad, "aten::constant_pad_nd", "aten::pad", "aten::reflection_pad1d",
                "aten::reflection_pad2d", "aten::replication_pad1d", "aten::replication_pad2d");
        r.register(n -> upsample(n, 1, 2), "aten::upsample_nearest1d", "aten::upsample_nearest2d");
        r.register(n -> upsample(n, 1, 3), "aten::upsample_linear1d", "aten::upsample_bilinear2d");
    }

    /** Pads come in (before, after) pairs starting from the last axis. */
    private static void pad(NodeTypes n) {
        TensorType t = n.tensor(0);
        List<Dim> pads = n.dims(1);
        if (pads.size() % 2 != 0 || pads.size() / 2 > t.rank()) {
            throw new ShapeInferenceException("padding " + pads + " does not fit " + t.shape());
        }
        List<Dim> out = new ArrayList<>(t.shape().dims());
        for (int i = 0; i < pads.size() / 2; i++) {
            int axis = t.rank() - 1 - i;
            out.set(axis, out.get(axis).plus(pads.get(2 * i)).plus(pads.get(2 * i + 1)));
        }
        n.output(0, t.dtype(), new Shape(out));
    }

    /**
     * @param sizeArg  position of output_size
     * @param scaleArg position of scale_factors ({@code .vec} overloads)
     */
    private static void upsample(NodeTypes n, int sizeArg, int scaleArg) {
        TensorType t = n.tensor(0);
        String kind = n.node().kind();
        int spatial = kind.endsWith("2d") ? 2 : 1;
        if (t.rank() != spatial + 2) {
            throw new ShapeInferenceException(kind + " needs a rank " + (spatial + 2) + " input, got " + t.shape());
        }
        List<Dim> out = new ArrayList<>(t.shape().dims().subList(0, 2));
        boolean vec = n.node().argNames().contains("scale_factors");
        if (!n.isNone(sizeArg)) {
            List<Dim> size = n.dims(sizeArg);
            if (size.size() != spatial) {
                throw new ShapeInferenceException("output_size " + size + " for " + spatial + " axes");
            }
            out.addAll(size);
        } else if (vec && !n.isNone(scaleArg)) {
            List<Object> scales = n.input(scaleArg).knownList().orElseThrow(() -> new ShapeInferenceException(
                    "scale_factors " + n.input(scaleArg).name() + " are not known"));
            for (int i = 0; i < spatial; i++) {
                Object s = scales.get(scales.size() == 1 ? 0 : i);
                out.add(scaled(t.shape().dims().get(2 + i), s));
            }
        } else {
            throw new ShapeInferenceException(kind + " has neither output_size nor scale_factors");
        }
        n.output(0, t.dtype(), new Shape(out));
    }

    /** {@code floor(L * scale)}, exact when the scale is an integer. */
    private static Dim scaled(Dim l, Object scale) {
        double s = scale instanceof Double d ? d : scale instanceof Dim d && d.isConstant() ? d.constant() : Double.NaN;
        if (Double.isNaN(s) || scale == Value.UNKNOWN_ELEMENT) {
            throw new ShapeInferenceException("scale factor " + scale + " is not a known number");
        }
        if (s == Math.rint(s)) {
            return l.times((long) s);
        }
        if (l.isConstant()) {
            return Dim.of((long) Math.floor(l.constant() * s));
        }
        throw new ShapeInferenceException("the symbolic size " + l + " scaled by the non-integer " + s
                + " has no exact formula");
    }
}
