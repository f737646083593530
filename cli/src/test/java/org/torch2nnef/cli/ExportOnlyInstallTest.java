package org.torch2nnef.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export-only install, {@code target/lib} (the full one is {@code target/lib-full}): it holds
 * no DJL or libtorch, and {@code export} runs with it alone while {@code check} says it cannot
 * check. Runs in the package phase, after the libraries are copied (see the cli pom).
 */
class ExportOnlyInstallTest {
    private static final Path TARGET = Path.of("target").toAbsolutePath();
    private static final Path SAMPLE =
            Path.of("..", "samples", "models", "conv_relu_linear.pt").toAbsolutePath();

    @TempDir Path tmp;

    private static List<Path> jars(String dir) throws IOException {
        try (Stream<Path> s = Files.list(TARGET.resolve(dir))) {
            return s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
    }

    /** Whether the jar holds DJL classes or libtorch's natives. */
    private static boolean holdsTorch(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream()
                    .anyMatch(
                            e ->
                                    e.getName().startsWith("ai/djl/")
                                            || e.getName().startsWith("pytorch/"));
        }
    }

    @Test
    void theExportOnlySetHoldsNoDjlOrLibtorchAndTheFullSetDoes() throws IOException {
        for (Path jar : jars("lib")) {
            assertFalse(holdsTorch(jar), jar + " is in the export-only install");
        }
        boolean full = false;
        for (Path jar : jars("lib-full")) {
            full |= holdsTorch(jar);
        }
        assertTrue(full, "lib-full holds no DJL jar: the check above proves nothing");
    }

    private record Run(int exit, String output) {}

    private Run exportOnly(String... args) throws IOException, InterruptedException {
        List<String> classPath =
                new ArrayList<>(List.of(TARGET.resolve("torch2nnef.jar").toString()));
        jars("lib").forEach(j -> classPath.add(j.toString()));
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                String.join(File.pathSeparator, classPath),
                                Torch2Nnef.class.getName()));
        command.addAll(List.of(args));
        Path log = tmp.resolve("output.txt");
        Process p =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        int exit = p.waitFor();
        return new Run(exit, Files.readString(log, StandardCharsets.UTF_8));
    }

    @Test
    void exportRunsWithTheExportOnlySetAndCheckFailsClearly() throws Exception {
        Path out = tmp.resolve("conv_relu_linear.nnef.tgz");
        Run export =
                exportOnly(
                        "export", SAMPLE.toString(), "--input", "x=2,3,16", "-o", out.toString());
        assertEquals(0, export.exit(), export.output());
        assertTrue(Files.size(out) > 0, export.output());

        Run check = exportOnly("check", SAMPLE.toString(), out.toString(), "--input", "x=2,3,16");
        assertEquals(3, check.exit(), check.output());
        assertTrue(
                check.output().contains("export-only installation, which cannot check"),
                check.output());
        assertFalse(check.output().contains("\tat "), "a stack trace: " + check.output());
    }
}
