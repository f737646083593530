package org.torch2nnef.extractors;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.torch2nnef.export.NnefEmitter;
import org.torch2nnef.export.TractGate;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.export.spi.DynamicCellParams;
import org.torch2nnef.export.spi.ModuleInfoExtractor;
import org.torch2nnef.export.spi.ModuleInvocation;
import org.torch2nnef.export.spi.QuantizedWeights;
import org.torch2nnef.export.spi.RecurrentSteps;
import org.torch2nnef.export.spi.RecurrentSteps.Kind;
import org.torch2nnef.export.spi.Tiles;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.Value;
import org.torch2nnef.nnef.model.ElementType;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.TensorData;

/**
 * Exports a traced {@code nn.LSTM}, {@code nn.GRU} or {@code nn.RNN} (its one {@code aten::lstm},
 * {@code aten::gru}, {@code aten::rnn_tanh} or {@code aten::rnn_relu} node) layer by layer and
 * direction by direction: the input projection of all time steps in one matrix product, then a
 * {@code tract_core_scan} over the time axis running the cell's step fragment ({@link
 * RecurrentSteps}), so the time axis may stay symbolic and tract can stream it; the batch may be
 * symbolic too (zero initial states are tiled to it). With {@code --nnef-spec-strict} the loop is
 * unrolled into standard NNEF, which needs a concrete length. The output of a bidirectional layer
 * is the concatenation of both directions' outputs; {@code h_n} (and {@code c_n}) stack the last
 * states of every layer and direction, as torch does.
 *
 * <p>A dynamically quantized layer ({@code aten::quantized_lstm}, {@code aten::quantized_gru}: one
 * {@link DynamicCellParams} per layer and direction) is the same loop with its int8 weights
 * dequantized, the layer's input quantized at run time once before the input projection (torch's
 * {@code FullLayer} projects the whole sequence at once on CPU) and {@code h} quantized at every
 * step before the recurrent products (torch's {@code linear_hh}), both by {@link
 * QuantizedWeights#dynamicQuantizer}.
 */
abstract class RecurrentExtractor implements ModuleInfoExtractor {

    /** What the node says about the layer stack. */
    private record Config(
            Kind kind,
            boolean bias,
            int layers,
            boolean bidirectional,
            boolean batchFirst,
            long hidden,
            long stateSize,
            boolean proj) {
        int directions() {
            return bidirectional ? 2 : 1;
        }

        int timeAxis() {
            return batchFirst ? 1 : 0;
        }

        int paramsPerLayer() {
            return 2 + (bias ? 2 : 0) + (proj ? 1 : 0);
        }
    }

    private static final String QUANTIZED = "quantized_";

    private final String moduleClass;
    private final List<String> nodeKinds;

    /**
     * @param moduleClass the torch class, e.g. {@code torch.nn.modules.rnn.LSTM}
     * @param nodeKinds the recurrent op(s) its forward traces into, e.g. {@code aten::lstm}
     */
    RecurrentExtractor(String moduleClass, String... nodeKinds) {
        this.moduleClass = moduleClass;
        this.nodeKinds = List.of(nodeKinds);
    }

    @Override
    public final Set<String> moduleClasses() {
        return Set.of(moduleClass);
    }

    private Node recurrentNode(ModuleInvocation call) throws TranslationException {
        List<Node> found = call.nodes().stream().filter(n -> nodeKinds.contains(n.kind())).toList();
        if (found.size() != 1) {
            throw new TranslationException(
                    "expected one "
                            + String.join(" or ", nodeKinds)
                            + " node in the module's trace, found "
                            + found.size());
        }
        return found.get(0);
    }

    private static Kind kind(Node node) {
        return Kind.valueOf(
                node.kind()
                        .substring("aten::".length())
                        .replace(QUANTIZED, "")
                        .toUpperCase(Locale.ROOT));
    }

    /** {@code aten::quantized_lstm} and {@code quantized_gru}: one CellParamsBase per layer. */
    private static boolean quantized(Node node) {
        return node.kind().startsWith("aten::" + QUANTIZED);
    }

