package org.torch2nnef.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.graph.OutputStructure.Group;
import org.torch2nnef.graph.OutputStructure.Single;
import org.torch2nnef.torchscript.ScriptObject;
import org.torch2nnef.torchscript.TorchScriptArchive;
import org.torch2nnef.torchscript.TorchTensor;
import org.torch2nnef.torchscript.code.TorchScriptSyntaxException;

/**
 * The graph built from traced samples: inlining, scopes, schema order, values, source lines,
 * errors.
 */
class GraphBuilderTest {

    private static TorchGraph build(TorchScriptArchive archive) {
        return GraphBuilder.build(archive, OpRegistry.standard().schemas());
    }

    private static TorchScriptArchive sample(String name) throws IOException {
        return TorchScriptArchive.open(SampleModels.dir().resolve(name + ".pt"));
    }

    static Path fixture(String name) throws URISyntaxException {
        return Path.of(GraphBuilderTest.class.getResource(name).toURI());
    }

    private static Node only(TorchGraph g, String kind) {
        List<Node> found = g.nodes().stream().filter(n -> n.kind().equals(kind)).toList();
        assertEquals(1, found.size(), "nodes of kind " + kind);
        return found.get(0);
    }

    @Test
    void nestedModulesKeepTheirPathsAndUnmangledClasses() throws Exception {
        try (TorchScriptArchive a = sample("nested")) {
            TorchGraph g = build(a);
            assertEquals(
                    List.of(
                            "aten::linear",
                            "aten::relu",
                            "aten::linear",
                            "aten::batch_norm",
                            "aten::tanh",
                            "aten::linear",
                            "aten::sigmoid"),
                    g.nodes().stream().map(Node::kind).toList());
            Node bn = only(g, "aten::batch_norm");
            assertEquals("encoder.layers.1.1", bn.scope().path());
            assertEquals("torch.nn.modules.batchnorm.BatchNorm1d", bn.scope().torchClass());
            assertTrue(
                    bn.scope()
                            .qualifiedClass()
                            .matches(
                                    "__torch__\\.torch\\.nn\\.modules\\.batchnorm\\.___torch_mangle_\\d+\\.BatchNorm1d"),
                    bn.scope().qualifiedClass());
            assertEquals(Value.Origin.PARAMETER, bn.input("weight").orElseThrow().origin());
            Value mean = bn.input("running_mean").orElseThrow();
            assertEquals(Value.Origin.BUFFER, mean.origin());
            assertEquals("encoder.layers.1.1.running_mean", mean.stateName().orElseThrow());
            assertTrue(g.parameter("decoder.0.weight").isPresent());

            List<String> calls = new ArrayList<>();
            g.rootCall()
                    .forEachCall(c -> calls.add(c.scope().path() + "=" + c.scope().torchClass()));
            assertEquals(
                    List.of(
                            "=Nested",
                            "encoder=Encoder",
                            "encoder.layers=torch.nn.modules.container.Sequential",
                            "encoder.layers.0=torch.nn.modules.container.Sequential",
                            "encoder.layers.0.0=torch.nn.modules.linear.Linear",
                            "encoder.layers.0.1=torch.nn.modules.activation.ReLU",
                            "encoder.layers.1=torch.nn.modules.container.Sequential",
                            "encoder.layers.1.0=torch.nn.modules.linear.Linear",
                            "encoder.layers.1.1=torch.nn.modules.batchnorm.BatchNorm1d",
                            "encoder.layers.1.2=torch.nn.modules.activation.Tanh",
                            "decoder=torch.nn.modules.container.Sequential",
                            "decoder.0=torch.nn.modules.linear.Linear",
                            "decoder.1=torch.nn.modules.activation.Sigmoid"),
                    calls);
            ModuleCall encoder = g.rootCall().children().get(0);
            assertEquals(g.inputs(), encoder.inputs());
            assertEquals(List.of(only(g, "aten::tanh").output(0)), encoder.outputs());
            assertEquals(g.nodes().subList(0, 5), encoder.allNodes());
            assertTrue(encoder.nodes().isEmpty(), "Encoder's own code makes no node");
        }
    }

