package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.torch2nnef.export.ops.QuantizedOps;

/**
 * {@link QuantizedOps} on the models of make_quantized_models.py (qnnpack static quantization,
 * per-tensor and per-channel weights): libtorch runs torch's own quantized kernels, and the export,
 * read back, matches them (reference interpreter, and tract when one is found).
 */
class QuantizedNumericTest {
    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"quantized_per_tensor", "quantized_arithmetic"})
    void quantizedKernelsMatchTorch(String model) throws Exception {
        ExportResult r = FamilyNumerics.exportAndCheck(model, tmp);
        assertEquals(Set.of("tract_core_cast"), r.tractOps());
    }

    /**
     * Average pooling of quantized tensors over 2x2 windows, where a quarter of the sums fall on a
     * tie (adaptive_avg_pool2d to a divisible size, then to 1): torch's integer rounding, not a
     * mean of floats (which put 3.7% of such averages one step off), so every code equals torch's
     * (the reference interpreter's tolerance, 1e-4, is a hundredth of a step).
     */
    @Test
    void averagePoolingRoundsAsTorch() throws Exception {
        ExportResult r = FamilyNumerics.exportAndCheck("quantized_pooling", tmp);
        assertEquals(Set.of("tract_core_cast", "tract_core_round_even"), r.tractOps());
    }

    /**
     * {@code quantized::linear_dynamic} (per-tensor, then per-channel int8 weights) on a rank-3
     * input: the input quantized from its own range as libtorch's default (x86) engine does, with
     * reduce_range's 127 levels, matches torch within the family tolerance.
     */
    @Test
    void dynamicLinearMatchesTorch() throws Exception {
        ExportResult r = FamilyNumerics.exportAndCheck("quantized_linear_dynamic", tmp);
        assertEquals(Set.of("tract_core_cast", "tract_core_round_even"), r.tractOps());
    }
}
