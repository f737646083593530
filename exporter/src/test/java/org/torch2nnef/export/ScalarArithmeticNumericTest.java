package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Arithmetic on traced sizes (0-d tensors of {@code ops.prim.NumToTensor} and 0-d constants: add,
 * sub with alpha, mul, true div, div with trunc and floor rounding, floor_divide, remainder, neg),
 * folded at export time into sizes that stay symbolic on a dynamic axis and into numbers, and
 * nn.MultiheadAttention, whose head split views such sizes; models of
 * make_scalar_arithmetic_models.py, compared with torch at the traced shape and at two lengths of a
 * dynamic axis (reference interpreter, and tract when found).
 */
class ScalarArithmeticNumericTest {
    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"size_arithmetic", "mha_self_attention", "mha_sequence_first"})
    void matchesTorch(String model) throws Exception {
        FamilyNumerics.exportAndCheck(model, tmp);
    }

    /**
     * Axis {@code axis} of the first input is {@code S}: the sequence, the batch, or the target
     * length.
     */
    @ParameterizedTest
    @CsvSource({
        "size_arithmetic, 1, 3, 10",
        "mha_self_attention, 1, 1, 7",
        "mha_self_attention, 0, 1, 3",
        "mha_sequence_first, 0, 2, 9"
    })
    void matchesTorchWithADynamicAxis(String model, int axis, long first, long second)
            throws Exception {
        ExportResult r = FamilyNumerics.exportDynamicAndCheck(model, axis, tmp, first, second);
        assertEquals(Set.of("S"), r.symbols());
    }
}
