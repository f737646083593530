package org.torch2nnef.graph.shapes;

import java.util.ArrayList;
import java.util.List;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.ValueType.TensorType;

/** {@code t} (the matrix products are registered with their translators in LinearOps). */
final class LinearShapes {
    private LinearShapes() {}

    static void register(ShapeRules r) {
        r.register(LinearShapes::transpose2d, "aten::t");
    }

    private static void transpose2d(NodeTypes n) {
        TensorType t = n.tensor(0);
        if (t.rank() > 2) {
            throw new ShapeInferenceException("t() of rank " + t.rank() + " input " + t.shape());
        }
        List<Dim> d = new ArrayList<>(t.shape().dims());
        java.util.Collections.reverse(d);
        n.output(0, t.dtype(), new Shape(d));
    }
}