    /**
     * One layer and direction's weights as NNEF values, and the levels of the dynamic quantization
     * of the layer's input and state (0: a float layer).
     */
    private record LayerWeights(
            Expr wIh,
            Expr wHh,
            Optional<Expr> bIh,
            Optional<Expr> bHh,
            Optional<Expr> wHr,
            int levels) {}

    private static LayerWeights floatWeights(NnefEmitter ctx, List<Value> w, Config cfg)
            throws TranslationException {
        int perLayer = cfg.paramsPerLayer();
        return new LayerWeights(
                ctx.tensor(w.get(0)),
                ctx.tensor(w.get(1)),
                cfg.bias() ? Optional.of(ctx.tensor(w.get(2))) : Optional.empty(),
                cfg.bias() ? Optional.of(ctx.tensor(w.get(3))) : Optional.empty(),
                cfg.proj() ? Optional.of(ctx.tensor(w.get(perLayer - 1))) : Optional.empty(),
                0);
    }

    /**
     * A dynamically quantized layer's int8 weights, dequantized, and the float biases of its packed
     * parameters (which torch's {@code linear_ih}/{@code linear_hh} add).
     */
    private static LayerWeights quantizedWeights(ModuleInvocation call, Value cellParams)
            throws TranslationException {
        DynamicCellParams p = DynamicCellParams.of(cellParams);
        NnefEmitter ctx = call.nnef();
        if (p.bIh().isPresent() != p.bHh().isPresent()) {
            throw new TranslationException(
                    "cell parameters " + cellParams.describe() + " have one bias of two");
        }
        Optional<Expr> bIh = Optional.empty();
        Optional<Expr> bHh = Optional.empty();
        if (p.bIh().isPresent()) {
            bIh = Optional.of(QuantizedWeights.floatVariable(ctx, "bias", p.bIh().get()));
            bHh = Optional.of(QuantizedWeights.floatVariable(ctx, "bias", p.bHh().get()));
        }
        return new LayerWeights(
                QuantizedWeights.dequantized(ctx, call.tract(), p.wIh(), 2),
                QuantizedWeights.dequantized(ctx, call.tract(), p.wHh(), 2),
                bIh,
                bHh,
                Optional.empty(),
                p.levels());
    }

