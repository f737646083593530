package org.torch2nnef.export.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.torch2nnef.export.OpFamily;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.export.spi.RecurrentSteps;
import org.torch2nnef.export.spi.RecurrentSteps.Kind;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType.TensorType;
import org.torch2nnef.graph.shapes.NodeTypes;
import org.torch2nnef.graph.shapes.ShapeInferenceException;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;

/**
 * The single-step cell ops that traced Python loops over {@code nn.LSTMCell}, {@code nn.GRUCell}
 * and {@code nn.RNNCell} produce: {@code aten::lstm_cell(input, [h, c], w_ih, w_hh, b_ih?, b_hh?)},
 * {@code aten::gru_cell}, {@code aten::rnn_tanh_cell}, {@code aten::rnn_relu_cell} {@code (input,
 * h, w_ih, w_hh, b_ih?, b_hh?)}. Standard NNEF: the input projection, then the step fragment of
 * {@link RecurrentSteps}.
 */
public final class RecurrentCellOps implements OpFamily {
    private static final String CELL_PARAMS = "__torch__.torch.classes.rnn.CellParamsBase[] params";

    @Override
    public void register(OpRegistry r) {
        // whole layers: nn.LSTM, nn.GRU and nn.RNN are exported by the extractors module
        // (LstmExtractor, ...)
        r.op(
                        "aten::lstm.input(Tensor input, Tensor[] hx, Tensor[] params, bool has_biases, int num_layers, float dropout, bool train, bool bidirectional, bool batch_first) -> (Tensor, Tensor, Tensor)")
                .shape(RecurrentCellOps::lstmShape)
                .extractorOnly();
        for (String signature :
                List.of(
                        "aten::gru.input(Tensor input, Tensor hx, Tensor[] params, bool has_biases, int num_layers, float dropout, bool train, bool bidirectional, bool batch_first) -> (Tensor, Tensor)",
                        "aten::rnn_tanh.input(Tensor input, Tensor hx, Tensor[] params, bool has_biases, int num_layers, float dropout, bool train, bool bidirectional, bool batch_first) -> (Tensor, Tensor)",
                        "aten::rnn_relu.input(Tensor input, Tensor hx, Tensor[] params, bool has_biases, int num_layers, float dropout, bool train, bool bidirectional, bool batch_first) -> (Tensor, Tensor)")) {
            r.op(signature).shape(RecurrentCellOps::gruOrRnnShape).extractorOnly();
        }
        // dynamically quantized nn.LSTM and nn.GRU (quantize_dynamic, int8): QuantizedLstmExtractor
        r.op(
                        "aten::quantized_lstm.input(Tensor input, Tensor[] hx, "
                                + CELL_PARAMS
                                + ", bool has_biases, int num_layers, float dropout, bool train, bool bidirectional, bool batch_first, *, ScalarType? dtype=None, bool use_dynamic=False) -> (Tensor, Tensor, Tensor)")
                .shape(RecurrentCellOps::lstmShape)
                .tract("tract_core_scan", "tract_core_cast", "tract_core_round_even")
                .extractorOnly();
        r.op(
                        "aten::quantized_gru.input(Tensor input, Tensor hx, "
                                + CELL_PARAMS
                                + ", bool has_biases, int num_layers, float dropout, bool train, bool bidirectional, bool batch_first) -> (Tensor, Tensor)")
                .shape(RecurrentCellOps::gruOrRnnShape)
                .tract("tract_core_scan", "tract_core_cast", "tract_core_round_even")
                .extractorOnly();
        r.op(
                        "aten::lstm_cell(Tensor input, Tensor[] hx, Tensor w_ih, Tensor w_hh, Tensor? b_ih=None, Tensor? b_hh=None) -> (Tensor, Tensor)")
                .shape(RecurrentCellOps::lstmCellShape)
                .translate((n, ctx) -> cell(n, ctx, Kind.LSTM));
        r.op(
                        "aten::gru_cell(Tensor input, Tensor hx, Tensor w_ih, Tensor w_hh, Tensor? b_ih=None, Tensor? b_hh=None) -> Tensor")
                .shape(RecurrentCellOps::cellShape)
                .translate((n, ctx) -> cell(n, ctx, Kind.GRU));
        r.op(
                        "aten::rnn_tanh_cell(Tensor input, Tensor hx, Tensor w_ih, Tensor w_hh, Tensor? b_ih=None, Tensor? b_hh=None) -> Tensor")
                .shape(RecurrentCellOps::cellShape)
                .translate((n, ctx) -> cell(n, ctx, Kind.RNN_TANH));
        r.op(
                        "aten::rnn_relu_cell(Tensor input, Tensor hx, Tensor w_ih, Tensor w_hh, Tensor? b_ih=None, Tensor? b_hh=None) -> Tensor")
                .shape(RecurrentCellOps::cellShape)
                .translate((n, ctx) -> cell(n, ctx, Kind.RNN_RELU));
    }

