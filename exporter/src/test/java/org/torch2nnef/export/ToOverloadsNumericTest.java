package org.torch2nnef.export;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aten::to} in every overload traced code holds (dtype; device and dtype; dtype, layout and
 * device keywords) with non_blocking, copy and memory_format given, {@code Tensor.type}, and {@code
 * torch.tensor} of a size; model of make_to_models.py, compared with torch at the traced shape and
 * with a dynamic batch at two sizes (reference interpreter, and tract when found).
 */
class ToOverloadsNumericTest {
    @TempDir Path tmp;

    @Test
    void matchesTorch() throws Exception {
        FamilyNumerics.exportAndCheck("to_overloads", tmp);
    }

    @Test
    void matchesTorchWithADynamicBatch() throws Exception {
        FamilyNumerics.exportDynamicAndCheck("to_overloads", 0, tmp, 1, 5);
    }
}
