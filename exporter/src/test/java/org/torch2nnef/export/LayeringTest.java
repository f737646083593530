package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The import rules between layers, read from the sources: the graph layer does not know the
 * exporter, and extractors (built-in and plugins alike) see only the plugin API.
 */
class LayeringTest {
    private static final Pattern IMPORT =
            Pattern.compile("^import (?:static )?(org\\.torch2nnef\\.[\\w.]+);", Pattern.MULTILINE);

    /**
     * The plugin API: the spi package, the translation roles it hands out, and what they throw or
     * take.
     */
    private static final Set<String> PLUGIN_API =
            Set.of(
                    "org.torch2nnef.export.NnefEmitter",
                    "org.torch2nnef.export.ExportTimeValues",
                    "org.torch2nnef.export.ValueTypes",
                    "org.torch2nnef.export.TractGate",
                    "org.torch2nnef.export.TranslationException",
                    "org.torch2nnef.export.FragmentText");

    private static List<String> violations(Path root, Predicate<String> forbidden) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .flatMap(
                            f -> {
                                try {
                                    Matcher m = IMPORT.matcher(Files.readString(f));
                                    return m
                                            .results()
                                            .map(r -> r.group(1))
                                            .filter(forbidden)
                                            .map(i -> root.relativize(f) + " imports " + i)
                                            .toList()
                                            .stream();
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theGraphLayerDoesNotKnowTheExporter() {
        assertEquals(
                List.of(),
                violations(
                        Path.of("src/main/java/org/torch2nnef/graph"),
                        i -> i.startsWith("org.torch2nnef.export.")));
    }

    @Test
    void extractorsUseOnlyThePluginApi() {
        Predicate<String> outsideApi =
                i ->
                        i.startsWith("org.torch2nnef.export.")
                                && !i.startsWith("org.torch2nnef.export.spi.")
                                && !PLUGIN_API.contains(i);
        assertEquals(List.of(), violations(Path.of("../extractors/src/main/java"), outsideApi));
        assertEquals(
                List.of(), violations(Path.of("../samples/film-plugin/src/main/java"), outsideApi));
    }
}
