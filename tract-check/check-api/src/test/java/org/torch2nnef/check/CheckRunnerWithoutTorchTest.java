package org.torch2nnef.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.report.ExitCode;

/** This module's tests have no torch runner on the class path, as an export-only installation. */
class CheckRunnerWithoutTorchTest {
    @Test
    void everyModeIsCheckerUnavailableNamingTheMissingTorchRunner() {
        for (CheckerMode mode : CheckerMode.values()) {
            CheckReport r =
                    CheckRunner.run(
                            CheckRequest.builder(Path.of("m.pt"), Path.of("m.nnef.tgz"))
                                    .mode(mode)
                                    .build());
            assertEquals(ExitCode.CHECKER_UNAVAILABLE, r.verdict(), mode.cliName());
            assertEquals(mode.cliName(), r.checker());
            assertTrue(r.message().contains("torch runner"), r.message());
        }
    }
}
