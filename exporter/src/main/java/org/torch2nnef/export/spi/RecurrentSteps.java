package org.torch2nnef.export.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.torch2nnef.export.FragmentText;
import org.torch2nnef.export.NnefEmitter;
import org.torch2nnef.nnef.model.ElementType;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.TensorData;

/**
 * The time step of torch's recurrent cells as standard NNEF fragments, shared by the cell ops
 * ({@code aten::lstm_cell}, ...) and the whole-layer extractors (which loop them with {@code
 * tract_core_scan} or unroll them).
 *
 * <p>The input projection {@code x·W_ihᵀ + b} of every gate is computed outside the step (for a
 * sequence: once for all time steps, one matrix product), split into one tensor per gate; the step
 * fragment takes those gate inputs ({@code [batch, hidden]}), the states and the per-gate recurrent
 * weights, and returns the next states. Gate order and formulas are torch's (torch.nn.LSTM, GRU,
 * RNN documentation): LSTM {@code i, f, g, o}; GRU {@code r, z, n} with {@code b_hn} inside {@code
 * r·(…)}.
 */
public final class RecurrentSteps {
    private RecurrentSteps() {}

    /** A recurrent cell kind. */
    public enum Kind {
        /** {@code nn.LSTM}: gates i, f, g, o; states h, c */
        LSTM("lstm", List.of("i", "f", "g", "o"), List.of("h", "c")),
        /** {@code nn.GRU}: gates r, z, n; state h */
        GRU("gru", List.of("r", "z", "n"), List.of("h")),
        /** {@code nn.RNN(nonlinearity='tanh')} */
        RNN_TANH("rnn_tanh", List.of("x"), List.of("h")),
        /** {@code nn.RNN(nonlinearity='relu')} */
        RNN_RELU("rnn_relu", List.of("x"), List.of("h"));

        private final String id;
        private final List<String> gates;
        private final List<String> states;

        Kind(String id, List<String> gates, List<String> states) {
            this.id = id;
            this.gates = gates;
            this.states = states;
        }

        /**
         * @return the gate count (rows of {@code W_ih} are {@code gates * hidden})
         */
        public int gates() {
            return gates.size();
        }

        /**
         * @return the state count (2 for LSTM: h and c)
         */
        public int states() {
            return states.size();
        }

        /**
         * @return e.g. {@code lstm}, as in {@code aten::lstm}
         */
        public String id() {
            return id;
        }
    }

    /**
     * The input projection and recurrent weights of one layer (or cell), ready for {@link #step} or
     * a scan.
     *
     * @param kind the cell kind
     * @param hidden the hidden size
     * @param projection {@code x·W_ihᵀ} plus the biases that can be added outside, {@code [...,
     *     gates*hidden]}
     * @param rank the rank of {@code projection}
     * @param recurrent one {@code [hidden, state]} slice of {@code W_hh} per gate, then {@code
     *     b_hn} ({@code [1, hidden]}) for GRU, then {@code W_hr} for an LSTM with projection
     */
    public record Projected(
            Kind kind, long hidden, Expr projection, int rank, List<Expr> recurrent) {
        /**
         * @param ctx the translation
         * @return one tensor per gate: the projection split on its last axis
         */
        public List<Expr> gates(NnefEmitter ctx) {
            return gates(ctx, projection, rank);
        }

        /**
         * @param ctx the translation
         * @param x the projection or a part of it (e.g. one time step)
         * @param r the rank of {@code x}
         * @return one tensor per gate: {@code x} split on its last axis
         */
        public List<Expr> gates(NnefEmitter ctx, Expr x, int r) {
            if (kind.gates() == 1) {
                return List.of(x);
            }
            List<Expr> gates = new ArrayList<>();
            for (int g = 0; g < kind.gates(); g++) {
                gates.add(
                        ctx.temp(
                                "gate_" + kind.gates.get(g),
                                slice(x, r - 1, g * hidden, (g + 1) * hidden)));
            }
            return gates;
        }
    }

