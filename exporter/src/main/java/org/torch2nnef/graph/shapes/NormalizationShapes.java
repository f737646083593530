package org.torch2nnef.graph.shapes;

import org.torch2nnef.graph.ValueType.TensorType;

/** Batch, layer, group and instance normalisation: the output is the input's shape and dtype. */
final class NormalizationShapes {
    private NormalizationShapes() {}

    static void register(ShapeRules r) {
        r.register(NormalizationShapes::channelwise, "aten::batch_norm", "aten::instance_norm", "aten::group_norm");
        r.register(NormalizationShapes::layerNorm, "aten::layer_norm");
    }

    private static void channelwise(NodeTypes n) {
        TensorType t = n.tensor(0);
        if (t.rank() < 2) {
            throw new ShapeInferenceException(n.node().kind() + " needs an input with a channel axis, got " + t.shape());
        }
        n.output(0, t);
    }

    private static void layerNorm(NodeTypes n) {
        TensorType t = n.tensor(0);
        long[] normalized = n.integers(1);
        if (normalized.length > t.rank()) {
            throw new ShapeInferenceException("layer_norm over " + normalized.length + " axes of " + t.shape());
        }
        n.output(0, t);
    }
}
