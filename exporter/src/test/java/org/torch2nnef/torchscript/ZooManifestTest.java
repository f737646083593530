package org.torch2nnef.torchscript;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sample model zoo (samples/zoo/zoo.json, written by samples/zoo/generate_zoo.py with torch):
 * every entry names an archive that exists with the recorded sha256, opens with {@link
 * TorchScriptArchive} holding the tensors torch counted, and runs through libtorch (DJL) at each
 * recorded check with the output shapes and dtypes torch recorded.
 *
 * <p>Archives not committed (torchvision models, in samples/zoo/cache/) exist only after the
 * generator ran: their absence fails the test under {@code CI=true} and skips it, with a message,
 * elsewhere.
 */
class ZooManifestTest {
    private static final Path ZOO = Path.of("..", "samples", "zoo").toAbsolutePath().normalize();
    private static final String REGENERATE = "run /usr/bin/python3 samples/zoo/generate_zoo.py";
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern AXIS_SPEC =
            Pattern.compile("([a-z][a-z0-9_]*):(\\d+)=([a-z][a-z0-9_]*)");
    private static NDManager manager;

    @BeforeAll
    static void startEngine() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterAll
    static void stopEngine() {
        manager.close();
    }

    static JsonNode manifest() {
        try {
            return new ObjectMapper().readTree(ZOO.resolve("zoo.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ZOO.resolve("zoo.json"), e);
        }
    }

    static Stream<Arguments> entries() {
        return StreamSupport.stream(manifest().get("models").spliterator(), false)
                .map(m -> Arguments.of(m.get("name").asText(), m));
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    @Test
    void namesAndDynamicAxesAreWellFormed() {
        Set<String> names = new HashSet<>();
        for (JsonNode m : list(manifest().get("models"))) {
            String name = m.get("name").asText();
            assertTrue(IDENTIFIER.matcher(name).matches(), "model name " + name);
            assertTrue(names.add(name), "duplicate model name " + name);
            Map<String, Integer> ranks = new HashMap<>();
            for (JsonNode in : list(m.get("inputs"))) {
                assertTrue(
                        IDENTIFIER.matcher(in.get("name").asText()).matches(),
                        name + " input " + in);
                ranks.put(in.get("name").asText(), in.get("shape").size());
            }
            m.get("outputs")
                    .forEach(
                            o ->
                                    assertTrue(
                                            IDENTIFIER.matcher(o.asText()).matches(),
                                            name + " output " + o));
            for (JsonNode axis : list(m.get("dynamic_axes"))) {
                Matcher spec = AXIS_SPEC.matcher(axis.get("spec").asText());
                assertTrue(
                        spec.matches(),
                        name + ": dynamic axis " + axis.get("spec") + " is not NAME:AXIS=SYMBOL");
                Integer rank = ranks.get(spec.group(1));
                assertTrue(
                        rank != null && Integer.parseInt(spec.group(2)) < rank,
                        name + ": " + axis.get("spec"));
                JsonNode lengths = axis.get("test_lengths");
                assertEquals(2, lengths.size(), name + ": two test lengths");
                assertNotEquals(
                        lengths.get(0).asLong(),
                        lengths.get(1).asLong(),
                        name + ": distinct test lengths");
            }
            assertEquals(
                    m.get("dynamic_axes").isEmpty() ? 1 : 2,
                    m.get("checks").size(),
                    name + " checks");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void archiveLoadsAndRunsAsTorchRecorded(String name, JsonNode entry) throws Exception {
        Path path = ZOO.resolve(entry.get("file").asText());
        if (!Files.exists(path)) {
            String message =
                    "zoo.json entry " + name + ": " + path + " was not generated; " + REGENERATE;
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message);
            }
            System.err.println("SKIPPED " + message);
            Assumptions.abort(message);
        }
        assertEquals(
                entry.get("sha256").asText(),
                sha256(path),
                "zoo.json entry " + name + ": " + path + " is stale; " + REGENERATE);

        try (TorchScriptArchive archive = TorchScriptArchive.open(path)) {
            Map<String, TorchTensor> tensors = archive.root().namedTensors();
            assertEquals(
                    entry.get("state_tensors").asInt(),
                    tensors.size(),
                    name + ": parameters + buffers");
            long elements = tensors.values().stream().mapToLong(TorchTensor::numel).sum();
            assertEquals(
                    entry.get("state_elements").asLong(),
                    elements,
                    name + ": elements of parameters + buffers");
        }

        try (NDManager m = manager.newSubManager()) {
            PtSymbolBlock block =
                    JniUtils.loadModule(
                            (PtNDManager) m, path, true, new String[0], new String[0], false);
            try {
                for (JsonNode check : list(entry.get("checks"))) {
                    runCheck(name, entry, check, block, (PtNDManager) m);
                }
            } finally {
                block.close();
            }
        }
    }

    private static void runCheck(
            String name, JsonNode entry, JsonNode check, PtSymbolBlock block, PtNDManager m) {
        String where = name + " at " + check.get("lengths");
        Random random = new Random(name.hashCode());
        List<JsonNode> inputs = list(entry.get("inputs"));
        IValue[] args = new IValue[inputs.size()];
        for (int i = 0; i < args.length; i++) {
            JsonNode in = inputs.get(i);
            args[i] =
                    IValue.from(
                            input(in, check.get("inputs").get(in.get("name").asText()), random, m));
        }
        List<PtNDArray> outputs = new ArrayList<>();
        try (IValue result = IValueUtils.forward(block, args)) {
            flatten(result, m, outputs);
        } finally {
            for (IValue a : args) {
                a.close();
            }
        }
        List<JsonNode> expected = list(check.get("outputs"));
        assertEquals(expected.size(), outputs.size(), where + ": output count");
        for (int i = 0; i < expected.size(); i++) {
            JsonNode e = expected.get(i);
            String output = where + ", output " + e.get("name").asText();
            assertArrayEquals(
                    Samples.longs(e.get("shape")),
                    outputs.get(i).getShape().getShape(),
                    output + " shape");
            assertEquals(
                    dataType(e.get("dtype").asText()),
                    outputs.get(i).getDataType(),
                    output + " dtype");
        }
    }

    /**
     * Values do not matter for shapes, but integer inputs (token ids) must stay in their declared
     * range.
     */
    private static PtNDArray input(JsonNode in, JsonNode shapeNode, Random random, PtNDManager m) {
        long[] dims = Samples.longs(shapeNode);
        Shape shape = new Shape(dims);
        int size = Math.toIntExact(shape.size());
        String dtype = in.get("dtype").asText();
        switch (dtype) {
            case "float32" -> {
                float[] v = new float[size];
                for (int i = 0; i < size; i++) {
                    v[i] = (float) random.nextGaussian();
                }
                return (PtNDArray) m.create(v, shape);
            }
            case "int64" -> {
                JsonNode range = in.get("value_range");
                long[] v = new long[size];
                for (int i = 0; i < size; i++) {
                    v[i] = random.nextLong(range.get(0).asLong(), range.get(1).asLong());
                }
                return (PtNDArray) m.create(v, shape);
            }
            default ->
                    throw new IllegalArgumentException(
                            "zoo input " + in.get("name") + ": unsupported dtype " + dtype);
        }
    }

    /** Tuple outputs (y, h, c) arrive in forward's return order; nested tuples depth-first. */
    private static void flatten(IValue value, PtNDManager m, List<PtNDArray> out) {
        if (value.isTensor()) {
            out.add(value.toTensor(m));
        } else if (value.isTuple()) {
            for (IValue item : value.toIValueTuple()) {
                try (item) {
                    flatten(item, m, out);
                }
            }
        } else {
            fail(
                    "zoo model returned "
                            + value.getType()
                            + ", expected tensors and tuples of tensors");
        }
    }

    private static DataType dataType(String torchName) {
        return switch (torchName) {
            case "float32" -> DataType.FLOAT32;
            case "float64" -> DataType.FLOAT64;
            case "int64" -> DataType.INT64;
            case "bool" -> DataType.BOOLEAN;
            default -> throw new IllegalArgumentException("zoo output dtype " + torchName);
        };
    }

    private static String sha256(Path path) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(path), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