    /**
     * The hidden state inputs give the hidden size; the output's feature size is directions × the
     * last size of {@code h0}.
     */
    private static void lstmShape(NodeTypes n) {
        List<Value> hx = n.listElements(n.at("hx"));
        if (hx.size() != 2) {
            throw new ShapeInferenceException(
                    "lstm hx should be [h0, c0], has " + hx.size() + " tensors");
        }
        TensorType h0 = tensor(hx.get(0));
        TensorType c0 = tensor(hx.get(1));
        n.output(0, n.tensor(0).dtype(), sequenceOutput(n, h0.shape()));
        n.output(1, h0);
        n.output(2, c0);
    }

    private static void gruOrRnnShape(NodeTypes n) {
        TensorType h0 = n.tensor(n.at("hx"));
        n.output(0, n.tensor(0).dtype(), sequenceOutput(n, h0.shape()));
        n.output(1, h0);
    }

    private static TensorType tensor(Value v) {
        return v.tensorType()
                .orElseThrow(
                        () ->
                                new ShapeInferenceException(
                                        "hidden state " + v.name() + " is not a typed tensor"));
    }

    /** [T, N, dirs*H] or [N, T, dirs*H] when batch_first; [T, dirs*H] unbatched. */
    private static Shape sequenceOutput(NodeTypes n, Shape h0) {
        TensorType input = n.tensor(0);
        boolean bidirectional = n.bool(n.at("bidirectional"));
        boolean batchFirst = n.bool(n.at("batch_first"));
        Dim features = h0.dims().get(h0.rank() - 1).times(bidirectional ? 2 : 1);
        List<Dim> out = new ArrayList<>(input.shape().dims().subList(0, input.rank() - 1));
        if (input.rank() != 2 && input.rank() != 3) {
            throw new ShapeInferenceException(
                    "recurrent input must be 2-d or 3-d, is "
                            + input.shape()
                            + (batchFirst ? " (batch first)" : ""));
        }
        out.add(features);
        return new Shape(out);
    }

    private static void lstmCellShape(NodeTypes n) {
        List<Value> hx = n.listElements(n.at("hx"));
        if (hx.size() != 2) {
            throw new ShapeInferenceException(
                    "lstm_cell hx should be [h, c], has " + hx.size() + " tensors");
        }
        n.output(0, n.tensor(0).dtype(), tensor(hx.get(0)).shape());
        n.output(1, n.tensor(0).dtype(), tensor(hx.get(1)).shape());
    }

    /** GRU and plain RNN cells: the next hidden state, of {@code hx}'s shape. */
    private static void cellShape(NodeTypes n) {
        n.output(0, n.tensor(0).dtype(), n.tensor(n.at("hx")).shape());
    }

    private static void cell(Node n, TranslationContext ctx, Kind kind)
            throws TranslationException {
        Value input = n.input(0);
        if (ctx.types().rank(input) != 2) {
            throw new TranslationException(
                    "the cell input must be 2-d [batch, features], is " + ctx.types().shape(input));
        }
        List<Value> states =
                kind == Kind.LSTM ? ctx.values().listElements(n.input(1)) : List.of(n.input(1));
        Value wHh = n.input(3);
        long hidden = ctx.types().shape(wHh).dim(1).constant();
        Optional<Expr> bIh = bias(ctx, n.input(4));
        Optional<Expr> bHh = bias(ctx, n.input(5));
        if (bIh.isPresent() != bHh.isPresent()) {
            throw new TranslationException("b_ih and b_hh must both be given or both be None");
        }
        RecurrentSteps.Projected p =
                RecurrentSteps.project(
                        ctx.nnef(),
                        kind,
                        ctx.nnef().tensor(input),
                        2,
                        ctx.nnef().tensor(n.input(2)),
                        ctx.nnef().tensor(wHh),
                        bIh,
                        bHh,
                        Optional.empty(),
                        hidden);
        Invocation.Builder step = Invocation.builder(RecurrentSteps.step(ctx.nnef(), kind, false));
        p.gates(ctx.nnef()).forEach(step::arg);
        for (Value s : states) {
            step.arg(ctx.nnef().tensor(s));
        }
        p.recurrent().forEach(step::arg);
        if (kind == Kind.LSTM) {
            ctx.nnef()
                    .defineAll(List.of("h", "c"), List.of(n.output(0), n.output(1)), step.build());
        } else {
            ctx.nnef().define(n.output(0), step.build());
        }
    }

    private static Optional<Expr> bias(TranslationContext ctx, Value v)
            throws TranslationException {
        return ctx.values().isNone(v) ? Optional.empty() : Optional.of(ctx.nnef().tensor(v));
    }
}
