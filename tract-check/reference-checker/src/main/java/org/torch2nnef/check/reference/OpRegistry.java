package org.torch2nnef.check.reference;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.torch2nnef.nnef.io.NnefParseException;
import org.torch2nnef.nnef.io.NnefParser;

/**
 * The operations the reference interpreter executes, by NNEF name. Each op family registers its ops
 * in its own class ({@link ElementwiseOps}, {@link ShapeOps}, …), as tract's NNEF crate does.
 */
final class OpRegistry {
    private final Map<String, OpDef> ops = new TreeMap<>();

    /** The registry of every supported standard NNEF and {@code tract_core_*} operation. */
    static OpRegistry standard() {
        OpRegistry r = new OpRegistry();
        IoOps.register(r);
        ElementwiseOps.register(r);
        ShapeOps.register(r);
        MatmulOps.register(r);
        ConvOps.register(r);
        PoolOps.register(r);
        ResampleOps.register(r);
        ReduceOps.register(r);
        NormalizationOps.register(r);
        TractCoreOps.register(r);
        ScanOp.register(r);
        QuantizeOps.register(r);
        EinsumOp.register(r);
        // tract registers these under both registries
        r.alias("tract_transformers_rms_norm", "tract_core_rms_norm");
        r.alias("tract_transformers_silu", "tract_core_silu");
        r.alias("tract_transformers_gelu_approx", "tract_core_gelu_approx");
        return r;
    }

    /**
     * Registers {@code name}; each parameter is written {@code "name"} or {@code "name = default"}
     * with the default in NNEF syntax (e.g. {@code "padding = []"}, {@code "border = 'constant'"}).
     */
    void add(String name, OpExecutor executor, String... params) {
        List<OpDef.Param> list = new ArrayList<>();
        for (String p : params) {
            int eq = p.indexOf('=');
            if (eq < 0) {
                list.add(new OpDef.Param(p.strip(), Optional.empty()));
            } else {
                String text = p.substring(eq + 1).strip();
                try {
                    list.add(
                            new OpDef.Param(
                                    p.substring(0, eq).strip(),
                                    Optional.of(Evaluator.constant(NnefParser.parseExpr(text)))));
                } catch (NnefParseException e) {
                    throw new IllegalStateException(
                            "bad default of " + name + "(" + p + "): " + e.getMessage(), e);
                }
            }
        }
        if (ops.putIfAbsent(name, new OpDef(name, list, executor)) != null) {
            throw new IllegalStateException("op " + name + " registered twice");
        }
    }

    /** Registers {@code alias} as another name of the registered op {@code name}. */
    void alias(String alias, String name) {
        OpDef def = ops.get(name);
        if (def == null
                || ops.putIfAbsent(alias, new OpDef(alias, def.params(), def.executor())) != null) {
            throw new IllegalStateException("cannot alias " + alias + " to " + name);
        }
    }

    /** The op called {@code name}, or null. */
    OpDef get(String name) {
        return ops.get(name);
    }

    /** Names of all registered ops, sorted. */
    List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(ops.keySet()));
    }
}
