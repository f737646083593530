package org.torch2nnef.torchscript.code;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One parsed code file. Import lines are skipped.
 *
 * @param path the file's path inside the archive, e.g. {@code
 *     code/__torch__/torch/nn/modules/conv.py}
 * @param classes its classes, in order
 * @param functions its top-level functions, in order
 * @param pos the start of the file
 */
public record ScriptFile(
        String path, List<ClassDef> classes, List<FunctionDef> functions, SourcePos pos)
        implements Node {

    public ScriptFile {
        Objects.requireNonNull(path, "path");
        classes = List.copyOf(classes);
        functions = List.copyOf(functions);
        Objects.requireNonNull(pos, "pos");
    }

    /** The class whose simple name is {@code name}. */
    public Optional<ClassDef> classNamed(String name) {
        return classes.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The top-level function called {@code name}. */
    public Optional<FunctionDef> function(String name) {
        return functions.stream().filter(f -> f.name().equals(name)).findFirst();
    }
}
