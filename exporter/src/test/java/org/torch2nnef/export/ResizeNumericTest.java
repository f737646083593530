package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.torch2nnef.export.ops.ResizeOps;

/** {@link ResizeOps} on the models of make_resize_models.py. */
class ResizeNumericTest {
    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(
            strings = {"nearest_factors", "nearest_sizes", "upsample_linear_1d", "bilinear_2d"})
    void standardNnefMatchesTorch(String model) throws Exception {
        ExportResult r = FamilyNumerics.exportAndCheck(model, tmp);
        assertEquals(Set.of(), r.tractOps(), model + " needs no tract extension");
    }

    @Test
    void integerNearestFactorsUseNoMatrix() throws Exception {
        ExportResult r = FamilyNumerics.exportAndCheck("nearest_factors", tmp);
        assertEquals(Set.of("external", "unsqueeze", "tile", "reshape"), r.opsUsed());
    }

    @Test
    void aDynamicBatchMatchesTorchAtTwoLengths() throws Exception {
        FamilyNumerics.exportDynamicAndCheck("resize_dynamic_batch", 0, tmp, 1, 3);
    }

    @Test
    void aDynamicWidthUpsampledByIntegerFactorsMatchesTorchAtTwoLengths() throws Exception {
        FamilyNumerics.exportDynamicAndCheck("nearest_dynamic_width", 3, tmp, 2, 7);
    }

    @Test
    void interpolationOfASymbolicSizeIsNamed() throws Exception {
        OneNodeGraph.assertFails(
                "aten::upsample_nearest1d",
                "f32[1,2,S]",
                "f32[1,2,7]",
                List.of(List.of(7L)),
                "aten::upsample_nearest1d of the symbolic size S -> 7 on axis 2");
        OneNodeGraph.assertFails(
                "aten::upsample_linear1d",
                "f32[1,2]",
                "f32[1,2,7]",
                List.of(List.of(7L), false),
                "aten::upsample_linear1d needs a rank-3 input (N, C, ...), got [1,2]");
    }
}
