package org.torch2nnef.pt2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.export.ExportOptions;
import org.torch2nnef.export.Exporter;
import org.torch2nnef.export.UnsupportedOpsException;

/**
 * What a program cannot export is reported at once, each op with the user's source line from its
 * {@code stack_trace}, and nothing is written.
 */
class UnsupportedProgramOpsTest {

    @Test
    void everyUnsupportedOpIsListedWithItsSourceLine(@TempDir Path tmp) {
        for (var e : ProgramFixtures.NOT_YET.entrySet()) {
            Path out = tmp.resolve(e.getKey() + ".nnef.tgz");
            UnsupportedOpsException x =
                    assertThrows(
                            UnsupportedOpsException.class,
                            () ->
                                    new Exporter()
                                            .export(
                                                    ProgramFixtures.program(e.getKey()),
                                                    ExportOptions.builder(out).build()));
            assertEquals(1, x.problems().size(), x.getMessage());
            assertTrue(x.getMessage().contains(e.getValue()), x.getMessage());
            assertFalse(Files.exists(out), "a failed export leaves no output");
        }
    }
}
