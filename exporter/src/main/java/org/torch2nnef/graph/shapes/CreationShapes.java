package org.torch2nnef.graph.shapes;

import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.ValueType;
import org.torch2nnef.torchscript.TorchDType;

/** Tensors created in forward: zeros/ones/full (and their {@code _like} and {@code new_} forms), arange,
 * scalar_tensor, fill_. */
final class CreationShapes {
    private CreationShapes() {}

    static void register(ShapeRules r) {
        r.register(n -> n.output(0, dtype(n, TorchDType.FLOAT32), new Shape(n.dims(0))), "aten::zeros", "aten::ones");
        r.register(n -> n.output(0, dtype(n, fillType(n.input(1).type())), new Shape(n.dims(0))), "aten::full");
        r.register(n -> n.output(0, dtype(n, n.tensor(0).dtype()), n.tensor(0).shape()),
                "aten::zeros_like", "aten::ones_like", "aten::full_like");
        r.register(n -> n.output(0, dtype(n, n.tensor(0).dtype()), new Shape(n.dims(1))),
                "aten::new_zeros", "aten::new_ones", "aten::new_full");
        r.register(CreationShapes::arange, "aten::arange");
        r.register(n -> n.output(0, dtype(n, TorchDType.FLOAT32), Shape.scalar()), "aten::scalar_tensor");
        r.register(n -> n.output(0, n.tensor(0)), "aten::fill_");
    }

    /** The {@code dtype} keyword's type, or {@code otherwise} when it is None. */
    private static TorchDType dtype(NodeTypes n, TorchDType otherwise) {
        int i = n.node().argNames().indexOf("dtype");
        return i < 0 ? otherwise : n.dtype(i).orElse(otherwise);
    }

    /** {@code torch.full} without dtype infers it from the fill value. */
    private static TorchDType fillType(ValueType t) {
        if (t instanceof ValueType.BoolType) {
            return TorchDType.BOOL;
        }
        return t instanceof ValueType.IntType ? TorchDType.INT64 : TorchDType.FLOAT32;
    }

    private static void arange(NodeTypes n) {
        int dtypeIndex = n.node().argNames().indexOf("dtype");
        int bounds = dtypeIndex; // start/end/step come before dtype
        boolean floating = false;
        for (int i = 0; i < bounds; i++) {
            floating |= n.input(i).type() instanceof ValueType.FloatType;
        }
        TorchDType dtype = n.dtype(dtypeIndex).orElse(floating ? TorchDType.FLOAT32 : TorchDType.INT64);
        Dim length;
        if (!floating) {
            Dim start = bounds >= 2 ? n.dim(0) : Dim.of(0);
            Dim end = n.dim(bounds >= 2 ? 1 : 0);
            long step = bounds >= 3 ? n.integer(2) : 1;
            if (step == 0) {
                throw new ShapeInferenceException("arange with step 0");
            }
            Dim span = end.minus(start);
            if (span.isConstant()) {
                // ceil(span / step) for either sign of step, empty when the bounds are the wrong way round
                long count = Math.floorDiv(span.constant() + step + (step > 0 ? -1 : 1), step);
                length = Dim.of(Math.max(0, count));
            } else if (step > 0) {
                length = span.ceilDiv(step);
            } else {
                throw new ShapeInferenceException("arange with the negative step " + step + " over the dynamic span " + span);
            }
        } else {
            double start = bounds >= 2 ? n.number(0) : 0;
            double end = n.number(bounds >= 2 ? 1 : 0);
            double step = bounds >= 3 ? n.number(2) : 1;
            length = Dim.of(Math.max(0, (long) Math.ceil((end - start) / step)));
        }
        n.output(0, dtype, Shape.of(length));
    }
}
