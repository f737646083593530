package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.torch2nnef.export.ops.ReductionOps;

/**
 * The reduction translators ({@link ReductionOps}) against torch; models from
 * make_reduction_models.py.
 */
class ReductionNumericTest {
    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "sum_mean",
                "prod_amax_amin",
                "max_min_dim",
                "max_dim_values",
                "argmax_argmin",
                "maximum_minimum",
                "var_std",
                "norms"
            })
    void matchesTorch(String model) throws Exception {
        OpChecks.matchesTorch(model, tmp);
    }

    @Test
    void productIsATractExtension() throws Exception {
        assertEquals(
                Set.of("tract_core_product_reduce"),
                OpChecks.matchesTorch("prod_amax_amin", tmp).tractOps());
    }

    @Test
    void unusedIndicesAreNotComputed() throws Exception {
        assertFalse(
                OpChecks.matchesTorch("max_dim_values", tmp).opsUsed().contains("argmax_reduce"));
    }

    @Test
    void dynamicAxisRunsAtTwoLengths() throws Exception {
        OpChecks.matchesTorchAtLengths("reduce_dynamic", 1, tmp, 5, 8);
    }

    @Test
    void correctedVarianceOverADynamicAxisIsReported() {
        ExportOptions options =
                TractUnderTest.options(tmp.resolve("v.nnef.tgz"))
                        .inputs(OpNumerics.declarations(List.of(new long[] {2, 3, 4})))
                        .dynamicAxes(List.of(DynamicAxes.parse("in0:1=S")))
                        .build();
        UnsupportedOpsException e =
                assertThrows(
                        UnsupportedOpsException.class,
                        () -> new Exporter().export(OpModel.DIR.resolve("var_std.pt"), options));
        assertTrue(
                e.getMessage().contains("aten::var with a correction over the symbolic size S"),
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "sum_dtype:aten::sum with a dtype argument is not supported yet",
                "norm_p3:aten::norm of order 3.0; only 1, 2 and infinity are supported"
            })
    void unsupportedVariantsAreReported(String spec) {
        String model = spec.substring(0, spec.indexOf(':'));
        ExportOptions options =
                TractUnderTest.options(tmp.resolve(model + ".nnef.tgz"))
                        .inputs(OpNumerics.declarations(List.of(new long[] {2, 3})))
                        .build();
        UnsupportedOpsException e =
                assertThrows(
                        UnsupportedOpsException.class,
                        () -> new Exporter().export(OpModel.DIR.resolve(model + ".pt"), options));
        assertTrue(e.getMessage().contains(spec.substring(spec.indexOf(':') + 1)), e.getMessage());
    }
}
