package org.torch2nnef.export.ops;

import java.util.List;
import java.util.Optional;
import org.torch2nnef.export.spi.RecurrentSteps;
import org.torch2nnef.export.OpFamily;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.export.spi.RecurrentSteps.Kind;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.Value;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;

/**
 * The single-step cell ops that traced Python loops over {@code nn.LSTMCell}, {@code nn.GRUCell} and
 * {@code nn.RNNCell} produce: {@code aten::lstm_cell(input, [h, c], w_ih, w_hh, b_ih?, b_hh?)},
 * {@code aten::gru_cell}, {@code aten::rnn_tanh_cell}, {@code aten::rnn_relu_cell}
 * {@code (input, h, w_ih, w_hh, b_ih?, b_hh?)}. Standard NNEF: the input projection, then the
 * step fragment of {@link RecurrentSteps}.
 */
public final class RecurrentCellOps implements OpFamily {

    @Override
    public void register(OpRegistry r) {
        r.register("aten::lstm_cell", (n, ctx) -> cell(n, ctx, Kind.LSTM));
        r.register("aten::gru_cell", (n, ctx) -> cell(n, ctx, Kind.GRU));
        r.register("aten::rnn_tanh_cell", (n, ctx) -> cell(n, ctx, Kind.RNN_TANH));
        r.register("aten::rnn_relu_cell", (n, ctx) -> cell(n, ctx, Kind.RNN_RELU));
    }

    private static void cell(Node n, TranslationContext ctx, Kind kind) throws TranslationException {
        Value input = n.input(0);
        if (ctx.rank(input) != 2) {
            throw new TranslationException("the cell input must be 2-d [batch, features], is " + ctx.shape(input));
        }
        List<Value> states = kind == Kind.LSTM ? ctx.listElements(n.input(1)) : List.of(n.input(1));
        Value wHh = n.input(3);
        long hidden = ctx.shape(wHh).dim(1).constant();
        Optional<Expr> bIh = bias(ctx, n.input(4));
        Optional<Expr> bHh = bias(ctx, n.input(5));
        if (bIh.isPresent() != bHh.isPresent()) {
            throw new TranslationException("b_ih and b_hh must both be given or both be None");
        }
        RecurrentSteps.Projected p = RecurrentSteps.project(ctx.nnef(), kind, ctx.tensor(input), 2, ctx.tensor(n.input(2)),
                ctx.tensor(wHh), bIh, bHh, Optional.empty(), hidden);
        Invocation.Builder step = Invocation.builder(RecurrentSteps.step(ctx.nnef(), kind, false));
        p.gates(ctx.nnef()).forEach(step::arg);
        for (Value s : states) {
            step.arg(ctx.tensor(s));
        }
        p.recurrent().forEach(step::arg);
        if (kind == Kind.LSTM) {
            ctx.defineAll(List.of("h", "c"), List.of(n.output(0), n.output(1)), step.build());
        } else {
            ctx.define(n.output(0), step.build());
        }
    }

    private static Optional<Expr> bias(TranslationContext ctx, Value v) throws TranslationException {
        return ctx.isNone(v) ? Optional.empty() : Optional.of(ctx.tensor(v));
    }
}
