package org.torch2nnef.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.graph.ValueType.TensorType;
import org.torch2nnef.torchscript.TorchDType;
import org.torch2nnef.torchscript.TorchScriptArchive;

/**
 * The inferred output shapes and dtypes of every sample equal those libtorch (through DJL) computes
 * running the same archive on inputs of the traced shapes; for samples declaring a dynamic axis,
 * the symbolic shapes evaluated at other lengths equal libtorch's at those lengths.
 */
class ShapeInferenceTorchTest {
    private static NDManager manager;

    @BeforeAll
    static void startEngine() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterAll
    static void stopEngine() {
        manager.close();
    }

    static Stream<Arguments> archives() {
        return SampleModels.archives();
    }

    /**
     * The standard ops plus a shape rule for {@code aten::cumsum}, which has no translator (so no
     * registration) but sits among misc_ops' ops, whose shapes are compared with libtorch's here.
     */
    private static final OpRegistry WITH_CUMSUM = withCumsum();

    private static OpRegistry withCumsum() {
        OpRegistry r = new OpRegistry();
        OpRegistry.STANDARD_FAMILIES.forEach(r::add);
        r.add(
                registry ->
                        registry.op(
                                        "aten::cumsum(Tensor self, int dim, *, ScalarType? dtype=None) -> Tensor")
                                .shape(n -> n.output(0, n.tensor(0))));
        return r;
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("archives")
    void outputsMatchLibtorch(String name, String layout, Path path) throws Exception {
        List<SampleModels.Input> inputs = SampleModels.inputs(name);
        try (TorchScriptArchive archive = TorchScriptArchive.open(path)) {
            TorchGraph graph = GraphBuilder.build(archive, WITH_CUMSUM.schemas());
            Map<String, TensorType> types = new LinkedHashMap<>();
            for (int i = 0; i < graph.inputs().size(); i++) {
                types.put(
                        graph.inputs().get(i).name(),
                        new TensorType(inputs.get(i).dtype(), Shape.of(inputs.get(i).shape())));
            }
            WITH_CUMSUM.shapeInference().run(graph, types);
            assertOutputs(graph, TorchRun.forward(manager, path, inputs), Map.of());
        }
    }

    /** Ops whose archive torch marks with format version 10 (see make_graph_fixtures.py). */
    @org.junit.jupiter.api.Test
    void upgradedOpsMatchLibtorch() throws Exception {
        Path path = GraphBuilderTest.fixture("upgraded_ops.pt");
        List<SampleModels.Input> inputs =
                List.of(
                        new SampleModels.Input(new long[] {2, 3, 5}, TorchDType.FLOAT32),
                        new SampleModels.Input(new long[] {2, 5}, TorchDType.INT64));
        try (TorchScriptArchive archive = TorchScriptArchive.open(path)) {
            // torch 1.13 writes only .data/version (10) for archives with upgraded op schemas
            org.junit.jupiter.api.Assertions.assertEquals(
                    10L, archive.formatVersion().orElseThrow());
            TorchGraph graph = GraphBuilder.build(archive, OpRegistry.standard().schemas());
            OpRegistry.standard()
                    .shapeInference()
                    .run(
                            graph,
                            Map.of(
                                    "x",
                                            new TensorType(
                                                    inputs.get(0).dtype(),
                                                    Shape.of(inputs.get(0).shape())),
                                    "tokens",
                                            new TensorType(
                                                    inputs.get(1).dtype(),
                                                    Shape.of(inputs.get(1).shape()))));
            assertOutputs(graph, TorchRun.forward(manager, path, inputs), Map.of());
        }
    }

    static Stream<Arguments> dynamicSamples() {
        return SampleModels.archives()
                .filter(a -> SampleModels.info((String) a.get()[0]).has("dynamic_axes"));
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("dynamicSamples")
    void symbolicShapesMatchLibtorchAtOtherLengths(String name, String layout, Path path)
            throws Exception {
        JsonNode info = SampleModels.info(name);
        List<SampleModels.Input> traced = SampleModels.inputs(name);
        try (TorchScriptArchive archive = TorchScriptArchive.open(path)) {
            TorchGraph graph = GraphBuilder.build(archive, OpRegistry.standard().schemas());
            Map<String, TensorType> types = new LinkedHashMap<>();
            for (int i = 0; i < graph.inputs().size(); i++) {
                String input = graph.inputs().get(i).name();
                List<Dim> dims = new ArrayList<>();
                JsonNode axes = info.get("dynamic_axes").get(input);
                for (int a = 0; a < traced.get(i).shape().length; a++) {
                    JsonNode symbol = axes == null ? null : axes.get(Integer.toString(a));
                    dims.add(
                            symbol == null
                                    ? Dim.of(traced.get(i).shape()[a])
                                    : Dim.symbol(symbol.asText()));
                }
                types.put(input, new TensorType(traced.get(i).dtype(), new Shape(dims)));
            }
            OpRegistry.standard().shapeInference().run(graph, types);
            assertFalse(
                    graph.outputs().stream()
                            .allMatch(o -> o.tensorType().orElseThrow().shape().isConcrete()),
                    "some output should depend on the dynamic axis");
            for (JsonNode length : info.get("dynamic_lengths")) {
                List<SampleModels.Input> inputs = new ArrayList<>();
                Map<String, Long> bindings = new LinkedHashMap<>();
                for (int i = 0; i < traced.size(); i++) {
                    long[] shape = traced.get(i).shape().clone();
                    Iterator<Map.Entry<String, JsonNode>> axes =
                            info.get("dynamic_axes").path(graph.inputs().get(i).name()).fields();
                    while (axes.hasNext()) {
                        Map.Entry<String, JsonNode> axis = axes.next();
                        shape[Integer.parseInt(axis.getKey())] = length.asLong();
                        bindings.put(axis.getValue().asText(), length.asLong());
                    }
                    inputs.add(new SampleModels.Input(shape, traced.get(i).dtype()));
                }
                assertOutputs(graph, TorchRun.forward(manager, path, inputs), bindings);
            }
        }
    }

    private static void assertOutputs(
            TorchGraph graph, List<TorchRun.Output> torch, Map<String, Long> bindings) {
        assertEquals(torch.size(), graph.outputs().size(), "number of outputs");
        for (int i = 0; i < torch.size(); i++) {
            Value out = graph.outputs().get(i);
            TensorType t = out.tensorType().orElseThrow();
            String what =
                    "output " + i + " (" + out.name() + ": " + t.describe() + ") at " + bindings;
            assertEquals(torch.get(i).dtype(), t.dtype(), what + " dtype");
            assertArrayEquals(torch.get(i).shape(), t.shape().eval(bindings), what + " shape");
        }
    }
}
