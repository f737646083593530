package org.torch2nnef.check.nneftools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.check.CheckRequest;
import org.torch2nnef.check.Checker;
import org.torch2nnef.check.CheckerMode;

/** nnef-infer is found as tract is: --nnef-infer, then NNEF_INFER_BIN, then PATH. */
class NnefInferLocatorTest {
    @TempDir Path dir;

    private Path executable(String name) throws IOException {
        Path p = Files.createDirectories(dir.resolve(name)).resolve(NnefInferLocator.NAME);
        Files.writeString(p, "#!/bin/sh\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void explicitThenVariableThenPath() throws IOException {
        Path onPath = executable("path");
        Path fromEnv = executable("env");
        Path given = executable("given");
        Map<String, String> env =
                Map.of(
                        "PATH",
                        onPath.getParent().toString(),
                        NnefInferLocator.ENV,
                        fromEnv.toString());
        NnefInferLocator locator = new NnefInferLocator(env);
        assertEquals(
                new NnefInferLocator.Found(given, "--nnef-infer"),
                locator.locate(Optional.of(given)));
        assertEquals(
                new NnefInferLocator.Found(fromEnv, NnefInferLocator.ENV),
                locator.locate(Optional.empty()));
        assertEquals(
                new NnefInferLocator.Found(onPath, "PATH"),
                new NnefInferLocator(Map.of("PATH", onPath.getParent().toString()))
                        .locate(Optional.empty()));
    }

    @Test
    void missingIsUnavailableSayingWhereItLooked() {
        NnefToolsChecker checker =
                new NnefToolsChecker(new NnefInferLocator(Map.of("PATH", dir.toString())));
        assertEquals(CheckerMode.NNEF_TOOLS, checker.mode());
        Checker.Preparation p =
                checker.prepare(CheckRequest.builder(dir.resolve("m.pt"), dir).build());
        Checker.Unavailable u = (Checker.Unavailable) p;
        assertTrue(u.reason().contains("NNEF_INFER_BIN not set"), u.reason());
        assertTrue(u.notInstalled().isPresent());
        IllegalStateException e =
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                new NnefInferLocator(Map.of())
                                        .locate(Optional.of(dir.resolve("absent"))));
        assertTrue(e.getMessage().contains("--nnef-infer"), e.getMessage());
    }

    @Test
    void cliNameIsNnefTools() {
        assertEquals("nnef-tools", CheckerMode.NNEF_TOOLS.cliName());
        assertEquals(CheckerMode.NNEF_TOOLS, CheckerMode.parse("nnef-tools"));
    }
}
