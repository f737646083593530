package org.torch2nnef.check.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.torch2nnef.nnef.io.NnefArchiveReader;
import org.torch2nnef.nnef.io.NnefParseException;
import org.torch2nnef.nnef.io.NnefParser;
import org.torch2nnef.nnef.model.Assignment;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Extension;
import org.torch2nnef.nnef.model.Fragment;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.NnefModel;

/**
 * The built-in NNEF reference interpreter: executes an NNEF model read back from its files
 * (directory, {@code .nnef.tar} or {@code .nnef.tgz}) with DJL tensor operations, following the
 * NNEF 1.0 specification and tract's semantics for its {@code tract_core_*} operators.
 *
 * <pre>{@code
 * NnefInterpreter model = NnefInterpreter.load(Path.of("model.nnef.tgz"));
 * try (NDManager m = NDManager.newBaseManager()) {
 *     Map<String, NDArray> out = model.run(Map.of("input", m.randomNormal(new Shape(1, 3, 8))), m);
 * }
 * }</pre>
 *
 * <p>Symbolic dimensions ({@code extension tract_symbol S;} with {@code external(shape = [1, S])})
 * are bound from the given input shapes (also when only a linear expression like {@code 2 * S + 1}
 * names them), and {@code extension tract_assert} conditions are checked. Variables are streamed
 * from their {@code .dat} into engine memory on each run and freed with the run's other tensors
 * once no later step reads them (a model read from a directory keeps no weights in the Java heap;
 * {@link NnefArchiveReader} holds an archive's tensors in memory, so extract very large archives
 * first). An operation that cannot be executed raises an {@link UnsupportedOpException} naming the
 * op, the assignment (with its graph.nnef line when the model was {@linkplain #load loaded from
 * files}) and its output tensor; any other failure is an {@link NnefExecutionException} with the
 * same context.
 *
 * <p>Instances are immutable and may run concurrently.
 */
public final class NnefInterpreter {
    private static final OpRegistry REGISTRY = OpRegistry.standard();

    private final NnefModel model;
    private final String source;
    private final Map<String, Fragment> fragments = new HashMap<>();
    private final Liveness liveness;
    private final Map<String, Integer> lines;

    private NnefInterpreter(NnefModel model, String source, Map<String, Integer> lines) {
        this.lines = lines;
        this.model = Objects.requireNonNull(model, "model");
        this.source = Objects.requireNonNull(source, "source");
        for (Fragment f : model.fragments()) {
            fragments.put(f.name(), f);
        }
        this.liveness = new Liveness(model.graph());
    }

    /**
     * Reads the model at {@code path} (directory, tar or tgz) with {@link NnefArchiveReader};
     * errors then also give graph.nnef line numbers.
     */
    public static NnefInterpreter load(Path path) throws IOException {
        return new NnefInterpreter(
                NnefArchiveReader.read(path), path.toString(), GraphLines.of(path));
    }

    /** Wraps a model already in memory; {@code source} names it in errors. */
    public static NnefInterpreter of(NnefModel model, String source) {
        return new NnefInterpreter(model, source, Map.of());
    }

    /** The model being interpreted. */
    public NnefModel model() {
        return model;
    }

    /** Graph input names, in graph order. */
    public List<String> inputNames() {
        return model.graph().inputs();
    }

    /** Graph output names, in graph order. */
    public List<String> outputNames() {
        return model.graph().outputs();
    }

    /**
     * Names of every operation the interpreter executes natively (fragments with bodies come on
     * top).
     */
    public static List<String> supportedOps() {
        return REGISTRY.names();
    }

    /**
     * Runs the graph on {@code inputs} (by graph input name; every input must be given, nothing
     * else). Intermediate tensors live in a sub-manager closed before returning; the outputs, keyed
     * by output name in graph order, are attached to {@code manager}.
     *
     * @throws NnefExecutionException when an input is missing or mis-shaped, or an op fails
     * @throws UnsupportedOpException when the model uses an op the interpreter cannot execute
     */
    public Map<String, NDArray> run(Map<String, NDArray> inputs, NDManager manager) {
        Dialect.checkExtensions(model);
        checkInputNames(inputs);
        Map<String, NDArray> result = new LinkedHashMap<>();
        try (NDManager sub = manager.newSubManager()) {
            Map<String, NDArray> own = new HashMap<>();
            for (Map.Entry<String, NDArray> e : inputs.entrySet()) {
                NDArray copy = e.getValue().duplicate();
                copy.attach(sub);
                own.put(e.getKey(), copy);
            }
            RunState state = new RunState(sub, model, REGISTRY, fragments, own, liveness, lines);
            bindSymbols(state, own);
            Evaluator evaluator = new Evaluator(state);
            checkAssertions(state, evaluator);
            Map<String, Value> scope = new HashMap<>();
            evaluator.execute(
                    model.graph().body(),
                    scope,
                    source + ": graph '" + model.graph().name() + "'",
                    true);
            for (String name : outputNames()) {
                Value v = scope.get(name);
                if (v == null) {
                    throw new NnefExecutionException(
                            source + ": graph output '" + name + "' is never assigned");
                }
                NDArray out = evaluator.asTensor(v, "output '" + name + "'").duplicate();
                out.attach(manager);
                out.setName(name);
                result.put(name, out);
            }
        } catch (RuntimeException e) {
            result.values().forEach(NDArray::close);
            throw e;
        }
        return result;
    }

