package org.torch2nnef.nnef.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An operation call {@code name<generic>(positional…, key = value…)}. Positional arguments print
 * first, then named ones in insertion order.
 *
 * @param name the operation (fragment) name, e.g. {@code conv} or {@code tract_core_gather}
 * @param generic the generic type argument, e.g. {@code scalar} in {@code external<scalar>(…)}
 * @param positional positional arguments
 * @param named named arguments, in print order
 */
public record Invocation(
        String name, Optional<TypeName> generic, List<Expr> positional, Map<String, Expr> named)
        implements Expr {

    public Invocation {
        Objects.requireNonNull(name, "invocation name");
        Objects.requireNonNull(generic, "generic");
        positional = List.copyOf(positional);
        LinkedHashMap<String, Expr> copy = new LinkedHashMap<>();
        named.forEach(
                (k, v) ->
                        copy.put(
                                Objects.requireNonNull(k, "argument name"),
                                Objects.requireNonNull(
                                        v, () -> "value of argument '" + k + "' of " + name)));
        named = Collections.unmodifiableMap(copy);
    }

    /** A call with positional arguments only. */
    public static Invocation of(String name, Expr... positional) {
        return new Invocation(name, Optional.empty(), Arrays.asList(positional), Map.of());
    }

    /** Starts a builder for a call to {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The named argument {@code key}, if present. */
    public Optional<Expr> arg(String key) {
        return Optional.ofNullable(named.get(key));
    }

    /** {@code external<type>(shape = shape)}: a graph input. */
    public static Invocation external(ElementType type, Expr shape) {
        return builder("external").generic(type.typeName()).arg("shape", shape).build();
    }

    /**
     * {@code variable<type>(shape = shape, label = 'label')}: a tensor stored in {@code label.dat}.
     */
    public static Invocation variable(ElementType type, Expr shape, String label) {
        return builder("variable")
                .generic(type.typeName())
                .arg("shape", shape)
                .arg("label", Expr.str(label))
                .build();
    }

    /** {@code constant<type>(shape = shape, value = value)}: a small literal tensor. */
    public static Invocation constant(ElementType type, Expr shape, Expr value) {
        return builder("constant")
                .generic(type.typeName())
                .arg("shape", shape)
                .arg("value", value)
                .build();
    }

    /** Mutable builder of an {@link Invocation}. */
    public static final class Builder {
        private final String name;
        private TypeName generic;
        private final List<Expr> positional = new ArrayList<>();
        private final LinkedHashMap<String, Expr> named = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = name;
        }

        /** Sets the generic type argument. */
        public Builder generic(TypeName type) {
            this.generic = type;
            return this;
        }

        /** Appends a positional argument. */
        public Builder arg(Expr value) {
            positional.add(Objects.requireNonNull(value, "positional argument"));
            return this;
        }

        /** Appends (or replaces) a named argument. */
        public Builder arg(String key, Expr value) {
            named.put(key, Objects.requireNonNull(value, () -> "value of argument '" + key + "'"));
            return this;
        }

        /** Appends an integer named argument. */
        public Builder arg(String key, long value) {
            return arg(key, Expr.of(value));
        }

        /** Appends a logical named argument. */
        public Builder arg(String key, boolean value) {
            return arg(key, Expr.of(value));
        }

        /** Appends a string named argument. */
        public Builder arg(String key, String value) {
            return arg(key, Expr.str(value));
        }

        /** The invocation. */
        public Invocation build() {
            return new Invocation(name, Optional.ofNullable(generic), positional, named);
        }
    }
}
