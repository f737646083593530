package org.torch2nnef.check.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.torch2nnef.check.torch.OwnedArrays;
import org.torch2nnef.nnef.model.Assignment;
import org.torch2nnef.nnef.model.Fragment;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.NnefModel;
import org.torch2nnef.nnef.model.Quantization;
import org.torch2nnef.nnef.model.TensorData;

/**
 * Everything one run of a model sees: its manager (owning all intermediate tensors), the model, the
 * op registry, the graph inputs and the symbol values bound from their shapes.
 */
final class RunState {
    private final NDManager manager;
    private final NnefModel model;
    private final OpRegistry registry;
    private final Map<String, Fragment> fragments;
    private final Map<String, NDArray> inputs;
    private final Map<String, Long> symbols = new HashMap<>();
    private final Liveness liveness;
    private final Map<String, Integer> lines;
    private final Dialect dialect;

    RunState(
            NDManager manager,
            NnefModel model,
            OpRegistry registry,
            Map<String, Fragment> fragments,
            Map<String, NDArray> inputs,
            Liveness liveness,
            Map<String, Integer> lines) {
        this.manager = manager;
        this.lines = lines;
        this.liveness = liveness;
        this.model = model;
        this.dialect = Dialect.of(model);
        this.registry = registry;
        this.fragments = fragments;
        this.inputs = inputs;
    }

    NDManager manager() {
        return manager;
    }

    NnefModel model() {
        return model;
    }

    /** Whose semantics the model is read with. */
    Dialect dialect() {
        return dialect;
    }

    OpRegistry registry() {
        return registry;
    }

    /** The model's fragment called {@code name}, or null. */
    Fragment fragment(String name) {
        return fragments.get(name);
    }

    /** The given input for the external defining {@code name}. */
    NDArray input(String name) {
        NDArray a = inputs.get(name);
        if (a == null) {
            throw new NnefExecutionException(
                    "no input given for external '"
                            + name
                            + "' (inputs given: "
                            + String.join(", ", inputs.keySet())
                            + ")");
        }
        return a;
    }

    /** The graph.nnef line assigning graph tensor {@code name}, or null when unknown. */
    Integer line(String name) {
        return lines.get(name);
    }

    /** The value bound to symbol {@code name}, or null. */
    Long symbol(String name) {
        return symbols.get(name);
    }

    /** Binds symbol {@code name} (first binding wins; later ones are checked by the externals). */
    void bindSymbol(String name, long value) {
        symbols.putIfAbsent(name, value);
    }

    /**
     * The {@code .dat} content labelled {@code label} (also tried without a leading '/', as tract
     * does).
     */
    TensorData tensorData(String label) {
        TensorData d = model.tensors().get(label);
        if (d == null && label.startsWith("/")) {
            d = model.tensors().get(label.substring(1));
        }
        return d;
    }

    /** The graph.quant entry of tensor {@code name}, or null. */
    Quantization quantization(String name) {
        return model.quantization().get(name);
    }

    /**
     * Frees every tensor of the run that no live graph tensor refers to once assignment {@code
     * index} is done: dead names leave the scope, then everything else the manager holds (op
     * temporaries included) is closed. Views keep their storage alive in the engine, as every
     * tensor made from Java data owns its memory ({@link OwnedArrays}).
     */
    void release(Map<String, Value> scope, int index) {
        scope.keySet().removeIf(name -> liveness.deadAfter(name, index));
        Set<Object> live = Collections.newSetFromMap(new IdentityHashMap<>());
        scope.values().forEach(v -> Liveness.tensorsOf(v, live));
        inputs.values().forEach(live::add);
        for (NDArray a : manager.getManagedArrays()) {
            if (!live.contains(a)) {
                a.close();
            }
        }
    }

    /**
     * Applies graph.quant to tensors computed by a graph assignment: tract computes such tensors in
     * the quantized type, so their values are rounded to the quantization grid here too. Variables
     * are dequantized when loaded and left alone.
     */
    void afterGraphAssignment(Assignment a, List<String> names, Map<String, Value> scope) {
        if (model.quantization().isEmpty()
                || a.rvalue() instanceof Invocation inv && inv.name().equals("variable")) {
            return;
        }
        for (String name : names) {
            Quantization q = quantization(name);
            if (q != null && scope.get(name) instanceof Value.Tensor t) {
                scope.put(name, new Value.Tensor(Quantizer.apply(t.array(), q, name)));
            }
        }
    }
}