    /**
     * Runs the graph on {@code inputs} given in graph input order; outputs come in graph output
     * order.
     */
    public NDList run(NDList inputs, NDManager manager) {
        if (inputs.size() != inputNames().size()) {
            throw new NnefExecutionException(
                    source
                            + ": graph takes "
                            + inputNames().size()
                            + " inputs "
                            + inputNames()
                            + ", got "
                            + inputs.size());
        }
        Map<String, NDArray> byName = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            byName.put(inputNames().get(i), inputs.get(i));
        }
        return new NDList(run(byName, manager).values());
    }

    private void checkInputNames(Map<String, NDArray> inputs) {
        TreeSet<String> missing = new TreeSet<>(inputNames());
        missing.removeAll(inputs.keySet());
        TreeSet<String> unknown = new TreeSet<>(inputs.keySet());
        inputNames().forEach(unknown::remove);
        if (!missing.isEmpty() || !unknown.isEmpty()) {
            throw new NnefExecutionException(
                    source
                            + ": graph inputs are "
                            + inputNames()
                            + (missing.isEmpty() ? "" : "; missing " + missing)
                            + (unknown.isEmpty() ? "" : "; not graph inputs " + unknown));
        }
    }

    /**
     * Checks each {@code extension tract_assert condition;} whose symbols the inputs bound, as
     * tract does when it resolves symbols; a false condition is an input error.
     */
    private void checkAssertions(RunState state, Evaluator evaluator) {
        for (Extension ext : model.extensions()) {
            if (!ext.name().equals("tract_assert")) {
                continue;
            }
            Expr condition;
            try {
                condition = NnefParser.parseExpr(ext.argument());
            } catch (NnefParseException e) {
                throw new NnefExecutionException(
                        source
                                + ": cannot read 'extension tract_assert "
                                + ext.argument()
                                + ";': "
                                + e.getMessage(),
                        e);
            }
            boolean[] bound = {true};
            Liveness.identifiers(condition, name -> bound[0] &= state.symbol(name) != null);
            if (bound[0] && !Values.toBoolean(evaluator.eval(condition, Map.of()), ext::argument)) {
                throw new NnefExecutionException(
                        source
                                + ": the inputs violate 'extension tract_assert "
                                + ext.argument()
                                + ";'");
            }
        }
    }

    /**
     * Binds the symbols of the externals' shapes from the given inputs: first every symbol used as
     * a whole dimension ({@code [1, S, 3]}), then symbols that only appear in a linear dimension
     * expression ({@code S * 2 - 1}), solved from the actual size. The externals check every
     * dimension afterwards.
     */
    private void bindSymbols(RunState state, Map<String, NDArray> inputs) {
        List<long[]> actuals = new ArrayList<>();
        List<Expr.ArrayExpr> declared = new ArrayList<>();
        for (Assignment a : model.graph().body()) {
            if (!(a.rvalue() instanceof Invocation inv)
                    || !(inv.name().equals("external")
                            || inv.name().equals("tract_core_external"))) {
                continue;
            }
            String name = a.definedNames().get(0);
            NDArray input = inputs.get(name);
            Expr shape =
                    inv.arg("shape")
                            .orElse(
                                    inv.name().equals("external") && !inv.positional().isEmpty()
                                            ? inv.positional().get(0)
                                            : inv.positional().size() > 1
                                                    ? inv.positional().get(1)
                                                    : null);
            if (input == null || !(shape instanceof Expr.ArrayExpr dims)) {
                continue;
            }
            long[] actual = input.getShape().getShape();
            if (dims.items().size() != actual.length) {
                throw new NnefExecutionException(
                        source
                                + ": input '"
                                + name
                                + "' has rank "
                                + actual.length
                                + " (shape "
                                + input.getShape()
                                + ") but the graph declares rank "
                                + dims.items().size());
            }
            for (int i = 0; i < actual.length; i++) {
                if (dims.items().get(i) instanceof Expr.Id id) {
                    state.bindSymbol(id.name(), actual[i]);
                }
            }
            actuals.add(actual);
            declared.add(dims);
        }
        for (int k = 0; k < declared.size(); k++) {
            List<Expr> dims = declared.get(k).items();
            for (int i = 0; i < dims.size(); i++) {
                solveLinear(state, dims.get(i), actuals.get(k)[i]);
            }
        }
    }

    /** Binds the one unbound symbol of {@code dim} when {@code dim} is linear in it. */
    private static void solveLinear(RunState state, Expr dim, long actual) {
        TreeSet<String> unbound = new TreeSet<>();
        Liveness.identifiers(
                dim,
                name -> {
                    if (state.symbol(name) == null) {
                        unbound.add(name);
                    }
                });
        if (unbound.size() != 1) {
            return;
        }
        String symbol = unbound.first();
        long[] at = new long[3];
        for (int v = 0; v < 3; v++) {
            Map<String, Value> trial = Map.of(symbol, new Value.Int(v));
            Value r = new Evaluator(state).eval(dim, trial);
            if (!(r instanceof Value.Int i)) {
                return;
            }
            at[v] = i.value();
        }
        long slope = at[1] - at[0];
        if (slope == 0 || at[2] - at[1] != slope || (actual - at[0]) % slope != 0) {
            return; // not linear or no integer solution: the external reports the mismatch
        }
        state.bindSymbol(symbol, (actual - at[0]) / slope);
    }
}
