package org.torch2nnef.graph;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.torch2nnef.torchscript.OriginalSource;
import org.torch2nnef.torchscript.code.SourcePos;

/**
 * Where a node came from: the generated TorchScript code, and the user's Python source when the
 * archive's {@code .debug_pkl} records it.
 *
 * <p>The user's source is only needed to report a problem, so the graph builder resolves it on
 * first use ({@link #resolvedLater}): a model that exports never decodes its debug info, which is
 * larger than its code and held one call stack text per op.
 */
public final class SourceLocation {
    private final SourcePos code;
    private Supplier<Optional<OriginalSource>> resolver;
    private Optional<OriginalSource> original;

    /**
     * @param code the position in the archive's code file
     * @param original the user's file and line, if known
     */
    public SourceLocation(SourcePos code, Optional<OriginalSource> original) {
        this.code = Objects.requireNonNull(code, "code");
        this.original = Objects.requireNonNull(original, "original");
    }

    private SourceLocation(SourcePos code, Supplier<Optional<OriginalSource>> resolver) {
        this.code = Objects.requireNonNull(code, "code");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /**
     * A location whose user source is looked up by {@code resolver} the first time it is asked for
     * (then kept). Not thread-safe, like the graph it belongs to.
     */
    public static SourceLocation resolvedLater(
            SourcePos code, Supplier<Optional<OriginalSource>> resolver) {
        return new SourceLocation(code, resolver);
    }

    /**
     * @return the position in the archive's code file
     */
    public SourcePos code() {
        return code;
    }

    /**
     * @return the user's file and line, if known
     */
    public Optional<OriginalSource> original() {
        if (original == null) {
            original = Objects.requireNonNull(resolver.get(), "resolved source");
            resolver = null;
        }
        return original;
    }

    /**
     * @return the user's {@code file:line} when known, else the code's {@code file:line:column}
     */
    public String bestLocation() {
        return original().map(o -> o.file() + ":" + o.line()).orElse(code.toString());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SourceLocation other
                && code.equals(other.code)
                && original().equals(other.original());
    }

    @Override
    public int hashCode() {
        return Objects.hash(code, original());
    }

    /**
     * @return e.g. {@code code/__torch__.py:12:5 (model.py:40)}
     */
    @Override
    public String toString() {
        return code + original().map(o -> " (" + o.file() + ":" + o.line() + ")").orElse("");
    }
}
