package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.torch2nnef.export.TranslationTesting.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.ModuleCall;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.OutputStructure;
import org.torch2nnef.graph.TorchGraph;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType;

/**
 * Lists of tensors and sizes computed from shapes, in a graph built here (traced code rarely keeps
 * them once inlined): the list ops emit nothing and their elements reach the consumers.
 */
class PrimOpsTest {

    @Test
    void listOfTensorsUnpacksToItsElementsAndSizesFold() throws Exception {
        try (OpModel m = OpModel.open("arithmetic")) {
            Node site = m.graph.nodes().get(0); // borrow a real module scope and source location
            ValueType.TensorType f32 = OpModel.parse("f32[2,3]");
            Value x = new Value("x", Value.Origin.INPUT, null, null, f32, null);
            Value y = new Value("y", Value.Origin.INPUT, null, null, f32, null);
            Node pack = node("prim::ListConstruct", List.of(x, y), site);
            Value list = pack.addOutput("pair", new ValueType.ListType(f32));
            Node unpack = node("prim::ListUnpack", List.of(list), site);
            Value a = unpack.addOutput("a", f32);
            Value b = unpack.addOutput("b", f32);
            Value one =
                    new Value("one", Value.Origin.LITERAL, null, null, ValueType.INT, Dim.of(1));
            Node size = node("aten::size", List.of(a, one), site);
            Value n = size.addOutput("n", ValueType.INT);
            Node toTensor = node("prim::NumToTensor", List.of(n), site);
            Value nt = toTensor.addOutput("nt", OpModel.parse("i64[]"));
            Node mul = node("aten::mul", List.of(b, nt), site);
            Value scaled = mul.addOutput("scaled", f32);
            Value alpha =
                    new Value("alpha", Value.Origin.LITERAL, null, null, ValueType.INT, Dim.of(1));
            Node add = node("aten::add", List.of(a, scaled, alpha), site);
            Value sum = add.addOutput("sum", f32);
            List<Node> nodes = List.of(pack, unpack, size, toTensor, mul, add);
            TorchGraph g =
                    new TorchGraph(
                            m.archive,
                            List.of(x, y),
                            List.of(sum),
                            new OutputStructure.Single(0),
                            nodes,
                            new ModuleCall(site.scope(), "forward", List.of(x, y)),
                            List.of());

            Translation t =
                    new GraphTranslator(OpRegistry.standard(), TranslationOptions.defaults())
                            .translate(g);
            String text = text(t);
            // size(a, 1) = 3 is folded into the literal 3.0 of the float product
            assertTrue(text.contains(" = mul(y, 3.0);"), text);
            assertTrue(text.contains("sum = add(x, "), text);
            assertEquals(Set.of("external", "mul", "add"), t.opsUsed());
        }
    }

    private static Node node(String kind, List<Value> inputs, Node site) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            names.add("#" + i);
        }
        return new Node(kind, kind, inputs, names, false, site.scope(), site.location());
    }
}
