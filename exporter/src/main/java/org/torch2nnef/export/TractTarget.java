package org.torch2nnef.export;

import java.util.Map;
import java.util.Optional;
import org.torch2nnef.nnef.contract.TractRelease;

/**
 * The tract release an export targets, and the one table saying from which tract release each
 * {@code tract_core_*} operator and NNEF form may be emitted. Translators ask through {@link
 * TractGate#tractOp} (which refuses an operator the target lacks, naming the op and the minimum
 * version) or {@link TractGate#tractAllows} (to pick a standard-NNEF fragment instead).
 *
 * <p>The minimum versions are the first release tag of sonos/tract whose {@code nnef/} sources
 * register the name (found with {@code git grep} over the release tags). Forms that are no operator
 * ({@link #SYMBOLS_IN_EXPRESSIONS}, {@link #SYMBOLIC_BROADCAST}) are dated from tract's NNEF
 * reader, {@code nnef/src/deser.rs} and the op deserializers, at each tag; translators ask for them
 * with {@link TractGate#requireTractForm}. tract's CLI flags per version are tract-check's business
 * ({@code TractFeatures}); this class knows only what the exported text may contain, so the
 * exporter does not depend on tract-check. The release number itself and the supported range are
 * the exporter-checker contract ({@link TractRelease}).
 *
 * @param release the release
 */
public record TractTarget(TractRelease release) implements Comparable<TractTarget> {
    /** The oldest release exports are checked against. */
    public static final TractTarget OLDEST_SUPPORTED =
            new TractTarget(TractRelease.OLDEST_SUPPORTED);

    /** The default target: the newest release we support. */
    public static final TractTarget NEWEST_SUPPORTED =
            new TractTarget(TractRelease.NEWEST_SUPPORTED);

    /**
     * A {@code tract_symbol} in any expression. Before 0.21.2 tract resolves a symbol only inside
     * the shape arguments of {@code external}, {@code reshape}, {@code slice} and {@code
     * tract_core_broadcast} ({@code allowing_new_symbols}); elsewhere (tile repeats, range bounds)
     * it fails with "Can not resolve ... symbol introduction is forbiddent".
     */
    public static final String SYMBOLS_IN_EXPRESSIONS = "a tract_symbol outside shape arguments";

    /**
     * {@code tract_core_broadcast} to a shape with symbols: its shape reads symbols from 0.20.6.
     */
    public static final String SYMBOLIC_BROADCAST = "tract_core_broadcast to a symbolic shape";

    /**
     * Tensors computed by the graph and labelled in graph.quant: tract casts each to its QU8/QI8
     * type as it is assigned. Before 0.21.6 tract names every such cast node "foo"
     * (nnef/src/deser.rs, wire_body), so a graph with two labelled tensors does not load.
     */
    public static final String QUANTIZED_TENSORS = "graph.quant on computed tensors";

    /**
     * Sizes computed while loading from {@code tract_core_shape_of} (slices of it and arithmetic on
     * them) given where an operation needs an integer ({@code reshape} shapes, {@code tile}
     * repeats, {@code tract_core_dyn_slice} bounds). tract folds a small constant computation when
     * it wires it from 0.21.2 on ({@code TypedModel::wire_node}, "reinstantiate eager propagation
     * for tiny tensors"); before, such an argument is no constant ("Not a const").
     */
    public static final String LOAD_TIME_SIZES = "sizes computed from tract_core_shape_of";

    /** Operator or form name to the first tract release reading it. */
    private static final Map<String, TractTarget> SINCE =
            Map.ofEntries(
                    Map.entry("tract_core_cast", new TractTarget(0, 10, 5)),
                    Map.entry("tract_core_broadcast", new TractTarget(0, 10, 5)),
                    Map.entry("tract_core_round_even", new TractTarget(0, 10, 5)),
                    Map.entry("tract_core_xor", new TractTarget(0, 10, 5)),
                    Map.entry("tract_core_gather", new TractTarget(0, 10, 5)),
                    Map.entry("tract_core_product_reduce", new TractTarget(0, 10, 5)),
                    Map.entry("tract_core_scan", new TractTarget(0, 10, 5)),
                    Map.entry("tract_core_gather_elements", new TractTarget(0, 14, 1)),
                    Map.entry("tract_core_properties", new TractTarget(0, 16, 7)),
                    Map.entry("tract_symbol", new TractTarget(0, 16, 5)),
                    Map.entry("tract_core_range", new TractTarget(0, 17, 1)),
                    Map.entry("tract_core_shape_of", new TractTarget(0, 17, 7)),
                    Map.entry("tract_core_erf", new TractTarget(0, 19, 0)),
                    Map.entry("tract_core_hard_swish", new TractTarget(0, 19, 10)),
                    Map.entry("tract_core_dyn_slice", new TractTarget(0, 20, 18)),
                    Map.entry("tract_core_downsample", new TractTarget(0, 10, 5)),
                    Map.entry("tract_core_softmax", new TractTarget(0, 21, 1)),
                    Map.entry("tract_core_log_softmax", new TractTarget(0, 21, 15)),
                    Map.entry(SYMBOLIC_BROADCAST, new TractTarget(0, 20, 6)),
                    Map.entry(QUANTIZED_TENSORS, new TractTarget(0, 21, 6)),
                    Map.entry(SYMBOLS_IN_EXPRESSIONS, new TractTarget(0, 21, 2)),
                    Map.entry(LOAD_TIME_SIZES, new TractTarget(0, 21, 2)),
                    // standard NNEF operations tract reads late or never
                    Map.entry("copy", new TractTarget(0, 23, 0)));

    /** The release {@code major.minor.patch}. */
    public TractTarget(int major, int minor, int patch) {
        this(new TractRelease(major, minor, patch));
    }

    /**
     * @param text {@code X.Y.Z}, optionally with a leading {@code v}
     * @return the version
     * @throws IllegalArgumentException if it is not one, or older than {@link #OLDEST_SUPPORTED}
     */
    public static TractTarget parse(String text) {
        return new TractTarget(TractRelease.parseSupported(text));
    }

    /**
     * The target for models that a given tract release must load: the release itself, or {@link
     * #NEWEST_SUPPORTED} when it is newer (no later gate is known, so both export alike).
     *
     * @param release a tract release number {@code X.Y.Z}, e.g. what {@code tract --version} says
     * @return the target
     * @throws IllegalArgumentException if it is no version or older than {@link #OLDEST_SUPPORTED}
     */
    public static TractTarget forRelease(String release) {
        TractTarget t = parse(release);
        return t.compareTo(NEWEST_SUPPORTED) > 0 ? NEWEST_SUPPORTED : t;
    }

    /**
     * @param op a {@code tract_core_*} operator or NNEF form
     * @return the first release reading it, when the table knows it
     */
    public static Optional<TractTarget> since(String op) {
        return Optional.ofNullable(SINCE.get(op));
    }

    /**
     * @param op a {@code tract_core_*} operator or NNEF form
     * @return whether this release reads it (names the table does not know are allowed)
     */
    public boolean allows(String op) {
        return since(op).map(s -> compareTo(s) >= 0).orElse(true);
    }

    @Override
    public int compareTo(TractTarget o) {
        return release.compareTo(o.release);
    }

    @Override
    public String toString() {
        return release.toString();
    }
}
