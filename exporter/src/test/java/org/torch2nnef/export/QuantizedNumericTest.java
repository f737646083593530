package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Set;
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
}
