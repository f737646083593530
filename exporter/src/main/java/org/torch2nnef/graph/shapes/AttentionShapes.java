package org.torch2nnef.graph.shapes;

import java.util.ArrayList;
import java.util.List;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.ValueType.TensorType;
import org.torch2nnef.torchscript.TorchDType;

/**
 * Attention: torch's fused inference kernels ({@code _native_multi_head_attention} of
 * nn.MultiheadAttention, {@code _transformer_encoder_layer_fwd} of nn.TransformerEncoderLayer), the
 * nested tensors nn.TransformerEncoder makes from a padding mask ({@code _nested_tensor_from_mask},
 * {@code to_padded_tensor}, typed in their padded layout) and torch 2's
 * {@code scaled_dot_product_attention}.
 */
final class AttentionShapes {
    private AttentionShapes() {}

    static void register(ShapeRules r) {
        r.register(AttentionShapes::multiHeadAttention, "aten::_native_multi_head_attention");
        r.register(AttentionShapes::encoderLayer, "aten::_transformer_encoder_layer_fwd");
        r.register(AttentionShapes::nestedFromMask, "aten::_nested_tensor_from_mask");
        r.register(AttentionShapes::toPadded, "aten::to_padded_tensor");
        r.register(AttentionShapes::scaledDotProduct, "aten::scaled_dot_product_attention");
    }

    /**
     * Query {@code [B, L, E]}, key and value {@code [B, S, E]}: the output is the query's shape; the
     * weights {@code [B, L, S]} averaged over heads, {@code [B, H, L, S]} per head, or an empty tensor
     * when not asked for (torch returns an undefined one).
     */
    private static void multiHeadAttention(NodeTypes n) {
        TensorType query = batchedSequence(n, 0);
        TensorType key = batchedSequence(n, 1);
        batchedSequence(n, 2);
        long heads = headCount(n, query, 3, 4);
        n.output(0, query);
        boolean needWeights = n.isNone(10) || n.bool(10);
        boolean average = n.isNone(11) || n.bool(11);
        Dim b = query.shape().dim(0);
        Dim l = query.shape().dim(1);
        Dim s = key.shape().dim(1);
        Shape weights = !needWeights ? Shape.of(0) : average ? Shape.of(b, l, s) : Shape.of(b, Dim.of(heads), l, s);
        n.output(1, query.dtype(), weights);
    }

    private static void encoderLayer(NodeTypes n) {
        TensorType src = batchedSequence(n, 0);
        headCount(n, src, 1, 2);
        n.output(0, src);
    }

    /** {@code [B, T, D]} and a bool mask {@code [B, T]}; the nested tensor is typed as its padded layout. */
    private static void nestedFromMask(NodeTypes n) {
        TensorType t = batchedSequence(n, 0);
        TensorType mask = n.tensor(1);
        Shape expected = new Shape(t.shape().dims().subList(0, 2));
        if (mask.dtype() != TorchDType.BOOL || !mask.shape().equals(expected)) {
            throw new ShapeInferenceException("_nested_tensor_from_mask needs a bool mask " + expected + " for its input "
                    + t.shape() + ", got " + mask.dtype().torchName() + mask.shape());
        }
        n.output(0, t);
    }

    /**
     * The padded layout the nested tensor was made from: torch pads to the longest sequence, which
     * is that length whenever one sequence fills it (see AttentionOps).
     */
    private static void toPadded(NodeTypes n) {
        TensorType t = n.tensor(0);
        if (!n.isNone(2) && !n.dims(2).equals(t.shape().dims())) {
            throw new ShapeInferenceException("to_padded_tensor to output_size " + new Shape(n.dims(2))
                    + " other than the padded size " + t.shape());
        }
        n.output(0, t);
    }

    /** {@code [..., L, E]}, {@code [..., S, E]}, {@code [..., S, Ev]}: {@code [..., L, Ev]}. */
    private static void scaledDotProduct(NodeTypes n) {
        TensorType query = n.tensor(0);
        TensorType key = n.tensor(1);
        TensorType value = n.tensor(2);
        if (query.rank() < 2 || key.rank() != query.rank() || value.rank() != query.rank()) {
            throw new ShapeInferenceException("scaled_dot_product_attention needs query, key and value of one rank >= 2, got "
                    + query.shape() + ", " + key.shape() + ", " + value.shape());
        }
        List<Dim> out = new ArrayList<>(query.shape().dims());
        out.set(out.size() - 1, value.shape().dim(-1));
        n.output(0, query.dtype(), new Shape(out));
    }

    private static TensorType batchedSequence(NodeTypes n, int i) {
        TensorType t = n.tensor(i);
        if (t.rank() != 3) {
            throw new ShapeInferenceException(n.node().kind() + " needs batched sequences [B, T, E] (batch_first), got "
                    + t.shape() + " as argument " + i);
        }
        return t;
    }

    /** The number of heads, checked against the embedding size of {@code input}. */
    private static long headCount(NodeTypes n, TensorType input, int embedArg, int headsArg) {
        long embed = n.integer(embedArg);
        long heads = n.integer(headsArg);
        Dim last = input.shape().dim(-1);
        if (heads <= 0 || embed % heads != 0 || !last.equals(Dim.of(embed))) {
            throw new ShapeInferenceException(n.node().kind() + ": embed_dim " + embed + " in " + heads
                    + " heads does not fit the input " + input.shape());
        }
        return heads;
    }
}
