package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In-place ops ({@code aten::relu_}, {@code add_}, {@code hardswish_}, ...) translate through their
 * base op's translator; model from make_inplace_models.py, compared with torch.
 */
class InPlaceNumericTest {
    @TempDir Path tmp;

    @Test
    void inPlaceOpsMatchTorch() throws Exception {
        OpChecks.matchesTorch("inplace_ops", tmp);
    }

    @Test
    void inPlaceKindsFallBackToTheirBaseOp() {
        OpRegistry registry = OpRegistry.standard();
        assertTrue(registry.find("aten::relu_").isPresent());
        assertTrue(registry.find("aten::hardswish_").isPresent());
        assertTrue(registry.find("aten::no_such_op_").isEmpty(), "no base op, no translator");
    }
}
