package org.torch2nnef.pt2;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every torch.export fixture that exports, in both forms, exports with no input declared and runs
 * equal to torch's outputs in the reference interpreter, at the example sizes and at the second
 * size of its dynamic dims ({@link ProgramNumerics}).
 */
class ExportedProgramNumericTest {

    static List<String> programs() {
        return ProgramFixtures.programs()
                .filter(p -> !ProgramFixtures.NOT_YET.containsKey(p))
                .toList();
    }

    @ParameterizedTest
    @MethodSource("programs")
    void runsEqualToTorchAtBothSizes(String program, @TempDir Path tmp) throws Exception {
        ProgramNumerics.matchesTorch(program, tmp);
    }
}
