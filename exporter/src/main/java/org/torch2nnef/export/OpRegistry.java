package org.torch2nnef.export;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.torch2nnef.export.ops.ActivationOps;
import org.torch2nnef.export.ops.AttentionOps;
import org.torch2nnef.graph.OpSchemas;
import org.torch2nnef.export.ops.CastOps;
import org.torch2nnef.export.ops.ComparisonOps;
import org.torch2nnef.export.ops.ConvolutionOps;
import org.torch2nnef.export.ops.CreationOps;
import org.torch2nnef.export.ops.ElementwiseOps;
import org.torch2nnef.export.ops.EmbeddingOps;
import org.torch2nnef.export.ops.IndexingOps;
import org.torch2nnef.export.ops.JoinSplitOps;
import org.torch2nnef.export.ops.LinearOps;
import org.torch2nnef.export.ops.NormalizationOps;
import org.torch2nnef.export.ops.PaddingOps;
import org.torch2nnef.export.ops.PoolingOps;
import org.torch2nnef.export.ops.PrimOps;
import org.torch2nnef.export.ops.RecurrentCellOps;
import org.torch2nnef.export.ops.ReductionOps;
import org.torch2nnef.export.ops.ResizeOps;
import org.torch2nnef.export.ops.ShapeOps;

/** Op translators by op kind ({@code aten::relu}, {@code prim::ListConstruct}); one translator per kind. */
public final class OpRegistry {

    /** The families of {@link #standard()}, in registration order. */
    public static final List<OpFamily> STANDARD_FAMILIES = List.of(
            // one family per line: parallel work adds lines without touching others
            new PrimOps(),
            new ShapeOps(),
            new ElementwiseOps(),
            new ActivationOps(),
            new LinearOps(),
            new ConvolutionOps(),
            new PoolingOps(),
            new ReductionOps(),
            new NormalizationOps(),
            new JoinSplitOps(),
            new IndexingOps(),
            new PaddingOps(),
            new EmbeddingOps(),
            new ResizeOps(),
            new CreationOps(),
            new ComparisonOps(),
            new CastOps(),
            new RecurrentCellOps(),
            new AttentionOps());

    private final Map<String, OpTranslator> translators = new TreeMap<>();
    /** Op kinds by the family that registered them, families in registration order. */
    private final Map<String, SortedSet<String>> byFamily = new java.util.LinkedHashMap<>();
    private String registering = "";

    /** @return a registry holding every family of {@link #STANDARD_FAMILIES} */
    public static OpRegistry standard() {
        OpRegistry r = new OpRegistry();
        STANDARD_FAMILIES.forEach(r::add);
        return r;
    }

    /**
     * @param family a family whose ops to register
     * @return this registry
     */
    public OpRegistry add(OpFamily family) {
        String outer = registering;
        registering = family.getClass().getSimpleName();
        try {
            family.register(this);
        } finally {
            registering = outer;
        }
        return this;
    }

    /**
     * @param kind       the op, e.g. {@code aten::relu}
     * @param translator its translator
     * @return this registry
     * @throws IllegalStateException if the kind already has a translator
     */
    public OpRegistry register(String kind, OpTranslator translator) {
        Objects.requireNonNull(translator, "translator");
        if (!kind.contains("::")) {
            throw new IllegalArgumentException("op kind '" + kind + "' must be namespaced, e.g. aten::relu");
        }
        if (translators.putIfAbsent(kind, translator) != null) {
            throw new IllegalStateException("op " + kind + " is registered twice");
        }
        byFamily.computeIfAbsent(registering, f -> new TreeSet<>()).add(kind);
        return this;
    }

    /**
     * @param translator the translator shared by the kinds
     * @param kinds      ops translated the same way
     * @return this registry
     */
    public OpRegistry register(OpTranslator translator, String... kinds) {
        for (String k : kinds) {
            register(k, translator);
        }
        return this;
    }

    /**
     * @param kind an op kind
     * @return its translator, if registered; an in-place variant such as {@code aten::relu_} falls
     *     back to its base op's translator, since the graph builder already rebinds the written
     *     variable to the op's result (the graph is functional)
     */
    public Optional<OpTranslator> find(String kind) {
        OpTranslator own = translators.get(kind);
        if (own != null || !OpSchemas.isInPlace(kind)) {
            return Optional.ofNullable(own);
        }
        return Optional.ofNullable(translators.get(kind.substring(0, kind.length() - 1)));
    }

    /**
     * @return every registered op kind, sorted, by the family that registered it (the simple name of
     *     its class, e.g. {@code ElementwiseOps}; {@code ""} for kinds registered outside a family),
     *     families in registration order
     */
    public Map<String, SortedSet<String>> kindsByFamily() {
        Map<String, SortedSet<String>> out = new java.util.LinkedHashMap<>();
        byFamily.forEach((f, k) -> out.put(f, Collections.unmodifiableSortedSet(new TreeSet<>(k))));
        return Collections.unmodifiableMap(out);
    }

    /** @return every registered op kind, sorted */
    public SortedSet<String> kinds() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(translators.keySet()));
    }
}
