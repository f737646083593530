package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.GraphBuilder;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.TorchGraph;
import org.torch2nnef.graph.ValueType.TensorType;
import org.torch2nnef.graph.shapes.ShapeInferenceException;
import org.torch2nnef.graph.shapes.SizeAssumption;
import org.torch2nnef.nnef.io.NnefArchiveReader;
import org.torch2nnef.nnef.io.NnefPrinter;
import org.torch2nnef.torchscript.TorchDType;
import org.torch2nnef.torchscript.TorchScriptArchive;

/**
 * Exports whose dynamic axis {@code S} needs sizes reasoned about (models of
 * make_symbolic_models.py), checked against torch at two lengths (reference interpreter, and tract
 * when present): broadcasts of sizes equal for every {@code S} or only at some (an assumption made
 * at the example length), and linear upsampling of a length {@code S}.
 */
class SymbolicSizesNumericTest {
    @TempDir Path tmp;

    /**
     * torch checks S//2 == 2*(S//4) when it runs: equal at the example length 16 and at 8 and 13 (S
     * % 4 in {0, 1}).
     */
    @Test
    void sizesEqualAtTheExampleLengthAreAssumedAndTheOperandCut() throws Exception {
        ExportResult r = FamilyNumerics.exportDynamicAndCheck("assumed_broadcast", 2, tmp, 8, 13);
        // add, maximum, where and mul all meet the same two sizes: one assumption, made by the
        // first
        assertEquals(1, r.assumptions().size(), r.assumptions().toString());
        SizeAssumption a = r.assumptions().get(0);
        assertEquals(Dim.symbol("S").floorDiv(2), a.left());
        assertEquals(Dim.symbol("S").floorDiv(4).times(2), a.right());
        assertEquals(Map.of("S", 16L), a.example());
        assertEquals("aten::add", a.op());
        assertTrue(
                a.where().startsWith("aten::add at code/__torch__")
                        && a.where().contains("make_symbolic_models.py:"),
                a.where());
        assertTrue(
                r.summary().contains("assumed: S/2 == 2*(S/4) (both 8 at S=16) for aten::add at "),
                r.summary());
        String text = NnefPrinter.print(NnefArchiveReader.read(r.output()));
        // the upsampled operand is cut to the halves' length, which tract then sees as one size
        assertTrue(
                text.contains("= tract_core_dyn_slice(")
                        && text.contains("len = size_S / 2, axis = 2)"),
                text);
        // and the model says where it is valid
        assertTrue(text.contains("('size_assumptions', 'S/2 == 2*(S/4)')"), text);
    }

    /** The cut to the assumed size has a symbolic length, which tract reads from 0.21.2 only. */
    @Test
    void assumedSizesNeedATractReadingSymbolsInExpressions() {
        Path out = tmp.resolve("old-target.nnef.tgz");
        ExportOptions options =
                ExportOptions.builder(out)
                        .inputs(List.of(InputDeclaration.parse("in0=2,3,16")))
                        .dynamicAxes(List.of(DynamicAxes.parse("in0:2=S")))
                        .tract(TractTarget.parse("0.20.22"))
                        .build();
        ExportException e =
                assertThrows(
                        ExportException.class,
                        () ->
                                new Exporter()
                                        .export(
                                                OpModel.DIR.resolve("assumed_broadcast.pt"),
                                                options));
        assertTrue(
                e.getMessage().contains("aten::add in <root>")
                        && e.getMessage()
                                .contains(
                                        "needs a tract_symbol outside shape arguments, which tract reads from 0.21.2 on;"
                                                + " the export targets tract 0.20.22"),
                e.getMessage());
        assertFalse(Files.exists(out));
    }

