package org.torch2nnef.export;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aten::floor_divide} on float tensors against torch; model from
 * make_floor_divide_models.py.
 */
class FloorDivideNumericTest {
    @TempDir Path tmp;

    @Test
    void floorDivideMatchesTorch() throws Exception {
        OpChecks.matchesTorch("floor_divide", tmp);
    }
}
