package org.torch2nnef.torchscript;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Tensor metadata, layouts, constants, classes, code and debug info against what torch wrote. */
class ArchiveStructureTest {

    static Stream<Arguments> archives() {
        return Samples.archives();
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("archives")
    void tensorMetadataAndValuesMatchTorch(String name, String layout, Path path) throws Exception {
        JsonNode info = Samples.info(name);
        try (TorchScriptArchive archive = TorchScriptArchive.open(path)) {
            for (String kind : List.of("parameters", "buffers")) {
                for (JsonNode expected : info.get(kind)) {
                    String tensorName = expected.get("name").asText();
                    TorchTensor t = archive.root().findTensor(tensorName).orElseThrow();
                    assertTensor(tensorName, expected, t);
                }
            }
        }
    }

    /** Checks dtype, view, requires_grad, quantization and (for small tensors) values. */
    private static void assertTensor(String name, JsonNode expected, TorchTensor t)
            throws Exception {
        assertEquals(expected.get("dtype").asText(), t.dtype().torchName(), name);
        assertArrayEquals(Samples.longs(expected.get("shape")), t.shape(), name + " shape");
        assertArrayEquals(Samples.longs(expected.get("stride")), t.strides(), name + " stride");
        assertEquals(expected.get("storage_offset").asLong(), t.storageOffset(), name + " offset");
        assertEquals(
                expected.get("requires_grad").asBoolean(),
                t.requiresGrad(),
                name + " requires_grad");
        if (expected.has("q_scale")) {
            Quantization q = t.quantization().orElseThrow();
            assertEquals(QScheme.PER_TENSOR_AFFINE, q.scheme());
            assertEquals(expected.get("q_scale").asDouble(), q.scale(), 0.0, name);
            assertEquals(expected.get("q_zero_point").asLong(), q.zeroPoint(), name);
        } else if (expected.has("q_per_channel_axis")) {
            Quantization q = t.quantization().orElseThrow();
            assertEquals(QScheme.PER_CHANNEL_AFFINE, q.scheme());
            assertEquals(expected.get("q_per_channel_axis").asInt(), q.axis());
            assertArrayEquals(
                    Samples.doubles(expected.get("q_per_channel_scales")),
                    q.channelScales().toDoubleArray(),
                    0.0,
                    name);
            assertArrayEquals(
                    Samples.longs(expected.get("q_per_channel_zero_points")),
                    q.channelZeroPoints().toLongArray(),
                    name);
        } else {
            assertFalse(t.quantization().isPresent(), name);
        }
        if (expected.has("values")) {
            assertValues(name, expected.get("values"), t);
        }
    }

    private static void assertValues(String name, JsonNode values, TorchTensor t) throws Exception {
        if (t.dtype().isFloatingPoint()) {
            double[] expected = Samples.doubles(values);
            double[] actual = t.toDoubleArray();
            float[] asFloats = t.toFloatArray();
            assertEquals(expected.length, actual.length, name);
            for (int i = 0; i < expected.length; i++) {
                // exact: every stored value is representable in double; NaN compares as NaN
                assertEquals(
                        Double.doubleToLongBits(expected[i]),
                        Double.doubleToLongBits(actual[i]),
                        name + "[" + i + "]");
                assertEquals((float) expected[i], asFloats[i], 0.0f, name + "[" + i + "]");
            }
        } else {
            assertArrayEquals(Samples.longs(values), t.toLongArray(), name);
        }
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("archives")
    void layoutAndVersions(String name, String layout, Path path) throws Exception {
        try (TorchScriptArchive archive = TorchScriptArchive.open(path)) {
            assertEquals(
                    3L,
                    archive.formatVersion().orElseThrow(),
                    "torch 1.13 and libtorch 2.7 write version 3");
            assertFalse(archive.isBigEndian());
            if (layout.equals("torch1")) {
                assertEquals(
                        name + "/",
                        archive.prefix(),
                        "torch 1.x prefixes entries with the file stem");
                assertFalse(archive.hasByteOrderEntry());
                assertFalse(archive.serializationId().isPresent());
            } else {
                assertEquals("archive/", archive.prefix());
                assertTrue(archive.hasByteOrderEntry());
                assertTrue(archive.serializationId().isPresent());
            }
        }
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("archives")
    void everyModuleClassHasItsCode(String name, String layout, Path path) throws Exception {
        try (TorchScriptArchive archive = TorchScriptArchive.open(path)) {
            List<ScriptObject> objects = new ArrayList<>();
            collect(archive.root(), objects);
            for (ScriptObject o : objects) {
                String source =
                        archive.source(o.codeModule())
                                .orElseThrow(() -> new AssertionError(o.codeModule()));
                if (!o.isCustomClass()) {
                    assertTrue(
                            source.contains("class " + o.simpleClassName() + "("),
                            o.qualifiedClassName());
                }
                assertTrue(archive.sourceModules().contains(o.codeModule()), o.codeModule());
            }
        }
    }

    private static void collect(ScriptObject o, List<ScriptObject> out) {
        out.add(o);
        for (Object v : o.attributes().values()) {
            if (v instanceof ScriptObject child) {
                collect(child, out);
            }
        }
    }

    @Test
    void nestedModulePathsAndMangledClassNames() throws Exception {
        try (TorchScriptArchive archive = TorchScriptArchive.open(Samples.torch1("nested"))) {
            ScriptObject root = archive.root();
            assertEquals("__torch__.Nested", root.qualifiedClassName());
            assertEquals("Nested", root.torchClassName());
            ScriptObject inner = root.findObject("encoder.layers.1").orElseThrow();
            // generate.py: encoder.layers.1 is an nn.Sequential whose layout differs from layers.0,
            // so TorchScript had to mangle its class name
            assertTrue(
                    inner.qualifiedClassName()
                            .matches(
                                    "__torch__\\.torch\\.nn\\.modules\\.container\\.___torch_mangle_\\d+\\.Sequential"),
                    inner.qualifiedClassName());
            assertEquals("torch.nn.modules.container.Sequential", inner.torchClassName());
            assertEquals(
                    "torch.nn.modules.batchnorm.BatchNorm1d",
                    root.findObject("encoder.layers.1.1").orElseThrow().torchClassName());
            JsonNode info = Samples.info("nested");
            List<String> expected = new ArrayList<>();
            info.get("parameters").forEach(p -> expected.add(p.get("name").asText()));
            info.get("buffers").forEach(p -> expected.add(p.get("name").asText()));
            assertEquals(
                    expected.stream().sorted().toList(),
                    root.namedTensors().keySet().stream().sorted().toList());
        }
    }

    @Test
    void viewsShareOneStorage() throws Exception {
        // generate.py builds a, b and every_other as views of one tensor `shared`
        try (TorchScriptArchive archive =
                TorchScriptArchive.open(Samples.torch1("strided_views"))) {
            ScriptObject root = archive.root();
            TensorStorage a = root.findTensor("a").orElseThrow().storage();
            assertSame(a, root.findTensor("b").orElseThrow().storage());
            assertSame(a, root.findTensor("every_other").orElseThrow().storage());
            assertEquals(30, a.elementCount());
            assertFalse(root.findTensor("weight_t").orElseThrow().isContiguous());
            assertTrue(root.findTensor("a").orElseThrow().isContiguous());
            // strided views have no verbatim bytes in the file; contiguous ones read back as
            // toByteArray
            assertTrue(root.findTensor("weight_t").orElseThrow().archiveSlice().isEmpty());
            assertTrue(root.findTensor("every_other").orElseThrow().archiveSlice().isEmpty());
            assertTrue(root.findTensor("b").orElseThrow().archiveSlice().isEmpty());
            TorchTensor offsetView =
                    root.findTensor("a").orElseThrow(); // starts at element 2 of the storage
            assertArrayEquals(
                    offsetView.toByteArray(), sliceBytes(offsetView.archiveSlice().orElseThrow()));
        }
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("archives")
    void archiveSlicesHoldExactlyTheStreamedBytes(String name, String layout, Path path)
            throws Exception {
        try (TorchScriptArchive archive = TorchScriptArchive.open(path)) {
            for (JsonNode expected : Samples.info(name).get("parameters")) {
                TorchTensor t =
                        archive.root().findTensor(expected.get("name").asText()).orElseThrow();
                if (t.archiveSlice().isPresent()) {
                    assertArrayEquals(
                            t.toByteArray(),
                            sliceBytes(t.archiveSlice().get()),
                            expected.toString());
                } else {
                    assertFalse(
                            t.isContiguous() && !t.storage().isBigEndian(),
                            t + " is contiguous: it has a slice");
                }
            }
        }
    }

    private static byte[] sliceBytes(ArchiveSlice slice) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) slice.length());
        while (b.hasRemaining() && slice.channel().read(b, slice.position() + b.position()) > 0) {
            // positional reads until the slice is read
        }
        return b.array();
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("archives")
    void constantsMatchTorch(String name, String layout, Path path) throws Exception {
        JsonNode constants = Samples.info(name).get("constants");
        try (TorchScriptArchive archive = TorchScriptArchive.open(path)) {
            if (constants == null) {
                assertTrue(archive.constants().isEmpty());
                return;
            }
            assertEquals(constants.size(), archive.constants().size());
            for (Iterator<Map.Entry<String, JsonNode>> it = constants.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                int index = Integer.parseInt(e.getKey().substring(1));
                TorchTensor t = assertInstanceOf(TorchTensor.class, archive.constant(index));
                assertEquals(e.getValue().get("dtype").asText(), t.dtype().torchName());
                assertArrayEquals(Samples.longs(e.getValue().get("shape")), t.shape());
                assertValues(e.getKey(), e.getValue().get("values"), t);
                assertTrue(t.storage().entryName().startsWith(archive.prefix() + "constants/"));
            }
        }
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("dynamicQuant")
    void packedQuantizedParamsAreReadFromCustomClassState(String name, String layout, Path path)
            throws Exception {
        JsonNode packed = Samples.info("dynamic_quant_linear").get("packed_params").get(0);
        try (TorchScriptArchive archive = TorchScriptArchive.open(path)) {
            ScriptObject linear =
                    archive.root().findObject(packed.get("module").asText()).orElseThrow();
            ScriptObject base = linear.findObject("_packed_params._packed_params").orElseThrow();
            assertTrue(base.isCustomClass(), base.qualifiedClassName());
            assertEquals("torch.classes.quantized.LinearPackedParamsBase", base.torchClassName());
            List<?> state = assertInstanceOf(List.class, base.state().orElseThrow());
            TorchTensor weight = assertInstanceOf(TorchTensor.class, state.get(0));
            JsonNode w = packed.get("weight");
            assertTensor("weight", w, weight);
            assertArrayEquals(Samples.longs(packed.get("weight_int_repr")), weight.toLongArray());
            TorchTensor bias = assertInstanceOf(TorchTensor.class, state.get(1));
            assertValues("bias", packed.get("bias"), bias);
        }
    }

    static Stream<Arguments> dynamicQuant() {
        return archives().filter(a -> a.get()[0].equals("dynamic_quant_linear"));
    }

    static Stream<Arguments> tracedConstants() {
        return archives().filter(a -> a.get()[0].equals("traced_constants"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("tracedConstants")
    void debugInfoPointsAtGenerateDotPy(String name, String layout, Path path) throws Exception {
        List<String> generator =
                Files.readAllLines(Samples.modelsDir().resolveSibling("generate.py"));
        int userLine = 1 + indexOf(generator, "scale = torch.tensor(");
        try (TorchScriptArchive archive = TorchScriptArchive.open(path)) {
            String code = archive.source("__torch__").orElseThrow();
            List<String> codeLines = code.lines().toList();
            int codeLine = 1 + indexOf(codeLines, "CONSTANTS.c0");
            DebugInfo debug = archive.debugInfo("__torch__").orElseThrow();
            assertEquals("code/__torch__.py", debug.codeFile());
            assertSame(
                    debug,
                    archive.debugInfoOfCodeFile("code/__torch__.py").orElseThrow(),
                    "decoded once");
            OriginalSource origin = debug.locateLine(codeLine).orElseThrow();
            assertTrue(origin.file().endsWith("samples/generate.py"), origin.file());
            assertEquals(userLine, origin.line(), origin.text());
            assertEquals("forward", origin.frames().get(0).function());
            int byteOffset =
                    code.substring(0, code.indexOf("CONSTANTS.c0"))
                            .getBytes(StandardCharsets.UTF_8)
                            .length;
            assertEquals(origin, debug.locate(byteOffset).orElseThrow());
            assertFalse(debug.locate(0).isPresent(), "the class header has no recorded origin");
        }
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("archives")
    void everyDebugPklDecodes(String name, String layout, Path path) throws Exception {
        try (TorchScriptArchive archive = TorchScriptArchive.open(path)) {
            int userFrames = 0;
            for (String module : archive.sourceModules()) {
                DebugInfo debug =
                        archive.debugInfo(module).orElseThrow(() -> new AssertionError(module));
                for (OriginalSource s : debug.sources()) {
                    assertTrue(s.line() > 0 && !s.file().isEmpty(), s.toString());
                    List<OriginalSource.Frame> frames = s.frames();
                    if (frames.isEmpty()) {
                        // scripted code (scripted_attributes' Inner, dynamic_quant_linear's
                        // LinearPackedParams): the text is the expression, the file its Python
                        // source
                        assertTrue(s.file().endsWith(".py") && !s.text().isBlank(), s.toString());
                        userFrames += s.file().endsWith("samples/generate.py") ? 1 : 0;
                        continue;
                    }
                    // traced code: the innermost frame is the recorded file and line
                    assertEquals(
                            new OriginalSource.Frame(s.file(), s.line(), frames.get(0).function()),
                            frames.get(0));
                    userFrames +=
                            frames.stream()
                                    .filter(f -> f.file().endsWith("samples/generate.py"))
                                    .count();
                }
            }
            assertTrue(userFrames > 0, "some code comes from, or was traced through, generate.py");
        }
    }

    private static int indexOf(List<String> lines, String needle) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(needle)) {
                return i;
            }
        }
        throw new AssertionError("no line contains " + needle);
    }

    @Test
    void codeFilesByPathAndByModule() throws Exception {
        try (TorchScriptArchive archive =
                TorchScriptArchive.open(Samples.torch2("conv_relu_linear"))) {
            String viaModule = archive.source("__torch__.torch.nn.modules.conv").orElseThrow();
            byte[] viaPath =
                    archive.readCodeFile("code/__torch__/torch/nn/modules/conv.py").orElseThrow();
            assertEquals(viaModule, new String(viaPath, StandardCharsets.UTF_8));
            assertTrue(viaModule.contains("class Conv1d(Module):"), viaModule);
            assertFalse(archive.readCodeFile("code/__torch__/nothing.py").isPresent());
            assertFalse(archive.source("__torch__.nothing").isPresent());
            org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> archive.readCodeFile("data.pkl"));
        }
    }

    static Stream<Arguments> scriptedAttributes() {
        return archives().filter(a -> a.get()[0].equals("scripted_attributes"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("scriptedAttributes")
    void scriptedSubmoduleAttributesMatchTorch(String name, String layout, Path path)
            throws Exception {
        JsonNode expected = Samples.info(name).get("attributes");
        com.fasterxml.jackson.databind.ObjectMapper json =
                new com.fasterxml.jackson.databind.ObjectMapper();
        try (TorchScriptArchive archive = TorchScriptArchive.open(path)) {
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Object actual =
                        archive.root()
                                .find(e.getKey())
                                .orElseThrow(() -> new AssertionError(e.getKey()));
                // JSON ints read as Integer, pickled ints as Long: compare as JSON text
                assertEquals(
                        json.writeValueAsString(e.getValue()),
                        json.writeValueAsString(actual),
                        e.getKey());
            }
            assertInstanceOf(Long.class, archive.root().find("inner.count").orElseThrow());
            assertInstanceOf(Double.class, archive.root().find("inner.factor").orElseThrow());
        }
    }

    @Test
    void unmangleKeepsUserClassesAndDropsMangling() {
        assertEquals(
                "torch.nn.modules.conv.Conv1d",
                ScriptObject.unmangle("__torch__.torch.nn.modules.conv.___torch_mangle_3.Conv1d"));
        assertEquals(
                "torch.nn.modules.conv.Conv1d",
                ScriptObject.unmangle("__torch__.torch.nn.modules.conv.Conv1d"));
        assertEquals("Nested", ScriptObject.unmangle("__torch__.Nested"));
        assertNotNull(ScriptObject.unmangle("plain.Name"));
    }
}
