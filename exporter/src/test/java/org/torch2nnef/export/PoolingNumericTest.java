package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.torch2nnef.export.ops.PoolingOps;

/**
 * The pooling translators ({@link PoolingOps}) against torch; models from make_pooling_models.py.
 */
class PoolingNumericTest {
    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "max_pool2d_plain",
                "max_pool2d_args",
                "max_pool2d_ceil",
                "max_pool2d_indices",
                "max_pool1d_variants",
                "avg_pool2d_include_pad",
                "avg_pool2d_exclude_pad",
                "avg_pool2d_ceil",
                "avg_pool2d_divisor",
                "avg_pool1d_variants",
                "adaptive_avg_pool2d",
                "adaptive_max_pool2d",
                "adaptive_pool1d",
                "pool1d_unbatched"
            })
    void matchesTorch(String model) throws Exception {
        OpChecks.matchesTorch(model, tmp);
    }

    @Test
    void dynamicLengthRunsAtTwoLengths() throws Exception {
        ExportResult r = OpChecks.matchesTorchAtLengths("pool_dynamic", 2, tmp, 10, 13);
        assertEquals(4, r.outputs().size());
    }

    @Test
    void dynamicWidthRunsAtTwoLengths() throws Exception {
        OpChecks.matchesTorchAtLengths("pool2d_dynamic", 3, tmp, 7, 10);
    }

    @Test
    void usedIndicesAreReported() {
        List<long[]> shapes = List.of(new long[] {1, 2, 4, 4});
        ExportOptions options =
                TractUnderTest.options(tmp.resolve("i.nnef.tgz"))
                        .inputs(OpNumerics.declarations(shapes))
                        .build();
        UnsupportedOpsException e =
                assertThrows(
                        UnsupportedOpsException.class,
                        () ->
                                new Exporter()
                                        .export(
                                                OpModel.DIR.resolve("max_pool2d_indices_used.pt"),
                                                options));
        assertTrue(
                e.getMessage()
                        .contains("the indices output of aten::max_pool2d_with_indices is used"),
                e.getMessage());
    }

    @Test
    void adaptivePoolingOfADynamicAxisToMoreThanOneIsReported() throws Exception {
        ExportOptions options =
                TractUnderTest.options(tmp.resolve("a.nnef.tgz"))
                        .inputs(OpNumerics.declarations(OpNumerics.inputShapes("adaptive_pool1d")))
                        .dynamicAxes(List.of(DynamicAxes.parse("in0:2=S")))
                        .build();
        UnsupportedOpsException e =
                assertThrows(
                        UnsupportedOpsException.class,
                        () ->
                                new Exporter()
                                        .export(
                                                OpModel.DIR.resolve("adaptive_pool1d.pt"),
                                                options));
        assertTrue(
                e.getMessage()
                        .contains(
                                "adaptive pooling of the symbolic size S to 3; only output size 1"),
                e.getMessage());
    }
}
