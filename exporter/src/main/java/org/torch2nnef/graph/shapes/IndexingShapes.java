package org.torch2nnef.graph.shapes;

import java.util.ArrayList;
import java.util.List;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.ValueType.TensorType;

/** Indexing: {@code slice}, {@code select}, {@code narrow}, {@code index_select}, {@code gather}. */
final class IndexingShapes {
    private IndexingShapes() {}

    static void register(ShapeRules r) {
        r.register(IndexingShapes::slice, "aten::slice");
        r.register(IndexingShapes::select, "aten::select");
        r.register(IndexingShapes::narrow, "aten::narrow");
        r.register(IndexingShapes::indexSelect, "aten::index_select");
        r.register(n -> n.output(0, n.tensor(0).dtype(), n.tensor(2).shape()), "aten::gather");
    }

    private static void slice(NodeTypes n) {
        TensorType t = n.tensor(0);
        int axis = Shape.normalizeAxis(n.integer(1), t.rank());
        Dim length = t.shape().dims().get(axis);
        long step = n.integer(4);
        if (step <= 0) {
            throw new ShapeInferenceException("slice step must be positive, is " + step);
        }
        Dim start = n.isNone(2) ? Dim.of(0) : SliceBounds.resolve(n.dim(2), length);
        Dim end = n.isNone(3) ? length : SliceBounds.resolve(n.dim(3), length);
        Dim size = end.minus(start);
        if (size.isConstant() && size.constant() < 0) {
            size = Dim.of(0);
        }
        n.output(0, t.dtype(), t.shape().with(axis, size.ceilDiv(step)));
    }

    private static void select(NodeTypes n) {
        TensorType t = n.tensor(0);
        int axis = Shape.normalizeAxis(n.integer(1), t.rank());
        checkIndex(n.dim(2), t.shape().dims().get(axis));
        List<Dim> out = new ArrayList<>(t.shape().dims());
        out.remove(axis);
        n.output(0, t.dtype(), new Shape(out));
    }

    private static void checkIndex(Dim index, Dim length) {
        if (index.isConstant() && length.isConstant()
                && (index.constant() >= length.constant() || index.constant() < -length.constant())) {
            throw new ShapeInferenceException("index " + index + " is out of range for size " + length);
        }
    }

    private static void narrow(NodeTypes n) {
        TensorType t = n.tensor(0);
        int axis = Shape.normalizeAxis(n.integer(1), t.rank());
        n.output(0, t.dtype(), t.shape().with(axis, n.dim(3)));
    }

    private static void indexSelect(NodeTypes n) {
        TensorType t = n.tensor(0);
        int axis = Shape.normalizeAxis(n.integer(1), Math.max(1, t.rank()));
        TensorType index = n.tensor(2);
        if (index.rank() > 1) {
            throw new ShapeInferenceException("index_select index must be 0-d or 1-d, is " + index.shape());
        }
        n.output(0, t.dtype(), t.shape().with(axis, index.shape().volume()));
    }
}
