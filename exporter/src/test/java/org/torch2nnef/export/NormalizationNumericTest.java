package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.torch2nnef.export.ops.NormalizationOps;

/**
 * The normalisation translators ({@link NormalizationOps}) against torch; models from
 * make_normalization_models.py.
 */
class NormalizationNumericTest {
    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "batch_norm2d",
                "batch_norm1d",
                "batch_norm_batch_stats",
                "layer_norm",
                "group_norm",
                "instance_norm"
            })
    void matchesTorch(String model) throws Exception {
        OpChecks.matchesTorch(model, tmp);
    }

    @Test
    void runningStatisticsUseStandardBatchNormalization() throws Exception {
        assertTrue(
                OpChecks.matchesTorch("batch_norm2d", tmp)
                        .opsUsed()
                        .contains("batch_normalization"));
    }

    @Test
    void dynamicAxisRunsAtTwoLengths() throws Exception {
        OpChecks.matchesTorchAtLengths("norm_dynamic", 2, tmp, 6, 11);
    }

    @Test
    void inputWithoutChannelAxisIsReported() {
        // batch_norm1d's first module takes (N, C); a rank-1 input has no channel axis (shape
        // inference
        // rejects it before translation, naming the op and the shape)
        ExportOptions options =
                TractUnderTest.options(tmp.resolve("b.nnef.tgz"))
                        .inputs(
                                OpNumerics.declarations(
                                        List.of(new long[] {3}, new long[] {2, 3, 5})))
                        .build();
        ExportException e =
                assertThrows(
                        ExportException.class,
                        () ->
                                new Exporter()
                                        .export(OpModel.DIR.resolve("batch_norm1d.pt"), options));
        assertTrue(
                e.getMessage()
                        .contains("aten::batch_norm needs an input with a channel axis, got [3]"),
                e.getMessage());
    }
}
