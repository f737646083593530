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
import org.torch2nnef.export.ops.PaddingOps;

/** {@link PaddingOps} on the models of make_padding_models.py. */
class PaddingNumericTest {
    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "pad_constant",
                "pad_reflect",
                "pad_replicate",
                "pad_calls",
                "pad_reshape_dynamic"
            })
    void standardNnefMatchesTorch(String model) throws Exception {
        ExportResult r = FamilyNumerics.exportAndCheck(model, tmp);
        assertEquals(Set.of(), r.tractOps(), model + " needs no tract extension");
    }

    @Test
    void everyModeAlongADynamicAxisMatchesTorchAtTwoLengths() throws Exception {
        FamilyNumerics.exportDynamicAndCheck("pad_dynamic", 2, tmp, 4, 9);
    }

    /**
     * A padded dynamic axis merged by a reshape: the replicated edges are exact tract ranges (a
     * clamped slice would leave {@code min(S, 1)} in the length) and the merged size is written as
     * the product tract computes ({@code 3 * (S + 4)}, not {@code 3 * S + 12}).
     */
    @Test
    void aPaddedDynamicAxisReshapedMatchesTorchAtTwoLengths() throws Exception {
        ExportResult r = FamilyNumerics.exportDynamicAndCheck("pad_reshape_dynamic", 2, tmp, 4, 9);
        String text = FamilyNumerics.graphText(r);
        assertTrue(
                text.contains(
                        "tract_core_dyn_slice(in0, start = size_S - 1, end = size_S, len = 1,"
                                + " axis = 2)"),
                text);
        assertTrue(
                text.contains("shape = [2, 3 * (size_S + 4)]")
                        && text.contains("shape = [3 * (size_S + 3)], axis_start = 1"),
                text);
    }

    @Test
    void unsupportedPaddingsAreNamed() throws Exception {
        OneNodeGraph.assertFails(
                "aten::constant_pad_nd",
                "f32[3,5]",
                "f32[3,4]",
                List.of(List.of(-1L, 0L)),
                "negative padding [-1, 0] (cropping) is not supported");
        OneNodeGraph.assertFails(
                "aten::reflection_pad1d",
                "f32[1,2,3]",
                "f32[1,2,9]",
                List.of(List.of(3L, 3L)),
                "reflect padding 3 must be smaller than the size 3 of axis 2");
        OneNodeGraph.assertFails(
                "aten::constant_pad_nd",
                "f32[3,5]",
                "f32[3,8]",
                List.of(List.of(1L, 1L, 1L)),
                "padding [1, 1, 1] does not fit a tensor of shape");
    }
}
