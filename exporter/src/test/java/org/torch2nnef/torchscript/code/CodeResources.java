package org.torch2nnef.torchscript.code;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The code texts that generate_code_examples.py extracted from archives traced with torch 1.13,
 * laid out per model as {@code <model>/code/...py}, i.e. as they sit under an archive's root
 * folder.
 */
final class CodeResources {

    private CodeResources() {}

    static Path root() {
        try {
            return Path.of(
                    CodeResources.class.getResource("/org/torch2nnef/torchscript/code").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The model folders, e.g. {@code convnet}, {@code resnet18}. */
    static List<String> models() throws IOException {
        try (Stream<Path> dirs = Files.list(root())) {
            return dirs.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        }
    }

    /** The code files of {@code model}, as archive paths such as {@code code/__torch__.py}. */
    static List<String> codePaths(String model) throws IOException {
        Path modelDir = root().resolve(model);
        try (Stream<Path> files = Files.walk(modelDir.resolve("code"))) {
            return files.filter(p -> p.toString().endsWith(".py"))
                    .map(p -> modelDir.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        }
    }

    static String text(String model, String codePath) {
        try {
            return Files.readString(root().resolve(model).resolve(codePath));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ScriptFile parse(String model, String codePath) {
        return ScriptParser.parse(codePath, text(model, codePath));
    }

    /**
     * An index reading {@code model}'s files, recording each path it asks for in {@code requested}.
     */
    static ScriptCodeIndex index(String model, List<String> requested) {
        Path modelDir = root().resolve(model);
        return new ScriptCodeIndex(
                codePath -> {
                    requested.add(codePath);
                    Path file = modelDir.resolve(codePath);
                    return Files.isRegularFile(file)
                            ? Optional.of(Files.readAllBytes(file))
                            : Optional.empty();
                });
    }
}