    @Test
    void opsAreNormalisedAndInputsFollowTheSchema() throws Exception {
        try (TorchScriptArchive a = sample("lstm")) {
            TorchGraph g = build(a);
            assertEquals(
                    List.of(
                            "aten::size",
                            "prim::NumToTensor",
                            "aten::Int",
                            "aten::Int",
                            "prim::ListConstruct",
                            "aten::zeros",
                            "prim::ListConstruct",
                            "aten::zeros",
                            "prim::ListConstruct",
                            "prim::ListConstruct",
                            "aten::lstm",
                            "aten::slice",
                            "aten::select",
                            "aten::linear"),
                    g.nodes().stream().map(Node::kind).toList());
            Node zeros = g.nodes().get(5);
            assertEquals("torch.zeros", zeros.codeName());
            assertEquals(
                    List.of("size", "dtype", "layout", "device", "pin_memory"), zeros.argNames());
            assertEquals(Dim.of(6), zeros.input("dtype").orElseThrow().known().orElseThrow());
            assertTrue(zeros.input("layout").orElseThrow().isNone());
            assertEquals(
                    new Value.Device("cpu"),
                    zeros.input("device").orElseThrow().known().orElseThrow());
            Node lstm = only(g, "aten::lstm");
            assertEquals("aten::lstm.input", lstm.schema().orElseThrow().qualifiedName());
            assertEquals(
                    List.of("out", "_3", "_4"), lstm.outputs().stream().map(Value::name).toList());
            // slice(out, 0, 0, INT64_MAX): the step default 1 is filled in from the schema
            Node slice = only(g, "aten::slice");
            assertEquals(List.of("self", "dim", "start", "end", "step"), slice.argNames());
            assertEquals(Dim.of(1), slice.input("step").orElseThrow().known().orElseThrow());
        }
        try (TorchScriptArchive a = sample("strided_views")) {
            Node sum = build(a).nodes().get(1);
            assertEquals("aten::sum", sum.kind());
            assertEquals(
                    "sum.dim_IntList", sum.schema().orElseThrow().qualifiedName().substring(6));
            assertEquals(
                    List.of(Dim.of(1)), sum.input("dim").orElseThrow().knownList().orElseThrow());
            assertEquals(Boolean.TRUE, sum.input("keepdim").orElseThrow().known().orElseThrow());
            assertTrue(sum.input("dtype").orElseThrow().isNone());
        }
    }

    @Test
    void unpackingTuplesAndNestedOutputs() throws Exception {
        try (TorchScriptArchive a = sample("shape_ops")) {
            TorchGraph g = build(a);
            assertEquals(List.of("x", "y"), g.inputs().stream().map(Value::name).toList());
            Node chunk = only(g, "aten::chunk");
            Node unpack = chunk.output(0).producer().orElseThrow();
            assertEquals(chunk, unpack);
            Node chunkUnpack = g.nodes().get(g.nodes().indexOf(chunk) + 1);
            assertEquals("prim::ListUnpack", chunkUnpack.kind());
            assertEquals(
                    List.of("a", "b"), chunkUnpack.outputs().stream().map(Value::name).toList());
            Node view = only(g, "aten::view");
            Node sizeList = view.input("size").orElseThrow().producer().orElseThrow();
            assertEquals("prim::ListConstruct", sizeList.kind());
            assertEquals("aten::Int", sizeList.input(0).producer().orElseThrow().kind());
            assertEquals(10, g.outputs().size());
            OutputStructure s = g.outputStructure();
            Group top = assertInstanceOf(Group.class, s);
            assertEquals(9, top.elements().size());
            assertEquals(
                    new Group(OutputStructure.Kind.TUPLE, List.of(new Single(1), new Single(2))),
                    top.elements().get(1));
            assertEquals(new Single(9), top.elements().get(8));
        }
    }

    @Test
    void constantsParametersAndOpaqueObjects() throws Exception {
        try (TorchScriptArchive a = sample("traced_constants")) {
            TorchGraph g = build(a);
            Value c0 = g.value("CONSTANTS.c0").orElseThrow();
            assertEquals(Value.Origin.CONSTANT, c0.origin());
            assertEquals(a.constant(0), c0.knownTensor().orElseThrow());
            assertTrue(g.parameters().contains(c0));
            assertEquals(Value.Origin.PARAMETER, g.parameter("fc.weight").orElseThrow().origin());
        }
        try (TorchScriptArchive a = sample("dynamic_quant_linear")) {
            TorchGraph g = build(a);
            Value packed = only(g, "quantized::linear_dynamic").input(1);
            assertEquals(Value.Origin.OBJECT, packed.origin());
            assertEquals("0._packed_params._packed_params", packed.stateName().orElseThrow());
            assertInstanceOf(ScriptObject.class, packed.known().orElseThrow());
        }
        try (TorchScriptArchive a = sample("scripted_attributes")) {
            // list, dict, float and int attributes of a scripted submodule become literals
            List<Object> literals = new ArrayList<>();
            for (Node n : build(a).nodes()) {
                literals.add(
                        n.input(1)
                                .known()
                                .map(k -> k instanceof TorchTensor ? "tensor" : k)
                                .orElse("?"));
            }
            assertEquals(List.of("tensor", 0.5, Dim.of(3), 1.5, Dim.of(7)), literals);
        }
    }

