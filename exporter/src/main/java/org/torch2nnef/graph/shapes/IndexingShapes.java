package org.torch2nnef.graph.shapes;

import java.util.ArrayList;
import java.util.List;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.ValueType.TensorType;

/** Indexing: {@code embedding}. */
final class IndexingShapes {
    private IndexingShapes() {}

    static void register(ShapeRules r) {
        r.register(IndexingShapes::embedding, "aten::embedding");
    }

    private static void embedding(NodeTypes n) {
        TensorType weight = n.tensor(0);
        TensorType indices = n.tensor(1);
        if (weight.rank() != 2) {
            throw new ShapeInferenceException("embedding weight must be 2-d, is " + weight.shape());
        }
        List<Dim> out = new ArrayList<>(indices.shape().dims());
        out.add(weight.shape().dims().get(1));
        n.output(0, weight.dtype(), new Shape(out));
    }
}
