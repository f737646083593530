package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.torch2nnef.export.ops.JoinSplitOps;

/** {@link JoinSplitOps} on the models of make_joinsplit_models.py. */
class JoinSplitNumericTest {
    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "cat_dims",
                "stack_dims",
                "split_sizes",
                "split_unpack",
                "chunk_uneven",
                "unbind_dims",
                "joined_slices"
            })
    void matchesTorch(String model) throws Exception {
        FamilyNumerics.exportAndCheck(model, tmp);
    }

    @Test
    void catAndChunkOfADynamicAxisMatchTorchAtTwoLengths() throws Exception {
        ExportResult r = FamilyNumerics.exportDynamicAndCheck("cat_dynamic", 1, tmp, 3, 8);
        assertEquals(
                "[chunk: float32[2,2*S,2]]",
                r.outputs().toString().replaceAll("\\[[a-z_0-9.]*:", "[chunk:"));
    }

    /**
     * Slices of a stack or cat read the pieces: {@code h[-2] + h[-1]} of a stack is the sum of two
     * of its tensors, so no tensor is read only by slices all past 0, which tract before 0.23
     * cannot declutter (run with TRACT_BIN set to 0.21.17 and 0.22.3).
     */
    @Test
    void slicesOfJoinedTensorsReadThePiecesAndMatchTorchAtTwoLengths() throws Exception {
        ExportResult r = FamilyNumerics.exportDynamicAndCheck("joined_slices", 2, tmp, 3, 6);
        String text = FamilyNumerics.graphText(r);
        assertFalse(
                text.matches("(?s).*(slice|squeeze|concat)\\((stack|cat)(_[0-9]+)?\\b.*"), text);
        assertTrue(
                text.contains("= stack([mul, relu], axis = 0);")
                        && text.contains("= add(mul, relu);"),
                text);
        assertTrue(text.contains("= concat([slice_part, relu_1], axis = 1);"), text);
    }

    @Test
    void chunksOfADynamicAxisMatchTorchAtTwoLengths() throws Exception {
        FamilyNumerics.exportDynamicAndCheck("chunk_dynamic", 1, tmp, 5, 8);
    }
}
