package org.torch2nnef.zoo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.torch2nnef.check.compare.StepTolerance;

/**
 * Reads the zoo manifest {@code samples/zoo/zoo.json} written by {@code
 * samples/zoo/generate_zoo.py}. Every problem is an {@link IllegalArgumentException} naming the
 * file, the entry and the field.
 *
 * @param dir the zoo directory ({@code samples/zoo}); archive paths are relative to it
 * @param torchVersion the torch version that traced the models
 * @param models the entries in manifest order
 */
public record ZooManifest(Path dir, String torchVersion, List<ZooModel> models) {
    /** The manifest's file name in the zoo directory. */
    public static final String FILE = "zoo.json";

    /** Canonical constructor; copies the list. */
    public ZooManifest {
        models = List.copyOf(models);
    }

    /**
     * Reads {@code dir/zoo.json}.
     *
     * @throws IOException if it cannot be read or is not JSON
     * @throws IllegalArgumentException naming the entry and field when an entry is malformed
     */
    public static ZooManifest read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        List<ZooModel> models = new ArrayList<>();
        JsonNode entries = field(root, "models", file.toString());
        for (int i = 0; i < entries.size(); i++) {
            JsonNode e = entries.get(i);
            String where =
                    file
                            + " models["
                            + i
                            + "]"
                            + (e.hasNonNull("name") ? " (" + e.get("name").asText() + ")" : "");
            models.add(model(dir, e, where));
        }
        models.addAll(quantizedSamples(dir));
        return new ZooManifest(dir, field(root, "torch_version", file.toString()).asText(), models);
    }

    /** The quantized samples' manifest, beside the zoo directory. */
    public static final String QUANTIZED = "../quantized/quantized.json";

    /**
     * The zoo entries of the quantized samples ({@code samples/quantized/quantized.json}, written
     * by generate_quantized.py with the fields of zoo.json's entries, their archives relative to
     * samples/quantized), when that manifest is beside the zoo directory.
     */
    private static List<ZooModel> quantizedSamples(Path dir) throws IOException {
        Path file = dir.resolve(QUANTIZED).normalize();
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        List<ZooModel> out = new ArrayList<>();
        JsonNode samples =
                field(new ObjectMapper().readTree(file.toFile()), "samples", file.toString());
        for (var it = samples.fields(); it.hasNext(); ) {
            var sample = it.next();
            String where = file + " samples." + sample.getKey();
            JsonNode e = field(sample.getValue(), "zoo", where);
            ZooModel m = model(file.getParent(), e, where + ".zoo");
            StepTolerance steps =
                    e.has("max_step_fraction")
                            ? new StepTolerance(
                                    StepTolerance.DEFAULT.maxSteps(),
                                    e.get("max_step_fraction").asDouble())
                            : StepTolerance.DEFAULT;
            out.add(
                    m.withQuantization(
                            new ZooModel.Quantization(
                                    field(e, "quantized_engine", where).asText(),
                                    steps,
                                    e.path("step_fraction_reason").asText(""))));
        }
        return out;
    }

    /** The model named {@code name}, or an exception listing the names. */
    public ZooModel model(String name) {
        return models.stream()
                .filter(m -> m.name().equals(name))
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        dir.resolve(FILE)
                                                + " has no model '"
                                                + name
                                                + "'; its models are "
                                                + models.stream().map(ZooModel::name).toList()));
    }

    private static ZooModel model(Path dir, JsonNode e, String where) {
        List<ZooModel.Input> inputs = new ArrayList<>();
        for (JsonNode in : field(e, "inputs", where)) {
            String name = field(in, "name", where + " input").asText();
            String dtype = field(in, "dtype", where + " input " + name).asText();
            long[] range = null;
            if (in.has("value_range")) {
                range =
                        longs(in.get("value_range"), where + " input " + name + " value_range")
                                .stream()
                                .mapToLong(Long::longValue)
                                .toArray();
                if (range.length != 2 || range[0] >= range[1]) {
                    throw new IllegalArgumentException(
                            where
                                    + " input "
                                    + name
                                    + ": value_range must be [low, high) with low < high");
                }
            } else if (!dtype.startsWith("float")) {
                throw new IllegalArgumentException(
                        where + " input " + name + ": a " + dtype + " input needs a value_range");
            }
            inputs.add(
                    new ZooModel.Input(
                            name,
                            longs(
                                    field(in, "shape", where + " input " + name),
                                    where + " input " + name + " shape"),
                            dtype,
                            range));
        }
        List<ZooModel.Axis> axes = new ArrayList<>();
        Map<String, String> symbolByLetter = new HashMap<>();
        for (JsonNode a : field(e, "dynamic_axes", where)) {
            String spec = where + " dynamic axis " + a.path("spec").asText("?");
            ZooModel.Axis axis =
                    new ZooModel.Axis(
                            field(a, "input", spec).asText(),
                            field(a, "axis", spec).asInt(),
                            field(a, "symbol", spec).asText(),
                            longs(field(a, "test_lengths", spec), spec + " test_lengths"));
            String other = symbolByLetter.putIfAbsent(axis.tractSymbol(), axis.symbol());
            if (other != null && !other.equals(axis.symbol())) {
                throw new IllegalArgumentException(
                        spec
                                + ": symbols '"
                                + other
                                + "' and '"
                                + axis.symbol()
                                + "' would both become tract symbol "
                                + axis.tractSymbol()
                                + "; rename one in generate_zoo.py");
            }
            if (inputs.stream().noneMatch(in -> in.name().equals(axis.input()))) {
                throw new IllegalArgumentException(
                        spec + ": no input named '" + axis.input() + "'");
            }
            axes.add(axis);
        }
        List<ZooModel.Check> checks = new ArrayList<>();
        for (JsonNode c : field(e, "checks", where)) {
            String at = where + " check " + c.path("lengths");
            Map<String, Long> lengths = new LinkedHashMap<>();
            field(c, "lengths", at)
                    .fields()
                    .forEachRemaining(f -> lengths.put(f.getKey(), f.getValue().asLong()));
            Map<String, List<Long>> shapes = new LinkedHashMap<>();
            for (ZooModel.Input in : inputs) {
                shapes.put(
                        in.name(),
                        longs(
                                field(field(c, "inputs", at), in.name(), at + " inputs"),
                                at + " input " + in.name()));
            }
            checks.add(new ZooModel.Check(lengths, shapes));
        }
        if (checks.isEmpty()) {
            throw new IllegalArgumentException(where + ": no checks");
        }
        List<String> outputs = strings(field(e, "outputs", where));
        SortedMap<String, Integer> ops = new TreeMap<>();
        field(e, "ops", where)
                .fields()
                .forEachRemaining(f -> ops.put(f.getKey(), f.getValue().asInt()));
        return new ZooModel(
                field(e, "name", where).asText(),
                field(e, "family", where).asText(),
                field(e, "description", where).asText(),
                dir.resolve(field(e, "file", where).asText()).toAbsolutePath().normalize(),
                field(e, "committed", where).asBoolean(),
                field(e, "parameter_count", where).asLong(),
                inputs,
                axes,
                outputs,
                checks,
                ops,
                strings(field(e, "recurrent_modules", where)),
                strings(field(e, "recurrent_module_ops", where)),
                null);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static JsonNode field(JsonNode node, String name, String where) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException(where + ": missing '" + name + "'");
        }
        return v;
    }

    private static List<Long> longs(JsonNode array, String where) {
        if (!array.isArray()) {
            throw new IllegalArgumentException(
                    where + ": expected an array of whole numbers, got " + array);
        }
        List<Long> out = new ArrayList<>();
        for (JsonNode n : array) {
            if (!n.canConvertToLong() || !n.isIntegralNumber()) {
                throw new IllegalArgumentException(where + ": '" + n + "' is not a whole number");
            }
            out.add(n.asLong());
        }
        return out;
    }
}