    /**
     * At the example length 18, S//2 is 9 and 2*(S//4) is 8: torch would fail, so does the export.
     */
    @Test
    void sizesThatDifferAtTheExampleLengthAreRefusedNamingTheOp() {
        Path out = tmp.resolve("differ.nnef.tgz");
        ExportOptions options =
                ExportOptions.builder(out)
                        .inputs(List.of(InputDeclaration.parse("in0=2,3,18")))
                        .dynamicAxes(List.of(DynamicAxes.parse("in0:2=S")))
                        .build();
        ExportException e =
                assertThrows(
                        ExportException.class,
                        () ->
                                new Exporter()
                                        .export(
                                                OpModel.DIR.resolve("assumed_broadcast.pt"),
                                                options));
        assertTrue(
                e.getMessage().contains("aten::add at code/__torch__")
                        && e.getMessage().contains("make_symbolic_models.py:")
                        && e.getMessage()
                                .contains(
                                        "shapes [2,3,S/2] and [2,3,2*(S/4)] do not broadcast: S/2 and 2*(S/4) differ"
                                                + " at the example sizes S=18: 9 vs 8"),
                e.getMessage());
        assertFalse(Files.exists(out));
    }

    /**
     * Without example sizes (shape inference alone), sizes that are not always equal are refused.
     */
    @Test
    void withoutExampleSizesNothingIsAssumed() throws Exception {
        try (TorchScriptArchive archive =
                TorchScriptArchive.open(OpModel.DIR.resolve("assumed_broadcast.pt"))) {
            TorchGraph g = GraphBuilder.build(archive, OpRegistry.standard().schemas());
            String input = g.inputs().get(0).name();
            TensorType x =
                    new TensorType(
                            TorchDType.FLOAT32, Shape.of(Dim.of(2), Dim.of(3), Dim.symbol("S")));
            ShapeInferenceException e =
                    assertThrows(
                            ShapeInferenceException.class,
                            () -> OpRegistry.standard().shapeInference().run(g, Map.of(input, x)));
            assertTrue(
                    e.getMessage()
                            .contains(
                                    "S/2 and 2*(S/4) are not equal for every value of S, and S has no"
                                            + " example size to check them at"),
                    e.getMessage());
            assertEquals(
                    1,
                    OpRegistry.standard()
                            .shapeInference()
                            .run(g, Map.of(input, x), Map.of("S", 12L))
                            .size());
        }
    }

    /**
     * cat of S//2 pooled and (S+1)//2 strided items has S items for every S: nothing is assumed.
     */
    @Test
    void sizesEqualForEveryLengthNeedNoAssumption() throws Exception {
        ExportResult r = FamilyNumerics.exportDynamicAndCheck("proven_broadcast", 2, tmp, 4, 9);
        assertEquals(List.of(), r.assumptions());
    }

    @Test
    void linearUpsamplingOfALengthMatchesTorchAtTwoLengths() throws Exception {
        ExportResult r =
                FamilyNumerics.exportDynamicAndCheck("linear_dynamic_length", 2, tmp, 4, 9);
        assertTrue(
                r.opsUsed().contains("conv") && !r.opsUsed().contains("matmul"),
                r.opsUsed().toString());
    }

    /** The constant height is resampled by a matrix, the width S by phases. */
    @Test
    void bilinearUpsamplingOfADynamicWidthMatchesTorchAtTwoLengths() throws Exception {
        ExportResult r =
                FamilyNumerics.exportDynamicAndCheck("bilinear_dynamic_width", 3, tmp, 2, 7);
        assertTrue(
                r.opsUsed().contains("conv") && r.opsUsed().contains("matmul"),
                r.opsUsed().toString());
    }

    /**
     * With align_corners the sampling positions depend on the length itself: no fixed filter
     * computes them.
     */
    @Test
    void linearUpsamplingOfASymbolicSizeWithAlignCornersIsNamed() throws Exception {
        OneNodeGraph.assertFails(
                "aten::upsample_linear1d",
                "f32[1,2,S]",
                "f32[1,2,2*S]",
                List.of(List.of(14L), true),
                "aten::upsample_linear1d of the symbolic size S -> 2*S on axis 2: only upsampling by integer factors"
                        + " (nearest, or linear without align_corners) keeps spatial sizes dynamic");
    }
}
