package org.torch2nnef.graph.shapes;

import java.util.ArrayList;
import java.util.List;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.OpSchema;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.ValueType.TensorType;
import org.torch2nnef.torchscript.TorchDType;

/**
 * Reductions over axes with {@code keepdim}: sum, mean, prod, amax/amin, max/min (all, along a
 * dim with indices, or elementwise against another tensor), argmax/argmin, var, norm; and cumsum.
 */
final class ReductionShapes {
    private ReductionShapes() {}

    static void register(ShapeRules r) {
        r.register(n -> reduce(n, 1, 2, accumulate(n)), "aten::sum", "aten::prod");
        r.register(n -> reduce(n, 1, 2, n.dtype(n.node().argNames().indexOf("dtype")).orElse(n.tensor(0).dtype())),
                "aten::mean");
        r.register(n -> reduce(n, 1, 2, n.tensor(0).dtype()), "aten::amax", "aten::amin");
        r.register(ReductionShapes::maxMin, "aten::max", "aten::min");
        r.register(ReductionShapes::argMaxMin, "aten::argmax", "aten::argmin");
        r.register(n -> reduce(n, 1, 3, n.tensor(0).dtype()), "aten::var", "aten::std");
        r.register(n -> reduce(n, 2, 3, n.tensor(0).dtype()), "aten::norm", "aten::linalg_vector_norm");
        r.register(n -> reduce(n, 1, 2, n.tensor(0).dtype()), "aten::frobenius_norm");
        r.register(n -> {
            TensorType t = n.tensor(0);
            Shape.normalizeAxis(n.integer(1), Math.max(1, t.rank()));
            n.output(0, accumulate(n), t.shape());
        }, "aten::cumsum");
    }

    /** Sum-like ops accumulate integers and bools in int64 unless a dtype is given. */
    private static TorchDType accumulate(NodeTypes n) {
        int dtypeIndex = n.node().argNames().indexOf("dtype");
        TorchDType in = n.tensor(0).dtype();
        TorchDType natural = in.isFloatingPoint() ? in : TorchDType.INT64;
        return dtypeIndex < 0 ? natural : n.dtype(dtypeIndex).orElse(natural);
    }

    /**
     * @param dimArg     the position of the axes argument, absent (reduce all) when the overload has none
     * @param keepdimArg the position of keepdim
     */
    private static void reduce(NodeTypes n, int dimArg, int keepdimArg, TorchDType dtype) {
        TensorType t = n.tensor(0);
        boolean hasDims = n.node().argNames().size() > dimArg && n.node().argNames().get(dimArg).equals("dim");
        List<Dim> dims = !hasDims || n.isNone(dimArg) ? List.of() : n.dims(dimArg);
        boolean keepdim = hasDims && n.inputCount() > keepdimArg && n.bool(keepdimArg);
        n.output(0, dtype, reduced(t.shape(), dims, keepdim));
    }

    /** The shape after reducing {@code axes} (all axes when empty). */
    static Shape reduced(Shape shape, List<Dim> axes, boolean keepdim) {
        boolean[] reduce = new boolean[shape.rank()];
        if (axes.isEmpty()) {
            java.util.Arrays.fill(reduce, true);
        }
        for (Dim a : axes) {
            reduce[Shape.normalizeAxis(a.constant(), Math.max(1, shape.rank()))] = shape.rank() > 0;
        }
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < shape.rank(); i++) {
            if (!reduce[i]) {
                out.add(shape.dims().get(i));
            } else if (keepdim) {
                out.add(Dim.of(1));
            }
        }
        return new Shape(out);
    }

    private static void maxMin(NodeTypes n) {
        String overload = n.node().schema().map(OpSchema::overload).orElse("");
        TensorType t = n.tensor(0);
        switch (overload) {
            case "" -> n.output(0, t.dtype(), Shape.scalar());
            case "dim" -> {
                Shape s = reduced(t.shape(), List.of(n.dim(1)), n.bool(2));
                n.output(0, t.dtype(), s);
                n.output(1, TorchDType.INT64, s);
            }
            case "other" -> n.output(0, Broadcast.resultType(List.of(t, n.tensor(1))),
                    Broadcast.shapes(n, t.shape(), n.tensor(1).shape()));
            default -> throw new ShapeInferenceException("unknown overload " + overload);
        }
    }

    private static void argMaxMin(NodeTypes n) {
        TensorType t = n.tensor(0);
        boolean keepdim = n.bool(2);
        Shape s;
        if (n.isNone(1)) {
            s = keepdim ? reduced(t.shape(), List.of(), true) : Shape.scalar();
        } else {
            s = reduced(t.shape(), List.of(n.dim(1)), keepdim);
        }
        n.output(0, TorchDType.INT64, s);
    }
}