    @Override
    public final void extract(ModuleInvocation call) throws TranslationException {
        Node node = recurrentNode(call);
        Kind kind = kind(node);
        NnefEmitter ctx = call.nnef();
        Value input = node.input(0);
        Shape inShape = call.shape(input);
        if (inShape.rank() != 3) {
            throw new TranslationException(
                    "only batched (3-d) inputs are supported, the input is " + inShape);
        }
        List<Value> states =
                kind == Kind.LSTM ? listOf(call, node.input(1)) : List.of(node.input(1));
        List<Value> params = listOf(call, node.input(2));
        if (call.values().boolArg(node.input(6))) {
            throw new TranslationException(
                    "the module is in training mode (train = true); export the model in eval()");
        }
        boolean bidirectional = call.values().boolArg(node.input(7));
        boolean batchFirst = call.values().boolArg(node.input(8));
        int layers = Math.toIntExact(call.values().intArg(node.input(4)));
        boolean bias = call.values().boolArg(node.input(3));
        int dirs = bidirectional ? 2 : 1;
        Shape h0 = call.shape(states.get(0));
        long stateSize = h0.dim(2).constant();
        long hidden = kind == Kind.LSTM ? call.shape(states.get(1)).dim(2).constant() : stateSize;
        boolean quantized = quantized(node);
        int perLayer = params.size() / (layers * dirs);
        boolean proj = !quantized && perLayer == 2 + (bias ? 2 : 0) + 1;
        Config cfg =
                new Config(kind, bias, layers, bidirectional, batchFirst, hidden, stateSize, proj);
        if (perLayer * layers * dirs != params.size()
                || perLayer != (quantized ? 1 : cfg.paramsPerLayer())) {
            throw new TranslationException(
                    params.size()
                            + " weights for "
                            + layers
                            + " layers and "
                            + dirs
                            + " directions do not match "
                            + kind.id());
        }
        Dim batch = inShape.dim(batchFirst ? 0 : 1);
        Dim time = inShape.dim(cfg.timeAxis());
        if (call.tract().isStrict() && !time.isConstant()) {
            throw new TranslationException(
                    "--nnef-spec-strict unrolls the recurrence over time, which needs a concrete"
                            + " time length, but the time axis is symbolic ("
                            + time
                            + "); drop --nnef-spec-strict to loop"
                            + " with tract_core_scan, or export with a fixed length");
        }

        Expr layerInput = call.tensor(input);
        List<List<Expr>> lastStates = new ArrayList<>();
        for (int s = 0; s < kind.states(); s++) {
            lastStates.add(new ArrayList<>());
        }
        for (int l = 0; l < layers; l++) {
            List<Expr> outs = new ArrayList<>();
            // torch quantizes a layer's whole input once per direction, from the same range
            Map<Integer, Expr> quantizedInput = new HashMap<>();
            for (int d = 0; d < dirs; d++) {
                int k = l * dirs + d;
                List<Value> w = params.subList(k * perLayer, (k + 1) * perLayer);
                LayerWeights lw =
                        quantized ? quantizedWeights(call, w.get(0)) : floatWeights(ctx, w, cfg);
                Expr x = layerInput;
                Optional<String> hQuantizer = Optional.empty();
                if (lw.levels() > 0) {
                    x = quantizedInput.get(lw.levels());
                    if (x == null) {
                        x =
                                QuantizedWeights.dynamicallyQuantized(
                                        ctx, call.tract(), layerInput, 3, lw.levels());
                        quantizedInput.put(lw.levels(), x);
                    }
                    hQuantizer =
                            Optional.of(
                                    QuantizedWeights.dynamicQuantizer(
                                            ctx, call.tract(), lw.levels()));
                }
                RecurrentSteps.Projected p =
                        RecurrentSteps.project(
                                ctx, kind, x, 3, lw.wIh(), lw.wHh(), lw.bIh(), lw.bHh(), lw.wHr(),
                                hidden);
                List<Expr> init = new ArrayList<>();
                for (int s = 0; s < kind.states(); s++) {
                    long size = s == 0 ? stateSize : hidden;
                    init.add(initialState(call, states.get(s), k, batch, size));
                }
                Value sequenceOut = l == layers - 1 && dirs == 1 ? node.output(0) : null;
                List<Expr> result =
                        loop(
                                ctx,
                                call.tract(),
                                cfg,
                                p,
                                init,
                                d == 1,
                                time,
                                sequenceOut,
                                hQuantizer);
                for (int s = 0; s < kind.states(); s++) {
                    lastStates.get(s).add(result.get(s));
                }
                outs.add(result.get(kind.states()));
            }
            if (outs.size() == 1) {
                layerInput = outs.get(0);
            } else {
                Invocation both =
                        Invocation.builder("concat").arg(Expr.array(outs)).arg("axis", 2L).build();
                layerInput =
                        l == layers - 1
                                ? ctx.define(node.output(0), both)
                                : ctx.temp("output", both);
            }
        }
        for (int s = 0; s < kind.states(); s++) {
            List<Expr> last = lastStates.get(s);
            if (last.size() == 1) {
                ctx.define(node.output(1 + s), unsqueeze(last.get(0), 0));
                continue;
            }
            List<Expr> stacked = new ArrayList<>();
            for (Expr e : last) {
                stacked.add(ctx.temp("state", unsqueeze(e, 0)));
            }
            Expr all =
                    ctx.define(
                            node.output(1 + s),
                            Invocation.builder("concat")
                                    .arg(Expr.array(stacked))
                                    .arg("axis", 0L)
                                    .build());
            // h_n[-1] and the like then read the layer's state, not the stack
            ctx.concatenated(
                    all,
                    new NnefEmitter.Concatenation(
                            0, stacked, Collections.nCopies(stacked.size(), Dim.of(1))));
        }
        bindCallOutputs(call);
    }

