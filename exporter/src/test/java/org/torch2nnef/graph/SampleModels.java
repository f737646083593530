package org.torch2nnef.graph;

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
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.provider.Arguments;
import org.torch2nnef.torchscript.TorchDType;

/**
 * The committed sample models and the input shapes/dtypes torch traced them with (JSON side files).
 */
final class SampleModels {
    private static final ObjectMapper JSON =
            JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private SampleModels() {}

    static Path dir() {
        Path dir = Path.of("..", "samples", "models").toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("sample models not found at " + dir);
        }
        return dir;
    }

    static List<String> names() {
        try (Stream<Path> files = Files.list(dir())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - 5))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** (name, layout, path) for every sample in the torch 1.13 and libtorch 2.x layouts. */
    static Stream<Arguments> archives() {
        return names().stream()
                .flatMap(
                        n ->
                                Stream.of(
                                        Arguments.of(n, "torch1", dir().resolve(n + ".pt")),
                                        Arguments.of(
                                                n,
                                                "torch2",
                                                dir().resolve("torch2").resolve(n + ".pt"))));
    }

    static JsonNode info(String name) {
        try {
            return JSON.readTree(dir().resolve(name + ".json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One traced input: its shape and dtype. */
    record Input(long[] shape, TorchDType dtype) {}

    static List<Input> inputs(String name) {
        JsonNode inputs = info(name).get("inputs");
        return StreamSupport.stream(inputs.spliterator(), false)
                .map(
                        i -> {
                            long[] shape = new long[i.get("shape").size()];
                            for (int k = 0; k < shape.length; k++) {
                                shape[k] = i.get("shape").get(k).asLong();
                            }
                            return new Input(
                                    shape,
                                    TorchDType.fromTorchName(i.get("dtype").asText())
                                            .orElseThrow());
                        })
                .toList();
    }
}
