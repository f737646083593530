package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.torch2nnef.export.ops.IndexingOps;

/** {@link IndexingOps} on the models of make_indexing_models.py. */
class IndexingNumericTest {
    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "slice_variants",
                "select_narrow",
                "index_select_constant",
                "expand_repeat",
                "slice_strided_dynamic",
                "roll_dims"
            })
    void standardNnefMatchesTorch(String model) throws Exception {
        ExportResult r = FamilyNumerics.exportAndCheck(model, tmp);
        assertEquals(Set.of(), r.tractOps(), model + " needs no tract extension");
    }

    @Test
    void tensorIndicesAreGathersMatchingTorch() throws Exception {
        assertEquals(
                Set.of("tract_core_gather"),
                FamilyNumerics.exportAndCheck("index_select_tensor", tmp).tractOps());
        assertEquals(
                Set.of("tract_core_gather_elements"),
                FamilyNumerics.exportAndCheck("gather_elements", tmp).tractOps());
        assertEquals(
                Set.of("tract_core_gather"),
                FamilyNumerics.exportAndCheck("flip_dims", tmp).tractOps());
    }

    @Test
    void slicesOfADynamicAxisMatchTorchAtTwoLengths() throws Exception {
        ExportResult r = FamilyNumerics.exportDynamicAndCheck("slice_dynamic", 1, tmp, 4, 9);
        assertEquals(Set.of("S"), r.symbols());
    }

    /**
     * Strides and bounds from the end of a dynamic axis: tract's slice would clamp the bounds to
     * {@code min(1, S)} and fail on the stride, so they are exact tract ranges and downsamplings;
     * sizes merged after them by a reshape or a flatten are products tract can check.
     */
    @Test
    void stridedSlicesOfADynamicAxisMatchTorchAtTwoLengths() throws Exception {
        ExportResult r =
                FamilyNumerics.exportDynamicAndCheck("slice_strided_dynamic", 1, tmp, 5, 8);
        assertEquals(
                Set.of("tract_core_dyn_slice", "tract_core_downsample", "tract_core_shape_of"),
                r.tractOps());
        String text = FamilyNumerics.graphText(r);
        assertTrue(
                text.contains(
                        "tract_core_dyn_slice(in0, start = size_S - 4, end = size_S, len = 4,"
                                + " axis = 1)"),
                text);
        assertTrue(text.contains("shape = [2, (size_S - 2) * 3]"), text);
        // the static axis keeps the standard slice
        assertTrue(
                text.contains("slice(in0, axes = [2], begin = [1], end = [3], stride = [2])"),
                text);
    }

    /** A target reading symbols only in shape arguments (before tract 0.21.2) gets NNEF's slice. */
    @Test
    void targetsBeforeSymbolsInExpressionsKeepTheStandardSlice() throws Exception {
        Path out = tmp.resolve("old.nnef.tgz");
        ExportResult r =
                new Exporter()
                        .export(
                                OpModel.DIR.resolve("slice_strided_dynamic.pt"),
                                ExportOptions.builder(out)
                                        .inputs(
                                                FamilyNumerics.declarations(
                                                        FamilyNumerics.inputs(
                                                                "slice_strided_dynamic")))
                                        .dynamicAxes(List.of(DynamicAxes.parse("in0:1=S")))
                                        .tract(TractTarget.parse("0.21.1"))
                                        .build());
        String text = FamilyNumerics.graphText(r);
        assertEquals(Set.of(), r.tractOps(), text);
        assertTrue(
                text.contains("slice(in0, axes = [1], begin = [1], end = [S], stride = [2])"),
                text);
    }

    @Test
    void argumentsTorchWouldRejectAreNamed() throws Exception {
        OneNodeGraph.assertFails(
                "aten::slice",
                "f32[3,5]",
                "f32[3,0]",
                List.of(1L, 4L, 2L, 1L),
                "slice [4, 2) along axis 1 is empty");
        OneNodeGraph.assertFails(
                "aten::slice",
                "f32[3,5]",
                "f32[3,5]",
                List.of(1L, 0L, 5L, 0L),
                "slice step 0 is not positive");
        OneNodeGraph.assertFails(
                "aten::select",
                "f32[3,5]",
                "f32[3]",
                List.of(1L, 5L),
                "select index 5 is out of range for size 5");
        OneNodeGraph.assertFails(
                "aten::narrow",
                "f32[3,5]",
                "f32[3,4]",
                List.of(1L, 2L, 4L),
                "narrow [2, 6) overruns size 5");
        OneNodeGraph.assertFails(
                "aten::flip",
                "f32[3,S]",
                "f32[3,S]",
                List.of(List.of(-1L)),
                "flip along the symbolic size S of axis 1");
        OneNodeGraph.assertFails(
                "aten::expand",
                "f32[3,2]",
                "f32[3,4]",
                List.of(List.of(3L, 4L), false),
                "cannot aten::expand size 2 to 4");
    }
}
