package org.torch2nnef.torchscript.code;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds classes and functions by qualified name across an archive's code files, parsing each file
 * the first time something in it is asked for. Files nobody asks for are never parsed, so scripted
 * helper code that a traced model carries but never calls does not cause a refusal.
 *
 * <p>Not thread-safe.
 */
public final class ScriptCodeIndex {

    /** Reads a code file from the archive. */
    @FunctionalInterface
    public interface CodeReader {
        /**
         * Returns the bytes of the code file at {@code codePath} (relative to the archive's root
         * folder, e.g. {@code code/__torch__.py}), or empty if the archive has no such entry.
         */
        Optional<byte[]> read(String codePath) throws IOException;
    }

    private final CodeReader reader;
    private final Map<String, Optional<ScriptFile>> files = new HashMap<>();

    public ScriptCodeIndex(CodeReader reader) {
        this.reader = Objects.requireNonNull(reader, "reader");
    }

    /**
     * The parsed code file at {@code codePath}, or empty if the archive has none.
     *
     * @throws TorchScriptSyntaxException if the file cannot be parsed
     * @throws UncheckedIOException if reading it fails
     */
    public Optional<ScriptFile> file(String codePath) {
        Optional<ScriptFile> cached = files.get(codePath);
        if (cached != null) {
            return cached;
        }
        Optional<byte[]> bytes;
        try {
            bytes = reader.read(codePath);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read " + codePath + " from the TorchScript archive: " + e.getMessage(),
                    e);
        }
        Optional<ScriptFile> parsed = bytes.map(b -> ScriptParser.parse(codePath, b));
        files.put(codePath, parsed);
        return parsed;
    }

    /** The class called {@code name}, or empty if its code file or the class in it is missing. */
    public Optional<ClassDef> tryFindClass(QualifiedName name) {
        return file(name.codePath()).flatMap(f -> f.classNamed(name.name()));
    }

    /**
     * The class called {@code name}.
     *
     * @throws NoSuchElementException naming the file looked in and what it holds
     */
    public ClassDef findClass(QualifiedName name) {
        ScriptFile file = requireFile(name, "class");
        return file.classNamed(name.name())
                .orElseThrow(
                        () ->
                                new NoSuchElementException(
                                        "class "
                                                + name
                                                + " not found: "
                                                + file.path()
                                                + " defines classes "
                                                + file.classes().stream()
                                                        .map(ClassDef::name)
                                                        .toList()));
    }

    /**
     * The top-level function called {@code name}, e.g. {@code __torch__.scripted_helper}.
     *
     * @throws NoSuchElementException naming the file looked in and what it holds
     */
    public FunctionDef findFunction(QualifiedName name) {
        ScriptFile file = requireFile(name, "function");
        return file.function(name.name())
                .orElseThrow(
                        () ->
                                new NoSuchElementException(
                                        "function "
                                                + name
                                                + " not found: "
                                                + file.path()
                                                + " defines functions "
                                                + file.functions().stream()
                                                        .map(FunctionDef::name)
                                                        .toList()));
    }

    private ScriptFile requireFile(QualifiedName name, String what) {
        return file(name.codePath())
                .orElseThrow(
                        () ->
                                new NoSuchElementException(
                                        what
                                                + " "
                                                + name
                                                + " not found: the archive has no code file "
                                                + name.codePath()));
    }
}
