package org.torch2nnef.check.debug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebugBundleWriterTest {
    @TempDir Path tmp;
    DebugBundleContent content;

    @BeforeEach
    void content() throws IOException {
        Path model = Files.createDirectories(tmp.resolve("out/my model"));
        Files.writeString(model.resolve("graph.nnef"), "version 1.0;\n");
        Files.createDirectories(model.resolve("w"));
        Files.write(model.resolve("w/weight.dat"), new byte[] {1, 2, 3});
        Path io = Files.write(tmp.resolve("io.npz"), new byte[] {9});
        List<String> cmd =
                List.of(
                        "/opt/tract's/tract",
                        model.toAbsolutePath().toString(),
                        "--nnef-tract-core",
                        "-O",
                        "run",
                        "--input-from-bundle",
                        io.toAbsolutePath().toString(),
                        "--save-outputs-npz",
                        tmp.resolve("work/tract-outputs.npz").toString());
        content =
                new DebugBundleContent(
                        model,
                        io,
                        cmd,
                        "tract said no\n",
                        Versions.collect(
                                Optional.of("0.35.1"),
                                Optional.of("2.7.1"),
                                Optional.of("0.21.13")),
                        "exported 3 ops\n");
    }

    @Test
    void writesADirectoryWithARunnableScript() throws IOException {
        Path dir = DebugBundleWriter.write(content, tmp.resolve("bundle"));
        assertEquals("version 1.0;\n", Files.readString(dir.resolve("model/my model/graph.nnef")));
        assertEquals(3, Files.size(dir.resolve("model/my model/w/weight.dat")));
        assertEquals(1, Files.size(dir.resolve("io.npz")));
        assertEquals("tract said no\n", Files.readString(dir.resolve("checker-output.txt")));
        assertEquals("exported 3 ops\n", Files.readString(dir.resolve("export.log")));
        String versions = Files.readString(dir.resolve("versions.txt"));
        for (String key :
                List.of(
                        "torch2nnef: ",
                        "djl: 0.35.1",
                        "libtorch: 2.7.1",
                        "tract: 0.21.13",
                        "java: 17",
                        "os: ")) {
            assertTrue(versions.contains(key), versions);
        }
        Path run = dir.resolve("run.sh");
        assertTrue(Files.isExecutable(run));
        List<String> lines = Files.readAllLines(run);
        assertEquals("#!/bin/sh", lines.get(0));
        assertTrue(lines.get(2).startsWith("#   '/opt/tract'\\''s/tract' "), lines.get(2));
        assertEquals(
                "exec \"${TRACT_BIN:-/opt/tract's/tract}\" 'model/my model' --nnef-tract-core "
                        + "-O run --input-from-bundle io.npz --save-outputs-npz tract-outputs.npz",
                lines.get(4));
    }

    /** The script really runs: a stand-in tract echoes the arguments it was given. */
    @Test
    void runScriptExecutesFromTheBundleDirectory() throws Exception {
        Path dir = DebugBundleWriter.write(content, tmp.resolve("bundle"));
        Path fake = tmp.resolve("echo-tract");
        Files.writeString(fake, "#!/bin/sh\nls \"$1\" && test -f \"$6\" && echo \"$@\"\n");
        assertTrue(fake.toFile().setExecutable(true));
        ProcessBuilder pb =
                new ProcessBuilder(dir.resolve("run.sh").toString())
                        .directory(tmp.toFile())
                        .redirectErrorStream(true);
        pb.environment().put("TRACT_BIN", fake.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertEquals(
                "graph.nnef\nw\nmodel/my model --nnef-tract-core -O run --input-from-bundle "
                        + "io.npz --save-outputs-npz tract-outputs.npz\n",
                out);
    }

    @Test
    void writesATgzUnderOneTopDirectory() throws IOException {
        Path tgz = DebugBundleWriter.write(content, tmp.resolve("bug.tgz"));
        Map<String, Integer> modes = new TreeMap<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(tgz));
                TarArchiveInputStream tar =
                        new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                modes.put(e.getName(), e.getMode() & 0777);
                if (e.getName().endsWith("export.log")) {
                    assertEquals(
                            "exported 3 ops\n",
                            new String(tar.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        assertEquals(
                List.of(
                        "bug/checker-output.txt",
                        "bug/export.log",
                        "bug/io.npz",
                        "bug/model/my model/graph.nnef",
                        "bug/model/my model/w/weight.dat",
                        "bug/run.sh",
                        "bug/versions.txt"),
                List.copyOf(modes.keySet()));
        assertEquals(0755, modes.get("bug/run.sh"));
        assertEquals(0644, modes.get("bug/io.npz"));
    }

    /**
     * Issue 14: a model directory holding links to a file and a directory outside it: the bundle
     * (uploaded by CI) copies neither, only the model's regular files.
     */
    @Test
    void linksInTheModelDirectoryAreNeverFollowed() throws IOException {
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "password");
        Path secrets = Files.createDirectories(tmp.resolve("secrets"));
        Files.writeString(secrets.resolve("key"), "private");
        Files.createSymbolicLink(content.model().resolve("passwd.dat"), secret);
        Files.createSymbolicLink(content.model().resolve("w/leak"), secrets);
        Path dir = DebugBundleWriter.write(content, tmp.resolve("bundle"));
        try (Stream<Path> walk = Files.walk(dir.resolve("model"))) {
            assertEquals(
                    List.of("my model/graph.nnef", "my model/w/weight.dat"),
                    walk.filter(Files::isRegularFile)
                            .map(p -> dir.resolve("model").relativize(p).toString())
                            .sorted()
                            .toList());
        }
        List<String> entries = new ArrayList<>();
        Path tgz = DebugBundleWriter.write(content, tmp.resolve("bug.tgz"));
        try (InputStream in = new BufferedInputStream(Files.newInputStream(tgz));
                TarArchiveInputStream tar =
                        new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                entries.add(e.getName());
                String text = new String(tar.readAllBytes(), StandardCharsets.UTF_8);
                assertFalse(text.contains("password") || text.contains("private"), e.getName());
            }
        }
        assertTrue(entries.stream().noneMatch(n -> n.contains("passwd") || n.contains("leak")));
    }

    @Test
    void missingInputsAreNamed() {
        DebugBundleContent bad =
                new DebugBundleContent(
                        tmp.resolve("gone.nnef.tgz"),
                        content.ioBundle(),
                        List.of(),
                        "",
                        Map.of(),
                        "");
        IOException e =
                assertThrows(
                        IOException.class, () -> DebugBundleWriter.write(bad, tmp.resolve("b")));
        assertTrue(e.getMessage().contains("gone.nnef.tgz: model to bundle not found"));
    }
}
