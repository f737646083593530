package org.torch2nnef.export.ops;

import java.util.ArrayList;
import java.util.List;
import org.torch2nnef.export.OpFamily;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType.TensorType;
import org.torch2nnef.graph.shapes.NodeTypes;
import org.torch2nnef.graph.shapes.ShapeInferenceException;
import org.torch2nnef.nnef.model.Invocation;

/**
 * {@code embedding}: the rows of the weight picked by integer ids, {@code tract_core_gather} along
 * axis 0 (standard NNEF cannot index by tensor data). {@code padding_idx}, {@code
 * scale_grad_by_freq} and {@code sparse} only affect training and are ignored.
 */
public final class EmbeddingOps implements OpFamily {

    @Override
    public void register(OpRegistry r) {
        r.op(
                        "aten::embedding(Tensor weight, Tensor indices, int padding_idx=-1, bool scale_grad_by_freq=False, bool sparse=False) -> Tensor")
                .shape(EmbeddingOps::embeddingShape)
                .translate(EmbeddingOps::embedding)
                .tract("tract_core_gather");
    }

    /**
     * The rows of {@code weight} picked by {@code indices}: {@code indices.shape +
     * [embedding_dim]}.
     */
    private static void embeddingShape(NodeTypes n) {
        TensorType weight = n.tensor(n.at("weight"));
        TensorType indices = n.tensor(n.at("indices"));
        if (weight.rank() != 2) {
            throw new ShapeInferenceException("embedding weight must be 2-d, is " + weight.shape());
        }
        List<Dim> out = new ArrayList<>(indices.shape().dims());
        out.add(weight.shape().dims().get(1));
        n.output(0, weight.dtype(), new Shape(out));
    }

    private static void embedding(Node node, TranslationContext ctx) throws TranslationException {
        Value weight = Args.get(node, "weight", 0);
        Value ids = Args.get(node, "indices", 1);
        if (ctx.types().rank(weight) != 2) {
            throw new TranslationException(
                    "embedding weight must be 2-d, is " + ctx.types().shape(weight));
        }
        if (ctx.types().dtype(ids).isFloatingPoint()) {
            throw new TranslationException(
                    "embedding ids "
                            + ids.name()
                            + " are "
                            + ctx.types().dtype(ids).torchName()
                            + "; declare the input as integers, e.g. --input "
                            + ids.name()
                            + "=1,7:i64");
        }
        ctx.nnef()
                .define(
                        node.output(0),
                        Invocation.builder(ctx.tract().tractOp("tract_core_gather"))
                                .arg(ctx.nnef().tensor(weight))
                                .arg("indices", ctx.nnef().tensor(ids))
                                .arg("axis", 0)
                                .build());
    }
}