    /**
     * Emits the input projection of an input of rank 2 ({@code [batch, input]}, a cell) or more
     * ({@code [time, batch, input]}, a layer); {@link Projected#gates} splits it per gate.
     *
     * <p>A sequence is projected as it is, by a matmul whose weight gets leading unit axes to
     * broadcast over time and batch, never flattened to rows and reshaped back: that reshape would
     * need the batch size (which may be symbolic), and tract 0.21.x fails to declutter it (its
     * ChangeAxes pass pushes the reshape into the scan body, where the scanned axis has size 1).
     *
     * @param ctx the translation
     * @param kind the cell kind
     * @param x {@code [..., input]}
     * @param rank the rank of {@code x}, 2 or more
     * @param wIh {@code [gates*hidden, input]}
     * @param wHh {@code [gates*hidden, state]}
     * @param bIh {@code [gates*hidden]}, if the cell has biases
     * @param bHh {@code [gates*hidden]}, if the cell has biases
     * @param wHr {@code [proj, hidden]} of an LSTM with {@code proj_size}
     * @param hidden the hidden size
     * @return the projection ({@code [..., gates*hidden]}) and the recurrent weights
     */
    public static Projected project(
            NnefEmitter ctx,
            Kind kind,
            Expr x,
            int rank,
            Expr wIh,
            Expr wHh,
            Optional<Expr> bIh,
            Optional<Expr> bHh,
            Optional<Expr> wHr,
            long hidden) {
        Expr w = toRank(ctx, wIh, 2, rank);
        Expr p =
                ctx.temp(
                        "input_projection",
                        Invocation.builder("matmul").arg(x).arg(w).arg("transposeB", true).build());
        long gh = kind.gates() * hidden;
        Optional<Expr> bnHh = Optional.empty();
        if (bIh.isPresent()) {
            Expr bias = bIh.get();
            Expr hh = bHh.orElseThrow();
            if (kind == Kind.GRU) {
                // b_hn stays inside r·(W_hn·h + b_hn); b_hr, b_hz add to the input side
                bnHh = Optional.of(ctx.temp("b_hn", unsqueeze0(slice(hh, 0, 2 * hidden, gh))));
                hh =
                        ctx.temp(
                                "b_hrz",
                                Invocation.builder("pad")
                                        .arg(slice(hh, 0, 0, 2 * hidden))
                                        .arg(
                                                "padding",
                                                Expr.array(
                                                        Expr.tuple(Expr.of(0L), Expr.of(hidden))))
                                        .build());
            }
            bias = ctx.temp("bias", Invocation.of("add", bias, hh));
            p =
                    ctx.temp(
                            "input_projection_biased",
                            Invocation.of("add", p, toRank(ctx, bias, 1, rank)));
        }
        List<Expr> recurrent = new ArrayList<>();
        for (int g = 0; g < kind.gates(); g++) {
            recurrent.add(
                    kind.gates() == 1
                            ? wHh
                            : ctx.temp(
                                    "w_h" + kind.gates.get(g),
                                    slice(wHh, 0, g * hidden, (g + 1) * hidden)));
        }
        if (kind == Kind.GRU) {
            recurrent.add(
                    bnHh.isPresent()
                            ? bnHh.get()
                            : ctx.variable(
                                    "b_hn_zero",
                                    ElementType.SCALAR,
                                    TensorData.ofFloats(
                                            new long[] {1, hidden},
                                            new float[Math.toIntExact(hidden)])));
        }
        wHr.ifPresent(recurrent::add);
        return new Projected(kind, hidden, p, rank, recurrent);
    }

    /**
     * @param ctx the translation, where the fragment is registered
     * @param kind the cell kind
     * @param proj whether an LSTM has {@code proj_size}
     * @return the name of the step fragment: {@code (gate inputs..., states..., recurrent...) ->
     *     (next states...)}
     */
    public static String step(NnefEmitter ctx, Kind kind, boolean proj) {
        return step(ctx, kind, proj, Optional.empty());
    }

    /**
     * The step of a cell whose hidden-to-hidden product reads {@code h} quantized at every step, as
     * a dynamically quantized layer's does ({@code aten::quantized_lstm}: torch quantizes {@code h}
     * from its own range over the whole batch before each product with the int8 {@code W_hh}).
     *
     * @param ctx the translation, where the fragment is registered
     * @param kind the cell kind
     * @param proj whether an LSTM has {@code proj_size}
     * @param hQuantizer a fragment {@code (x, axes) -> dequantized x} applied to {@code h} before
     *     the recurrent products, or empty for float
     * @return the name of the step fragment: {@code (gate inputs..., states..., recurrent...) ->
     *     (next states...)}
     */
    public static String step(
            NnefEmitter ctx, Kind kind, boolean proj, Optional<String> hQuantizer) {
        String name =
                "t2n_"
                        + kind.id
                        + (proj ? "p" : "")
                        + hQuantizer.map(q -> "_" + q.replace("t2n_", "")).orElse("")
                        + "_step";
        List<String> params = scanParams(kind, proj);
        String body =
                switch (kind) {
                    case LSTM ->
                            """
                    i = sigmoid(add(xi, matmul(h, wi, transposeB = true)));
                    f = sigmoid(add(xf, matmul(h, wf, transposeB = true)));
                    g = tanh(add(xg, matmul(h, wg, transposeB = true)));
                    o = sigmoid(add(xo, matmul(h, wo, transposeB = true)));
                    c_next = add(mul(f, c), mul(i, g));
                    """
                                    + (proj
                                            ? "h_next = matmul(mul(o, tanh(c_next)), wr, transposeB = true);\n"
                                            : "h_next = mul(o, tanh(c_next));\n");
                    case GRU ->
                            """
                    r = sigmoid(add(xr, matmul(h, wr, transposeB = true)));
                    z = sigmoid(add(xz, matmul(h, wz, transposeB = true)));
                    n = tanh(add(xn, mul(r, add(matmul(h, wn, transposeB = true), bn))));
                    h_next = add(mul(sub(1.0, z), n), mul(z, h));
                    """;
                    case RNN_TANH -> "h_next = tanh(add(xx, matmul(h, wx, transposeB = true)));\n";
                    case RNN_RELU -> "h_next = relu(add(xx, matmul(h, wx, transposeB = true)));\n";
                };
        if (hQuantizer.isPresent()) {
            // the recurrent products read h's codes; the cell's update reads h itself
            body =
                    "hq = "
                            + hQuantizer.get()
                            + "(h, axes = [0, 1]);\n"
                            + body.replace("matmul(h, ", "matmul(hq, ");
        }
        ctx.fragment(
                FragmentText.parse(
                        "fragment "
                                + name
                                + "("
                                + tensors(params)
                                + ") -> ("
                                + tensors(kind.states.stream().map(s -> s + "_next").toList())
                                + ")\n{\n"
                                + body
                                + "}"));
        return name;
    }

