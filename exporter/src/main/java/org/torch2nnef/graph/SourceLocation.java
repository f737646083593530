package org.torch2nnef.graph;

import java.util.Objects;
import java.util.Optional;
import org.torch2nnef.torchscript.OriginalSource;
import org.torch2nnef.torchscript.code.SourcePos;

/**
 * Where a node came from: the generated TorchScript code, and the user's Python source when the
 * archive's {@code .debug_pkl} records it.
 *
 * @param code     the position in the archive's code file
 * @param original the user's file and line, if known
 */
public record SourceLocation(SourcePos code, Optional<OriginalSource> original) {

    public SourceLocation {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(original, "original");
    }

    /** @return the user's {@code file:line} when known, else the code's {@code file:line:column} */
    public String bestLocation() {
        return original.map(o -> o.file() + ":" + o.line()).orElse(code.toString());
    }

    /** @return e.g. {@code code/__torch__.py:12:5 (model.py:40)} */
    @Override
    public String toString() {
        return code + original.map(o -> " (" + o.file() + ":" + o.line() + ")").orElse("");
    }
}
