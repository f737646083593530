package org.torch2nnef.graph.shapes;

import java.util.ArrayList;
import java.util.List;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType.TensorType;

/**
 * Recurrent layers ({@code lstm}, {@code gru}, {@code rnn_tanh}, {@code rnn_relu}; batch-first or
 * not, bidirectional, batched or not) and their cells. The hidden state inputs give the hidden
 * size; the output's feature size is directions × the last size of {@code h0}.
 */
final class RecurrentShapes {
    private RecurrentShapes() {}

    static void register(ShapeRules r) {
        r.register(RecurrentShapes::lstm, "aten::lstm");
        r.register(RecurrentShapes::gruOrRnn, "aten::gru", "aten::rnn_tanh", "aten::rnn_relu");
        r.register(RecurrentShapes::lstmCell, "aten::lstm_cell");
        r.register(n -> n.output(0, n.tensor(0).dtype(), n.tensor(1).shape()), "aten::gru_cell",
                "aten::rnn_tanh_cell", "aten::rnn_relu_cell");
    }

    private static void lstm(NodeTypes n) {
        List<Value> hx = n.listElements(1);
        if (hx.size() != 2) {
            throw new ShapeInferenceException("lstm hx should be [h0, c0], has " + hx.size() + " tensors");
        }
        TensorType h0 = tensor(hx.get(0));
        TensorType c0 = tensor(hx.get(1));
        n.output(0, n.tensor(0).dtype(), sequenceOutput(n, h0.shape()));
        n.output(1, h0);
        n.output(2, c0);
    }

    private static void gruOrRnn(NodeTypes n) {
        TensorType h0 = n.tensor(1);
        n.output(0, n.tensor(0).dtype(), sequenceOutput(n, h0.shape()));
        n.output(1, h0);
    }

    private static TensorType tensor(Value v) {
        return v.tensorType().orElseThrow(() -> new ShapeInferenceException("hidden state " + v.name()
                + " is not a typed tensor"));
    }

    /** [T, N, dirs*H] or [N, T, dirs*H] when batch_first; [T, dirs*H] unbatched. */
    private static Shape sequenceOutput(NodeTypes n, Shape h0) {
        TensorType input = n.tensor(0);
        boolean bidirectional = n.bool(7);
        boolean batchFirst = n.bool(8);
        Dim features = h0.dims().get(h0.rank() - 1).times(bidirectional ? 2 : 1);
        List<Dim> out = new ArrayList<>(input.shape().dims().subList(0, input.rank() - 1));
        if (input.rank() != 2 && input.rank() != 3) {
            throw new ShapeInferenceException("recurrent input must be 2-d or 3-d, is " + input.shape()
                    + (batchFirst ? " (batch first)" : ""));
        }
        out.add(features);
        return new Shape(out);
    }

    private static void lstmCell(NodeTypes n) {
        List<Value> hx = n.listElements(1);
        if (hx.size() != 2) {
            throw new ShapeInferenceException("lstm_cell hx should be [h, c], has " + hx.size() + " tensors");
        }
        n.output(0, n.tensor(0).dtype(), tensor(hx.get(0)).shape());
        n.output(1, n.tensor(0).dtype(), tensor(hx.get(1)).shape());
    }
}
