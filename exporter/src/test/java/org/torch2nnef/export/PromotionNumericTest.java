package org.torch2nnef.export;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Integer division of tensors (true division giving float32, {@code rounding_mode} trunc and floor,
 * floor_divide, by tensors and constants of both signs) and torch's type promotion between int64,
 * int32, bool, float32 and float64 operands, parameters and 0-d tensors; models of
 * make_promotion_models.py, compared with torch at the traced shape and with axis 0 of the first
 * input dynamic at two lengths (reference interpreter, and tract when found).
 */
class PromotionNumericTest {
    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"int_division", "promotion"})
    void matchesTorch(String model) throws Exception {
        FamilyNumerics.exportAndCheck(model, tmp);
    }

    /**
     * torch itself refuses {@code -} on bools; a hand-made graph reaches the translator's refusal.
     */
    @Test
    void subtractingBoolsIsRefused() throws Exception {
        OneNodeGraph.assertFails(
                "aten::sub",
                "bool[2,3]",
                "bool[2,3]",
                List.of("x"),
                "aten::sub of bool tensors is not supported (only add, as logical or)");
    }

    @Test
    void aNumberNotKnownAtExportTimeIsNamed() throws Exception {
        OneNodeGraph.assertFails(
                "aten::mul",
                "f32[2,3]",
                "f32[2,3]",
                List.of(OneNodeGraph.UNKNOWN_INT),
                "value a0: int is not a number known at export time");
    }

    @ParameterizedTest
    @ValueSource(strings = {"int_division", "promotion"})
    void matchesTorchWithADynamicFirstAxis(String model) throws Exception {
        FamilyNumerics.exportDynamicAndCheck(model, 0, tmp, 1, 5);
    }
}
