package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link org.torch2nnef.export.ops.JoinSplitOps} on the models of make_joinsplit_models.py. */
class JoinSplitNumericTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"cat_dims", "stack_dims", "split_sizes", "split_unpack", "chunk_uneven", "unbind_dims"})
    void matchesTorch(String model) throws Exception {
        FamilyNumerics.exportAndCheck(model, tmp);
    }

    @Test
    void catAndChunkOfADynamicAxisMatchTorchAtTwoLengths() throws Exception {
        ExportResult r = FamilyNumerics.exportDynamicAndCheck("cat_dynamic", 1, tmp, 3, 8);
        assertEquals("[chunk: float32[2,2*S,2]]", r.outputs().toString().replaceAll("\\[[a-z_0-9.]*:", "[chunk:"));
    }

    @Test
    void chunksOfADynamicAxisMatchTorchAtTwoLengths() throws Exception {
        FamilyNumerics.exportDynamicAndCheck("chunk_dynamic", 1, tmp, 5, 8);
    }
}
