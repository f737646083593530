package org.torch2nnef.graph.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.graph.GraphBuilder;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.TorchGraph;
import org.torch2nnef.graph.ValueType.TensorType;
import org.torch2nnef.torchscript.TorchDType;
import org.torch2nnef.torchscript.TorchScriptArchive;

/** Shape inference refuses with messages naming the ops, module paths and source lines. */
class ShapeInferenceErrorsTest {
    private static final TensorType F32_3X3 = new TensorType(TorchDType.FLOAT32, Shape.of(3, 3));

    private static Path resource(String name) throws Exception {
        return Path.of(
                ShapeInferenceErrorsTest.class
                        .getResource("/org/torch2nnef/graph/" + name)
                        .toURI());
    }

    private static Path sample(String name) {
        return Path.of("..", "samples", "models", name + ".pt").toAbsolutePath().normalize();
    }

    @Test
    void everyOpWithoutARuleIsListedInOneError() throws Exception {
        try (TorchScriptArchive a = TorchScriptArchive.open(resource("unsupported_ops.pt"))) {
            TorchGraph g = GraphBuilder.build(a, OpRegistry.standard().schemas());
            ShapeInferenceException e =
                    assertThrows(
                            ShapeInferenceException.class,
                            () ->
                                    OpRegistry.standard()
                                            .shapeInference()
                                            .run(g, Map.of("x", F32_3X3)));
            String m = e.getMessage();
            assertTrue(m.startsWith("no shape rule for 2 ops [aten::cumprod, aten::tril]:"), m);
            assertTrue(m.contains("aten::cumprod (torch.cumprod) at code/__torch__.py:"), m);
            assertTrue(m.contains("in module <root> (UnsupportedOps)"), m);
            assertTrue(m.contains("aten::tril (torch.tril) at code/__torch__.py:"), m);
            assertTrue(m.contains("in module lower (Lower)"), m);
            assertTrue(m.contains("make_graph_fixtures.py:"), "original source lines: " + m);
        }
    }

    @Test
    void inputDeclarationsMustMatchTheModelsInputs() throws Exception {
        try (TorchScriptArchive a = TorchScriptArchive.open(sample("shape_ops"))) {
            TorchGraph g = GraphBuilder.build(a, OpRegistry.standard().schemas());
            ShapeInferenceException e =
                    assertThrows(
                            ShapeInferenceException.class,
                            () ->
                                    OpRegistry.standard()
                                            .shapeInference()
                                            .run(g, Map.of("x", F32_3X3, "z", F32_3X3)));
            assertEquals(
                    "input declarations do not match the model's inputs [x, y]: no declaration for [y]:"
                            + " the model has no input [z]",
                    e.getMessage());
        }
    }

    @Test
    void inconsistentShapesNameTheNodeAndModule() throws Exception {
        try (TorchScriptArchive a = TorchScriptArchive.open(sample("nested"))) {
            TorchGraph g = GraphBuilder.build(a, OpRegistry.standard().schemas());
            ShapeInferenceException e =
                    assertThrows(
                            ShapeInferenceException.class,
                            () ->
                                    OpRegistry.standard()
                                            .shapeInference()
                                            .run(
                                                    g,
                                                    Map.of(
                                                            "x",
                                                            new TensorType(
                                                                    TorchDType.FLOAT32,
                                                                    Shape.of(3, 5)))));
            String m = e.getMessage();
            assertTrue(
                    m.startsWith(
                            "aten::linear at code/__torch__/torch/nn/modules/linear/___torch_mangle_"),
                    m);
            assertTrue(
                    m.contains(
                            " in module encoder.layers.0.0 (torch.nn.modules.linear.Linear): input [3,5] has 5"
                                    + " features, weight [8,6] expects 6"),
                    m);
        }
        try (TorchScriptArchive a = TorchScriptArchive.open(sample("strided_views"))) {
            TorchGraph g = GraphBuilder.build(a, OpRegistry.standard().schemas());
            ShapeInferenceException e =
                    assertThrows(
                            ShapeInferenceException.class,
                            () ->
                                    OpRegistry.standard()
                                            .shapeInference()
                                            .run(
                                                    g,
                                                    Map.of(
                                                            "x",
                                                            new TensorType(
                                                                    TorchDType.FLOAT32,
                                                                    Shape.of(2, 5)))));
            assertTrue(
                    e.getMessage().contains("matmul inner sizes differ: [2,5] @ [4,6]"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("in module <root> (StridedViews)"), e.getMessage());
        }
    }
}
