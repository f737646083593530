package org.torch2nnef.torchscript;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The committed sample models (samples/models) and their JSON side files written by torch. */
final class Samples {
    /** Python's json module writes NaN and Infinity for non-finite floats. */
    private static final ObjectMapper JSON =
            JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private Samples() {}

    /**
     * @return samples/models, found from the module directory surefire runs in
     */
    static Path modelsDir() {
        Path dir = Path.of("..", "samples", "models").toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("sample models not found at " + dir);
        }
        return dir;
    }

    /**
     * @return every sample name (one per JSON side file)
     */
    static List<String> names() {
        try (Stream<Path> files = Files.list(modelsDir())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - 5))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return the torch 1.13 archive
     */
    static Path torch1(String name) {
        return modelsDir().resolve(name + ".pt");
    }

    /**
     * @return the libtorch 2.x re-saved archive
     */
    static Path torch2(String name) {
        return modelsDir().resolve("torch2").resolve(name + ".pt");
    }

    /**
     * @return the side file torch wrote next to the model
     */
    static JsonNode info(String name) {
        try {
            return JSON.readTree(modelsDir().resolve(name + ".json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return every (name, archive) pair, torch 1.x and 2.x
     */
    static Stream<org.junit.jupiter.params.provider.Arguments> archives() {
        return names().stream()
                .flatMap(
                        n ->
                                Stream.of(
                                        org.junit.jupiter.params.provider.Arguments.of(
                                                n, "torch1", torch1(n)),
                                        org.junit.jupiter.params.provider.Arguments.of(
                                                n, "torch2", torch2(n))));
    }

    static double[] doubles(JsonNode array) {
        double[] r = new double[array.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = array.get(i).asDouble();
        }
        return r;
    }

    static long[] longs(JsonNode array) {
        long[] r = new long[array.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = array.get(i).asLong();
        }
        return r;
    }
}
