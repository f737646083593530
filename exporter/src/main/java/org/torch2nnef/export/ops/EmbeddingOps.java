package org.torch2nnef.export.ops;

import org.torch2nnef.export.OpFamily;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.Value;
import org.torch2nnef.nnef.model.Invocation;

/**
 * {@code embedding}: the rows of the weight picked by integer ids, {@code tract_core_gather} along
 * axis 0 (standard NNEF cannot index by tensor data). {@code padding_idx},
 * {@code scale_grad_by_freq} and {@code sparse} only affect training and are ignored.
 */
public final class EmbeddingOps implements OpFamily {

    @Override
    public void register(OpRegistry r) {
        r.register("aten::embedding", EmbeddingOps::embedding);
    }

    private static void embedding(Node node, TranslationContext ctx) throws TranslationException {
        Value weight = Args.get(node, "weight", 0);
        Value ids = Args.get(node, "indices", 1);
        if (ctx.rank(weight) != 2) {
            throw new TranslationException("embedding weight must be 2-d, is " + ctx.shape(weight));
        }
        if (ctx.dtype(ids).isFloatingPoint()) {
            throw new TranslationException("embedding ids " + ids.name() + " are " + ctx.dtype(ids).torchName()
                    + "; declare the input as integers, e.g. --input " + ids.name() + "=1,7:i64");
        }
        ctx.define(node.output(0), Invocation.builder(ctx.tractOp("tract_core_gather")).arg(ctx.tensor(weight))
                .arg("indices", ctx.tensor(ids)).arg("axis", 0).build());
    }
}
