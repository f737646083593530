package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.torch2nnef.export.ops.EmbeddingOps;

/** {@link EmbeddingOps} on the models of make_embedding_models.py (int64 token ids). */
class EmbeddingNumericTest {
    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"embedding_ids", "embedding_padding_idx"})
    void gathersMatchTorch(String model) throws Exception {
        ExportResult r = FamilyNumerics.exportAndCheck(model, tmp);
        assertEquals(Set.of("tract_core_gather"), r.tractOps());
        assertEquals(
                "int64", r.inputs().get(0).toString().replaceAll(".*: ([a-z0-9]+)\\[.*", "$1"));
    }

    @Test
    void aDynamicSequenceMatchesTorchAtTwoLengths() throws Exception {
        FamilyNumerics.exportDynamicAndCheck("embedding_dynamic", 1, tmp, 3, 11);
    }

    @Test
    void floatIdsAreNamed() throws Exception {
        OneNodeGraph.assertFails(
                "aten::embedding",
                "f32[4,2]",
                "f32[4,2,2]",
                List.of("x"),
                "embedding ids x are float32; declare the input as integers, e.g. --input x=1,7:i64");
    }
}
