package org.torch2nnef.graph.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.GraphBuilder;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.TorchGraph;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType.TensorType;
import org.torch2nnef.torchscript.TorchDType;
import org.torch2nnef.torchscript.TorchScriptArchive;

/**
 * Symbolic sizes through shape arithmetic on the shape_ops sample (samples/graph_models.py,
 * ShapeOps): expected shapes derived by hand from torch's semantics, stated per assertion.
 */
class ShapeInferenceTest {
    private static final Dim B = Dim.symbol("B");

    private static TensorType f32(Dim... dims) {
        return new TensorType(TorchDType.FLOAT32, Shape.of(dims));
    }

    private static Path sample() {
        return Path.of("..", "samples", "models", "shape_ops.pt").toAbsolutePath().normalize();
    }

    @Test
    void symbolicBatchFlowsThroughSizeArithmetic() throws Exception {
        try (TorchScriptArchive a = TorchScriptArchive.open(sample())) {
            TorchGraph g = GraphBuilder.build(a, OpRegistry.standard().schemas());
            OpRegistry.standard()
                    .shapeInference()
                    .run(
                            g,
                            Map.of(
                                    "x",
                                    f32(B, Dim.of(6), Dim.of(5)),
                                    "y",
                                    f32(B, Dim.of(4), Dim.of(5))));
            // z = cat([B,3,5], [B,3,5], [B,4,5]) on axis 1 = [B,10,5]; z.view(z.size(0), -1) =
            // [B,50]
            assertEquals(f32(B, Dim.of(50)), g.outputs().get(0).type());
            Node view =
                    g.nodes().stream()
                            .filter(n -> n.kind().equals("aten::view"))
                            .findFirst()
                            .orElseThrow();
            assertEquals(List.of(B, Dim.of(-1)), view.input(1).knownList().orElseThrow());
            // x.reshape(-1, x.size(2) * 2): 30*B elements in rows of 10 = [3*B,10]
            assertEquals(f32(B.times(3), Dim.of(10)), g.outputs().get(8).type());
            assertEquals("float32[3*B,10]", g.outputs().get(8).type().describe());
        }
    }

    @Test
    void typingAgainReplacesTypesAndKnownValues() throws Exception {
        try (TorchScriptArchive a = TorchScriptArchive.open(sample())) {
            TorchGraph g = GraphBuilder.build(a, OpRegistry.standard().schemas());
            OpRegistry.standard()
                    .shapeInference()
                    .run(
                            g,
                            Map.of(
                                    "x",
                                    f32(B, Dim.of(6), Dim.of(5)),
                                    "y",
                                    f32(B, Dim.of(4), Dim.of(5))));
            OpRegistry.standard()
                    .shapeInference()
                    .run(
                            g,
                            Map.of(
                                    "x",
                                    f32(Dim.of(3), Dim.of(6), Dim.of(5)),
                                    "y",
                                    f32(Dim.of(3), Dim.of(4), Dim.of(5))));
            assertEquals(f32(Dim.of(3), Dim.of(50)), g.outputs().get(0).type());
            Value size =
                    g.nodes().stream()
                            .filter(n -> n.kind().equals("aten::size"))
                            .findFirst()
                            .orElseThrow()
                            .output(0);
            assertEquals(Dim.of(3), size.knownDim().orElseThrow());
        }
    }
}