    @Test
    void sourceLinesPointAtTheUsersCode() throws Exception {
        List<String> lines =
                Files.readAllLines(SampleModels.dir().resolve("../graph_models.py").normalize());
        int chunkLine = lines.indexOf("        a, b = x.chunk(2, dim=1)") + 1;
        int viewLine = lines.indexOf("        flat = z.view(z.size(0), -1)") + 1;
        assertTrue(chunkLine > 0 && viewLine > 0);
        try (TorchScriptArchive a = sample("shape_ops")) {
            TorchGraph g = build(a);
            SourceLocation chunk = only(g, "aten::chunk").location();
            assertEquals("code/__torch__/graph_models.py", chunk.code().file());
            assertEquals(9, chunk.code().line());
            assertTrue(
                    chunk.original().orElseThrow().file().endsWith("samples/graph_models.py"),
                    chunk.original().toString());
            assertEquals(chunkLine, chunk.original().orElseThrow().line());
            assertEquals(
                    viewLine, only(g, "aten::view").location().original().orElseThrow().line());
        }
        try (TorchScriptArchive a = sample("sequence")) {
            // the conv node's innermost frames are torch's conv.py and module.py; the user's line
            // wins
            int convLine =
                    lines.indexOf(
                                    "        c = F.relu(self.conv(x))                       # [2, 6, (T-1)//2+1]")
                            + 1;
            Node conv = only(build(a), "aten::_convolution");
            assertEquals("conv", conv.scope().path());
            assertEquals(convLine, conv.location().original().orElseThrow().line());
        }
    }

    @Test
    void scriptedControlFlowIsRefusedWithTheParsersMessage() throws Exception {
        try (TorchScriptArchive a = TorchScriptArchive.open(fixture("scripted_if.pt"))) {
            GraphBuildException e = assertThrows(GraphBuildException.class, () -> build(a));
            TorchScriptSyntaxException cause =
                    assertInstanceOf(TorchScriptSyntaxException.class, e.getCause());
            assertTrue(cause.scripted());
            assertTrue(
                    e.getMessage()
                            .startsWith(
                                    "code/__torch__.py:"
                                            + cause.pos().line()
                                            + ": found control flow ('if')"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("torch.jit.trace"), e.getMessage());
            assertTrue(e.getMessage().endsWith("[module <root> (ScriptedIf)]"), e.getMessage());
        }
    }

    @Test
    void unsupportedConstructsNameTheLineAndModule() throws Exception {
        try (TorchScriptArchive a = TorchScriptArchive.open(fixture("dict_literal.pt"))) {
            GraphBuildException e = assertThrows(GraphBuildException.class, () -> build(a));
            String m = e.getMessage();
            // the code line of the dict (torch records no original line for this scripted range)
            List<String> code =
                    new String(
                                    a.readCodeFile("code/__torch__.py").orElseThrow(),
                                    StandardCharsets.UTF_8)
                            .lines()
                            .toList();
            int dictLine = 1 + code.indexOf("    d = {\"a\": x, \"b\": torch.mul(x, 2)}");
            assertTrue(m.startsWith("code/__torch__.py:" + dictLine + ":9"), m);
            assertTrue(m.contains(": a dict built in the code is not supported"), m);
            assertTrue(m.endsWith("[module user (DictUser)]"), m);
            assertEquals("user", e.modulePath());
            assertEquals("code/__torch__.py", e.pos().orElseThrow().file());
        }
    }

    @Test
    void valuesHaveUniqueNames() throws Exception {
        for (String name : SampleModels.names()) {
            try (TorchScriptArchive a = sample(name)) {
                TorchGraph g = build(a);
                Set<String> names = new HashSet<>();
                g.inputs().forEach(v -> assertTrue(names.add(v.name()), v.name()));
                g.parameters().forEach(v -> assertTrue(names.add(v.name()), v.name()));
                for (Node n : g.nodes()) {
                    n.outputs()
                            .forEach(v -> assertTrue(names.add(v.name()), name + ": " + v.name()));
                }
            }
        }
    }
}
