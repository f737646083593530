package org.torch2nnef.export;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.torch2nnef.export.ops.ActivationOps;
import org.torch2nnef.export.ops.AttentionOps;
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
import org.torch2nnef.export.ops.QuantizedOps;
import org.torch2nnef.export.ops.RecurrentCellOps;
import org.torch2nnef.export.ops.ReductionOps;
import org.torch2nnef.export.ops.ResizeOps;
import org.torch2nnef.export.ops.ShapeOps;
import org.torch2nnef.graph.GraphBuilder;
import org.torch2nnef.graph.OpSchema;
import org.torch2nnef.graph.OpSchemas;
import org.torch2nnef.graph.shapes.ShapeInference;
import org.torch2nnef.graph.shapes.ShapeRules;

/**
 * The op table: every op kind ({@code aten::relu}, {@code prim::ListConstruct}) registered once, by
 * its family, with its signatures, shape rule, translator and tract gate ({@link OpDefinition}).
 * The graph layer gets its parts through {@link #schemas()} and {@link #shapeRules()}.
 */
public final class OpRegistry {

    /** The families of {@link #standard()}, in registration order. */
    public static final List<OpFamily> STANDARD_FAMILIES =
            List.of(
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
                    new AttentionOps(),
                    new QuantizedOps());

    private static final OpRegistry STANDARD = createStandard();

    private final Map<String, OpDefinition.Builder> builders = new LinkedHashMap<>();
    private String registering = "";

    /** Set on the first query; registration is closed from then on. */
    private Map<String, OpDefinition> definitions;

    private OpSchemas schemas;
    private ShapeRules shapeRules;

    /**
     * @return the registry of every family of {@link #STANDARD_FAMILIES}, shared and closed
     */
    public static OpRegistry standard() {
        return STANDARD;
    }

    private static OpRegistry createStandard() {
        OpRegistry r = new OpRegistry();
        STANDARD_FAMILIES.forEach(r::add);
        r.definitions();
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
     * Registers an op; chain its parts on the result.
     *
     * @param signature its first overload, e.g. {@code aten::conv1d(Tensor input, Tensor weight,
     *     Tensor? bias=None, ...) -> Tensor}, or only its kind, e.g. {@code prim::ListConstruct},
     *     when its arguments are positional
     * @return the op's builder
     * @throws IllegalStateException if the kind is registered twice, or the registry is already in
     *     use
     */
    public OpDefinition.Builder op(String signature) {
        if (definitions != null) {
            throw new IllegalStateException(
                    "the registry is in use: register every op before the first query");
        }
        // parsed once: the op table parses ~500 signatures on every start
        OpSchema first = signature.indexOf('(') >= 0 ? OpSchema.parse(signature) : null;
        String kind = first != null ? first.kind() : signature.strip();
        if (!kind.contains("::")) {
            throw new IllegalArgumentException(
                    "op kind '" + kind + "' must be namespaced, e.g. aten::relu");
        }
        OpDefinition.Builder b = new OpDefinition.Builder(kind, registering);
        if (builders.putIfAbsent(kind, b) != null) {
            throw new IllegalStateException("op " + kind + " is registered twice");
        }
        return first != null ? b.overload(first) : b;
    }

    /**
     * @return every registered op by kind, sorted; the first call closes registration
     */
    public synchronized Map<String, OpDefinition> definitions() {
        if (definitions == null) {
            Map<String, OpDefinition> all = new TreeMap<>();
            builders.forEach((kind, b) -> all.put(kind, b.build()));
            definitions = Collections.unmodifiableMap(all);
            List<OpSchema> signatures = new ArrayList<>();
            ShapeRules rules = new ShapeRules();
            definitions
                    .values()
                    .forEach(
                            d -> {
                                signatures.addAll(d.signatures());
                                d.shapeRule().ifPresent(rule -> rules.register(rule, d.kind()));
                            });
            schemas = OpSchemas.of(signatures);
            shapeRules = rules;
        }
        return definitions;
    }

    /**
     * @return the signatures of every op, for {@link GraphBuilder}
     */
    public OpSchemas schemas() {
        definitions();
        return schemas;
    }

    /**
     * @return the shape rules of every op
     */
    public ShapeRules shapeRules() {
        definitions();
        return shapeRules;
    }

    /**
     * @return shape inference with this registry's rules
     */
    public ShapeInference shapeInference() {
        return new ShapeInference(shapeRules(), schemas());
    }

    /**
     * @param kind an op kind
     * @return its definition; an in-place variant such as {@code aten::relu_} has its base op's
     */
    public Optional<OpDefinition> definition(String kind) {
        OpDefinition own = definitions().get(kind);
        if (own != null || !OpSchemas.isInPlace(kind)) {
            return Optional.ofNullable(own);
        }
        return Optional.ofNullable(definitions.get(kind.substring(0, kind.length() - 1)));
    }

    /**
     * @param kind an op kind
     * @return its translator, if registered; an in-place variant such as {@code aten::relu_} falls
     *     back to its base op's translator, since the graph builder already rebinds the written
     *     variable to the op's result (the graph is functional)
     */
    public Optional<OpTranslator> find(String kind) {
        return definition(kind).flatMap(OpDefinition::translator);
    }

    /**
     * @return every translated op kind, sorted, by the family that registered it (the simple name
     *     of its class, e.g. {@code ElementwiseOps}; {@code ""} for kinds registered outside a
     *     family), families in registration order
     */
    public Map<String, SortedSet<String>> kindsByFamily() {
        Map<String, SortedSet<String>> out = new LinkedHashMap<>();
        builders.values().forEach(b -> out.putIfAbsent(b.build().family(), new TreeSet<>()));
        translated().forEach(d -> out.get(d.family()).add(d.kind()));
        out.values().removeIf(SortedSet::isEmpty);
        out.replaceAll((f, k) -> Collections.unmodifiableSortedSet(k));
        return Collections.unmodifiableMap(out);
    }

    /**
     * @return every op kind that exports node by node (role {@link OpDefinition.Role#TRANSLATED}),
     *     sorted
     */
    public SortedSet<String> kinds() {
        SortedSet<String> out = new TreeSet<>();
        translated().forEach(d -> out.add(d.kind()));
        return Collections.unmodifiableSortedSet(out);
    }

    private Stream<OpDefinition> translated() {
        return definitions().values().stream()
                .filter(d -> d.role() == OpDefinition.Role.TRANSLATED);
    }
}
