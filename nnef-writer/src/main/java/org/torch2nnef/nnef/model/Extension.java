package org.torch2nnef.nnef.model;

import java.util.Objects;

/**
 * An {@code extension name argument;} line. The NNEF grammar lists identifiers after {@code
 * extension}; tract reads one identifier and then any text up to {@code ;} ({@code extension
 * tract_assert S >= 0;}), which {@code argument} holds verbatim (trimmed).
 *
 * @param name the extension identifier, e.g. {@code tract_registry}
 * @param argument the rest of the line, e.g. {@code tract_core}; may be empty
 */
public record Extension(String name, String argument) {
    public Extension {
        Objects.requireNonNull(name, "extension name");
        argument = Objects.requireNonNull(argument, "extension argument").strip();
    }

    /** {@code extension tract_registry registry;} (e.g. {@code tract_core}). */
    public static Extension tractRegistry(String registry) {
        return new Extension("tract_registry", registry);
    }

    /** {@code extension tract_symbol symbol;}: declares a symbolic dimension. */
    public static Extension tractSymbol(String symbol) {
        return new Extension("tract_symbol", symbol);
    }

    /** {@code extension tract_assert condition;} (e.g. {@code S >= 0}). */
    public static Extension tractAssert(String condition) {
        return new Extension("tract_assert", condition);
    }

    /** An extension without argument, e.g. {@code KHR_enable_fragment_definitions}. */
    public static Extension of(String name) {
        return new Extension(name, "");
    }
}
