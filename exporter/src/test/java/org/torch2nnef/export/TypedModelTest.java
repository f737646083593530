package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.torch2nnef.graph.Value;

/**
 * The front door: a model opened and typed from declarations, as export, inspect and check open it.
 */
class TypedModelTest {
    private static final Path BMM = OpModel.DIR.resolve("bmm.pt");

    private static ModelInputs inputs(List<String> lines, List<String> axes) {
        return new ModelInputs(
                lines.stream().map(InputDeclaration::parse).toList(),
                Optional.empty(),
                axes.stream().map(DynamicAxes::parse).toList());
    }

    private static String types(TypedModel m) {
        return m.graph().inputs().stream()
                .map(v -> v.name() + ": " + v.type().describe())
                .toList()
                .toString();
    }

    @Test
    void linesBindForwardArgumentsByNameOrPosition() throws Exception {
        try (TypedModel m =
                TypedModel.open(
                        BMM, inputs(List.of("b=2,4,5", "a=2,3,4"), List.of("a:0=B", "b:0=B")))) {
            assertEquals("[a: float32[B,3,4], b: float32[B,4,5]]", types(m));
            assertEquals("[a=2,3,4:float32, b=2,4,5:float32]", m.inputs().toString());
            assertEquals(Map.of("B", 2L), m.exampleSizes());
            assertEquals("float32[B,3,5]", m.graph().outputs().get(0).type().describe());
        }
        try (TypedModel m =
                TypedModel.open(
                        BMM,
                        inputs(
                                List.of("input_0=2,3,4", "input_1=2,4,5"),
                                List.of("a:0=B", "input_1:0=B")))) {
            assertEquals("[a: float32[B,3,4], b: float32[B,4,5]]", types(m));
            assertEquals(
                    List.of("input_0", "input_1"),
                    m.inputs().stream().map(InputDeclaration::name).toList());
        }
    }

    @Test
    void withoutDeclarationsTheGraphIsUntyped() throws Exception {
        try (TypedModel m = TypedModel.open(BMM, ModelInputs.NONE)) {
            assertEquals(List.of("a", "b"), m.graph().inputs().stream().map(Value::name).toList());
            assertEquals("[a: Tensor, b: Tensor]", types(m));
            assertEquals(List.of(), m.inputs());
        }
    }

    @Test
    void unreadableModelsAndUntypableGraphsAreReported() {
        ExportInputException missing =
                assertThrows(
                        ExportInputException.class,
                        () -> TypedModel.open(OpModel.DIR.resolve("none.pt"), ModelInputs.NONE));
        assertTrue(missing.getMessage().endsWith("none.pt: no such file"), missing.getMessage());
        ExportException wrongShape =
                assertThrows(
                        ExportException.class,
                        () ->
                                TypedModel.open(
                                        BMM, inputs(List.of("a=2,3,4", "b=2,5,5"), List.of())));
        assertTrue(wrongShape.getMessage().startsWith(BMM + ": "), wrongShape.getMessage());
        UnsupportedOpsException unsupported =
                assertThrows(
                        UnsupportedOpsException.class,
                        () ->
                                TypedModel.open(
                                        BMM,
                                        inputs(List.of("a=2,3,4", "b=2,5,5"), List.of()),
                                        OpRegistry.standard(),
                                        kind -> !kind.equals("aten::bmm")));
        assertEquals(
                List.of("aten::bmm"),
                unsupported.problems().stream().map(OpProblem::kind).toList());
    }
}