    /**
     * The call's outputs are the node's outputs or computed from them inside the call (an unbatched
     * input's outputs squeezed back): those ops are translated op by op.
     */
    private static void bindCallOutputs(ModuleInvocation call) throws TranslationException {
        for (Value out : call.outputs()) {
            call.ensure(out);
        }
    }

    /**
     * The elements of a list argument (translating none of them: zero states are never computed).
     */
    private static List<Value> listOf(ModuleInvocation call, Value list)
            throws TranslationException {
        Optional<Node> p = list.producer();
        if (p.isPresent() && p.get().kind().equals("prim::ListConstruct")) {
            return p.get().inputs();
        }
        return call.values().listElements(list);
    }

    private static Invocation unsqueeze(Expr x, int axis) {
        return Invocation.builder("unsqueeze").arg(x).arg("axes", Expr.ints(axis)).build();
    }

    /**
     * Layer k's slice of a given {@code [layers*dirs, batch, size]} state, or zeros when torch made
     * them: a {@code [1, size]} zero row tiled to the batch, which may be symbolic (tract reads a
     * symbol in {@code repeats}; a literal batch keeps it standard NNEF).
     */
    private static Expr initialState(
            ModuleInvocation call, Value state, int k, Dim batch, long size)
            throws TranslationException {
        NnefEmitter ctx = call.nnef();
        boolean zeros =
                state.producer().map(p -> p.kind().equals("aten::zeros")).orElse(false)
                        && !ctx.isDefined(state);
        if (zeros) {
            Expr row =
                    ctx.derived(
                            List.of("zero_state", size),
                            () ->
                                    ctx.variable(
                                            "zero_state",
                                            ElementType.SCALAR,
                                            TensorData.ofFloats(
                                                    new long[] {1, size},
                                                    new float[Math.toIntExact(size)])));
            if (batch.isConstant() && batch.constant() == 1) {
                return row;
            }
            return ctx.derived(
                    List.of("zero_state", batch, size),
                    () ->
                            ctx.temp(
                                    "zero_state",
                                    Tiles.tile(
                                            ctx,
                                            call.tract(),
                                            row,
                                            List.of(Dim.of(1), Dim.of(size)),
                                            List.of(batch, Dim.of(1)))));
        }
        Expr all = call.tensor(state);
        return ctx.temp(
                "initial_state",
                Invocation.builder("squeeze")
                        .arg(ctx.temp("initial_state", RecurrentSteps.slice(all, 0, k, k + 1)))
                        .arg("axes", Expr.ints(0))
                        .build());
    }

