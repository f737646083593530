package org.torch2nnef.graph.shapes;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.torch2nnef.graph.OpSchemas;
import org.torch2nnef.graph.ValueType.TensorType;

/**
 * The shape rules by op kind ({@code aten::relu}, ...), filled by the exporter's op registry from
 * the rule each op family registers with its op.
 */
public final class ShapeRules {

    private final Map<String, ShapeRule> rules = new HashMap<>();

    /** An empty registry, to fill with {@link #register}. */
    public ShapeRules() {}

    /**
     * @param rule the rule
     * @param kinds the op kinds it types
     * @throws IllegalStateException if a kind already has a rule
     */
    public void register(ShapeRule rule, String... kinds) {
        for (String k : kinds) {
            if (rules.putIfAbsent(k, rule) != null) {
                throw new IllegalStateException("two shape rules for " + k);
            }
        }
    }

    /**
     * @param kind an op kind
     * @return its rule
     */
    public Optional<ShapeRule> rule(String kind) {
        ShapeRule own = rules.get(kind);
        if (own != null || !OpSchemas.isInPlace(kind)) {
            return Optional.ofNullable(own);
        }
        ShapeRule base = rules.get(kind.substring(0, kind.length() - 1));
        return Optional.ofNullable(base).map(ShapeRules::inPlace);
    }

    /**
     * An in-place op writes into its first input: the result must have that input's shape and
     * dtype.
     */
    private static ShapeRule inPlace(ShapeRule base) {
        return n -> {
            base.infer(n);
            TensorType self = n.tensor(0);
            TensorType result = n.node().output(0).tensorType().orElseThrow();
            if (!result.shape().equals(self.shape())) {
                throw new ShapeInferenceException(
                        "the result "
                                + result.shape()
                                + " of in-place "
                                + n.node().kind()
                                + " does not fit its input "
                                + self.shape());
            }
            n.output(0, self);
        };
    }

    /**
     * @return every kind with a rule
     */
    public Set<String> kinds() {
        return Collections.unmodifiableSet(rules.keySet());
    }
}
