package org.torch2nnef.export;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.torch2nnef.graph.OpSchema;
import org.torch2nnef.graph.shapes.ShapeRule;

/**
 * Everything the project knows of one op kind, registered once in its family file: its signatures
 * (argument names, types and defaults, after pytorch's {@code native_functions.yaml}), its shape
 * rule, its translator and the {@code tract_core_*} operators the translator may emit (its tract
 * gate, dated by {@link TractTarget}).
 *
 * @param kind the op, e.g. {@code aten::conv1d}
 * @param family the simple class name of the family that registered it
 * @param signatures its overloads in resolution order; empty for ops whose arguments are positional
 *     ({@code prim::*} and list ops)
 * @param shapeRule its shape rule
 * @param translator its translator; empty when {@link #role()} is not {@link Role#TRANSLATED}
 * @param tractOps the tract extensions its translator emits itself (shared helpers' forms for
 *     symbolic sizes, {@link #SIZE_FORMS}, need no declaration)
 * @param role how a model using it gets exported
 */
public record OpDefinition(
        String kind,
        String family,
        List<OpSchema> signatures,
        Optional<ShapeRule> shapeRule,
        Optional<OpTranslator> translator,
        Set<String> tractOps,
        Role role) {

    /**
     * tract forms any translator may emit through the shared helpers for symbolic sizes (slices,
     * tiles, broadcasts and ranges of a dynamic length), gated by {@link TractTarget} where they
     * are emitted.
     */
    public static final Set<String> SIZE_FORMS =
            Set.of(
                    "tract_core_dyn_slice",
                    "tract_core_downsample",
                    "tract_core_broadcast",
                    "tract_core_shape_of",
                    "tract_core_range",
                    "tract_core_cast",
                    TractTarget.SYMBOLS_IN_EXPRESSIONS,
                    TractTarget.SYMBOLIC_BROADCAST);

    /** How a model using the op gets exported. */
    public enum Role {
        /**
         * Translated to NNEF node by node: needs a signature (unless positional), shape rule and
         * translator.
         */
        TRANSLATED,
        /**
         * Its results are always known at export time (sizes, list items): typed and folded, never
         * translated.
         */
        FOLD_ONLY,
        /**
         * Appears only inside modules a {@code ModuleInfoExtractor} exports whole (e.g. {@code
         * aten::lstm}).
         */
        EXTRACTOR_ONLY
    }

    public OpDefinition {
        signatures = List.copyOf(signatures);
        tractOps = Set.copyOf(tractOps);
    }

    /**
     * @return what this definition lacks for its role, e.g. {@code ["shape rule"]}; empty when
     *     complete
     */
    public List<String> missingParts() {
        List<String> missing = new ArrayList<>();
        if (signatures.isEmpty() && kind.startsWith("aten::") && role == Role.TRANSLATED) {
            missing.add("signature");
        }
        if (shapeRule.isEmpty()) {
            missing.add("shape rule");
        }
        if (role == Role.TRANSLATED && translator.isEmpty()) {
            missing.add("translator");
        }
        if (role != Role.TRANSLATED && translator.isPresent()) {
            missing.add(
                    "no translator (it is "
                            + role.name().toLowerCase(Locale.ROOT).replace('_', '-')
                            + ")");
        }
        for (String op : tractOps) {
            if (TractTarget.since(op).isEmpty()) {
                missing.add("a date for " + op + " in TractTarget");
            }
        }
        return missing;
    }

    /**
     * Collects one op's parts in its family's {@code register} method; see {@link OpRegistry#op}.
     */
    public static final class Builder {
        private final String kind;
        private final String family;
        private final List<OpSchema> signatures = new ArrayList<>();
        private ShapeRule shapeRule;
        private OpTranslator translator;
        private final Set<String> tractOps = new LinkedHashSet<>();
        private Role role = Role.TRANSLATED;

        Builder(String kind, String family) {
            this.kind = kind;
            this.family = family;
        }

        /**
         * @param signature another overload, e.g. {@code aten::sum.dim_IntList(Tensor self, ...) ->
         *     Tensor}
         * @return this builder
         */
        public Builder overload(String signature) {
            return overload(OpSchema.parse(signature));
        }

        Builder overload(OpSchema s) {
            if (!s.kind().equals(kind)) {
                throw new IllegalArgumentException(
                        "overload " + s.qualifiedName() + " is not one of " + kind);
            }
            signatures.add(s);
            return this;
        }

        /**
         * @param rule computes the op's output types and known values
         * @return this builder
         */
        public Builder shape(ShapeRule rule) {
            shapeRule = rule;
            return this;
        }

        /**
         * @param t translates one node of the op into NNEF
         * @return this builder
         */
        public Builder translate(OpTranslator t) {
            translator = t;
            return this;
        }

        /**
         * @param ops the {@code tract_core_*} operators the translator emits itself
         * @return this builder
         */
        public Builder tract(String... ops) {
            tractOps.addAll(List.of(ops));
            return this;
        }

        /**
         * @return this builder, for an op whose results shape inference always knows (never
         *     translated)
         */
        public Builder foldOnly() {
            role = Role.FOLD_ONLY;
            return this;
        }

        /**
         * @return this builder, for an op found only inside modules that extractors export whole
         */
        public Builder extractorOnly() {
            role = Role.EXTRACTOR_ONLY;
            return this;
        }

        String kind() {
            return kind;
        }

        OpDefinition build() {
            return new OpDefinition(
                    kind,
                    family,
                    signatures,
                    Optional.ofNullable(shapeRule),
                    Optional.ofNullable(translator),
                    tractOps,
                    role);
        }
    }
}
