package org.torch2nnef.nnef.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code fragment name<? = default>(params) -> (results) { body }} or, without body, a declaration
 * ending in {@code ;}.
 *
 * @param name fragment name
 * @param generic the generic declaration {@code <?>} / {@code <? = type>}, if any
 * @param params parameters
 * @param results results
 * @param body the body; empty for a declaration-only fragment
 */
public record Fragment(
        String name,
        Optional<Generic> generic,
        List<Param> params,
        List<Result> results,
        Optional<List<Assignment>> body) {

    public Fragment {
        Objects.requireNonNull(name, "fragment name");
        Objects.requireNonNull(generic, "generic");
        params = List.copyOf(params);
        results = List.copyOf(results);
        body = body.map(List::copyOf);
    }

    /** {@code <?>} ({@code defaultType} empty) or {@code <? = defaultType>}. */
    public record Generic(Optional<TypeName> defaultType) {
        public Generic {
            Objects.requireNonNull(defaultType, "defaultType");
        }
    }

    /** {@code name: type = defaultValue}. */
    public record Param(String name, TypeSpec type, Optional<Expr> defaultValue) {
        public Param {
            Objects.requireNonNull(name, "parameter name");
            Objects.requireNonNull(type, "parameter type");
            Objects.requireNonNull(defaultValue, "defaultValue");
        }
    }

    /** {@code name: type}. */
    public record Result(String name, TypeSpec type) {
        public Result {
            Objects.requireNonNull(name, "result name");
            Objects.requireNonNull(type, "result type");
        }
    }

    /** Starts a builder for a fragment called {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Mutable builder of a {@link Fragment}. */
    public static final class Builder {
        private final String name;
        private Generic generic;
        private final List<Param> params = new ArrayList<>();
        private final List<Result> results = new ArrayList<>();
        private List<Assignment> body;

        private Builder(String name) {
            this.name = name;
        }

        /** Declares the fragment generic, {@code <?>} when {@code defaultType} is null. */
        public Builder generic(TypeName defaultType) {
            this.generic = new Generic(Optional.ofNullable(defaultType));
            return this;
        }

        /** Adds a parameter without default. */
        public Builder param(String name, TypeSpec type) {
            params.add(new Param(name, type, Optional.empty()));
            return this;
        }

        /** Adds a parameter with a default value. */
        public Builder param(String name, TypeSpec type, Expr defaultValue) {
            params.add(new Param(name, type, Optional.of(defaultValue)));
            return this;
        }

        /** Adds a result. */
        public Builder result(String name, TypeSpec type) {
            results.add(new Result(name, type));
            return this;
        }

        /** Appends an assignment to the body (making this a fragment definition). */
        public Builder assign(Assignment assignment) {
            if (body == null) {
                body = new ArrayList<>();
            }
            body.add(assignment);
            return this;
        }

        /** Sets the whole body; an empty list gives a fragment with an empty body {@code {}}. */
        public Builder body(List<Assignment> assignments) {
            this.body = new ArrayList<>(assignments);
            return this;
        }

        /** The fragment. */
        public Fragment build() {
            return new Fragment(
                    name, Optional.ofNullable(generic), params, results, Optional.ofNullable(body));
        }
    }
}