    /**
     * @return the last states, then the output sequence
     */
    private static List<Expr> loop(
            NnefEmitter ctx,
            TractGate tract,
            Config cfg,
            RecurrentSteps.Projected p,
            List<Expr> init,
            boolean reverse,
            Dim time,
            Value sequenceOut,
            Optional<String> hQuantizer)
            throws TranslationException {
        if (tract.isStrict()) {
            return unroll(ctx, cfg, p, init, reverse, time.constant(), sequenceOut, hQuantizer);
        }
        String body =
                RecurrentSteps.scanBody(ctx, cfg.kind(), cfg.proj(), cfg.timeAxis(), hQuantizer);
        List<String> names = RecurrentSteps.scanParams(cfg.kind(), cfg.proj());
        List<String> stateNames = RecurrentSteps.stateNames(cfg.kind());
        int step = reverse ? -1 : 1;
        List<Expr> scan = new ArrayList<>();
        List<Expr> full = new ArrayList<>();
        List<Expr> state = new ArrayList<>();
        List<Expr> output = new ArrayList<>();
        List<Expr> gateInputs = p.gates(ctx);
        int gates = gateInputs.size();
        for (int i = 0; i < gates; i++) {
            scan.add(
                    Expr.tuple(
                            Expr.str(names.get(i)),
                            gateInputs.get(i),
                            Expr.of((long) cfg.timeAxis()),
                            Expr.of((long) step)));
        }
        for (int s = 0; s < stateNames.size(); s++) {
            state.add(
                    Expr.tuple(
                            Expr.str(stateNames.get(s)),
                            init.get(s),
                            Expr.str(stateNames.get(s) + "_next")));
            output.add(
                    Expr.tuple(
                            Expr.str(stateNames.get(s) + "_next"),
                            Expr.str("last"),
                            Expr.of(0L),
                            Expr.of(1L)));
        }
        for (int i = 0; i < p.recurrent().size(); i++) {
            full.add(
                    Expr.tuple(
                            Expr.str(names.get(gates + stateNames.size() + i)),
                            p.recurrent().get(i)));
        }
        output.add(
                Expr.tuple(
                        Expr.str("y"),
                        Expr.str("full"),
                        Expr.of((long) cfg.timeAxis()),
                        Expr.of((long) step)));
        Invocation inv =
                Invocation.builder(tract.tractOp("tract_core_scan"))
                        .arg("body", body)
                        .arg("scan", Expr.array(scan))
                        .arg("full", Expr.array(full))
                        .arg("state", Expr.array(state))
                        .arg("output", Expr.array(output))
                        .build();
        List<String> roles = new ArrayList<>(stateNames.stream().map(s -> s + "_last").toList());
        roles.add("sequence");
        List<Value> outputs = new ArrayList<>(Collections.nCopies(stateNames.size(), (Value) null));
        outputs.add(sequenceOut);
        return ctx.defineAll(roles, outputs, inv);
    }

    /**
     * Standard NNEF: one step fragment call per time step, outputs concatenated in time order. Each
     * step slices its time step off the whole projection, then its gates: slicing every gate over
     * time instead leaves, with a zero initial {@code c}, the forget gate's step-0 slice dead after
     * tract folds {@code f·0}, and tract's PushSliceUp pass fails on slices of a tensor that all
     * start after 0 (0.21.17 and 0.22.3: {@code boundaries[0] == 0} in core/src/optim/slice.rs).
     */
    private static List<Expr> unroll(
            NnefEmitter ctx,
            Config cfg,
            RecurrentSteps.Projected p,
            List<Expr> init,
            boolean reverse,
            long length,
            Value sequenceOut,
            Optional<String> hQuantizer) {
        String step = RecurrentSteps.step(ctx, cfg.kind(), cfg.proj(), hQuantizer);
        int ta = cfg.timeAxis();
        List<Expr> states = new ArrayList<>(init);
        Expr[] ys = new Expr[Math.toIntExact(length)];
        for (int n = 0; n < length; n++) {
            long t = reverse ? length - 1 - n : n;
            Invocation.Builder call = Invocation.builder(step);
            Expr x =
                    ctx.temp(
                            "x_t" + t,
                            Invocation.builder("squeeze")
                                    .arg(RecurrentSteps.slice(p.projection(), ta, t, t + 1))
                                    .arg("axes", Expr.ints(ta))
                                    .build());
            p.gates(ctx, x, p.rank() - 1).forEach(call::arg);
            states.forEach(call::arg);
            p.recurrent().forEach(call::arg);
            List<String> roles =
                    RecurrentSteps.stateNames(cfg.kind()).stream().map(s -> s + "_t" + t).toList();
            states =
                    roles.size() == 1
                            ? List.of(ctx.temp(roles.get(0), call.build()))
                            : ctx.temps(roles, call.build());
            ys[(int) t] = ctx.temp("y_t" + t, unsqueeze(states.get(0), ta));
        }
        List<Expr> out = new ArrayList<>(states);
        Invocation sequence =
                Invocation.builder("concat")
                        .arg(Expr.array(List.of(ys)))
                        .arg("axis", (long) ta)
                        .build();
        out.add(
                sequenceOut != null
                        ? ctx.define(sequenceOut, sequence)
                        : ctx.temp("sequence", sequence));
        return out;
    }
}