    /**
     * The body of a {@code tract_core_scan} over a time axis: squeezes the time axis off the
     * scanned gate inputs, runs the {@link #step} and returns the next states and the output of the
     * step (the time axis put back).
     *
     * @param ctx the translation
     * @param kind the cell kind
     * @param proj whether an LSTM has {@code proj_size}
     * @param timeAxis the time axis of the gate inputs (0, or 1 for batch-first)
     * @return the body fragment's name; parameters: {@code x<gate>...}, states, {@code w<gate>...}
     *     (then {@code bn}, {@code wr}); results: {@code <state>_next...}, {@code y}
     */
    public static String scanBody(NnefEmitter ctx, Kind kind, boolean proj, int timeAxis) {
        return scanBody(ctx, kind, proj, timeAxis, Optional.empty());
    }

    /**
     * {@link #scanBody(NnefEmitter, Kind, boolean, int)} of the step that quantizes {@code h}
     * ({@link #step(NnefEmitter, Kind, boolean, Optional)}).
     *
     * @param ctx the translation
     * @param kind the cell kind
     * @param proj whether an LSTM has {@code proj_size}
     * @param timeAxis the time axis of the gate inputs (0, or 1 for batch-first)
     * @param hQuantizer the fragment quantizing {@code h}, or empty for float
     * @return the body fragment's name
     */
    public static String scanBody(
            NnefEmitter ctx, Kind kind, boolean proj, int timeAxis, Optional<String> hQuantizer) {
        String step = step(ctx, kind, proj, hQuantizer);
        String name = step + "_scan_t" + timeAxis;
        List<String> params = scanParams(kind, proj);
        List<String> args = new ArrayList<>();
        for (String p : params) {
            boolean scanned = p.startsWith("x");
            args.add(scanned ? "squeeze(" + p + ", axes = [" + timeAxis + "])" : p);
        }
        List<String> next = kind.states.stream().map(s -> s + "_next").toList();
        String results = next.size() == 1 ? next.get(0) : "(" + String.join(", ", next) + ")";
        ctx.fragment(
                FragmentText.parse(
                        "fragment "
                                + name
                                + "("
                                + tensors(params)
                                + ") -> ("
                                + tensors(next)
                                + ", y: tensor<scalar>)\n{\n"
                                + results
                                + " = "
                                + step
                                + "("
                                + String.join(", ", args)
                                + ");\ny = unsqueeze(h_next, axes = ["
                                + timeAxis
                                + "]);\n}"));
        return name;
    }

    /**
     * @param kind the cell kind
     * @param proj whether an LSTM has {@code proj_size}
     * @return the parameter names of {@link #step} and {@link #scanBody}, in order
     */
    public static List<String> scanParams(Kind kind, boolean proj) {
        List<String> params = new ArrayList<>();
        kind.gates.forEach(g -> params.add("x" + g));
        params.addAll(kind.states);
        kind.gates.forEach(g -> params.add("w" + g));
        if (kind == Kind.GRU) {
            params.add("bn");
        }
        if (proj) {
            params.add("wr");
        }
        return params;
    }

    /**
     * @return the state parameter names, e.g. {@code h, c}
     */
    public static List<String> stateNames(Kind kind) {
        return kind.states;
    }

    /** {@code slice(x, axes = [axis], begin = [begin], end = [end])} */
    public static Invocation slice(Expr x, int axis, long begin, long end) {
        return Invocation.builder("slice")
                .arg(x)
                .arg("axes", Expr.ints(axis))
                .arg("begin", Expr.ints(begin))
                .arg("end", Expr.ints(end))
                .build();
    }

    /** {@code e} of rank {@code rank} with leading unit axes up to {@code target}. */
    private static Expr toRank(NnefEmitter ctx, Expr e, int rank, int target) {
        if (rank >= target) {
            return e;
        }
        List<Expr> axes = new ArrayList<>();
        for (int a = 0; a < target - rank; a++) {
            axes.add(Expr.of((long) a));
        }
        return ctx.temp(
                "unsqueezed",
                Invocation.builder("unsqueeze").arg(e).arg("axes", Expr.array(axes)).build());
    }

    private static Invocation unsqueeze0(Expr x) {
        return Invocation.builder("unsqueeze").arg(x).arg("axes", Expr.ints(0)).build();
    }

    private static String tensors(List<String> names) {
        return String.join(", ", names.stream().map(n -> n + ": tensor<scalar>").toList());
    }
}
