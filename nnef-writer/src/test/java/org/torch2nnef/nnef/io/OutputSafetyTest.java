package org.torch2nnef.nnef.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Permissions, overwrites and leftovers of interrupted writes (issue 14, items 7 and 8). */
class OutputSafetyTest {
    @TempDir Path dir;

    /** What the umask gives a new file or directory here. */
    private Set<PosixFilePermission> umaskMode(boolean directory) throws IOException {
        Path probe = dir.resolve(directory ? "probe-dir" : "probe-file");
        if (directory) {
            Files.createDirectory(probe);
        } else {
            Files.createFile(probe);
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(probe);
        Files.delete(probe);
        return mode;
    }

    @Test
    void outputsGetTheUmaskModeNotPrivateOnes() throws IOException {
        Path tgz = dir.resolve("m.nnef.tgz");
        NnefArchiveWriter.write(SampleModels.linear(), tgz);
        assertEquals(umaskMode(false), Files.getPosixFilePermissions(tgz));
        Path model = dir.resolve("m");
        NnefArchiveWriter.write(SampleModels.linear(), model);
        assertEquals(umaskMode(true), Files.getPosixFilePermissions(model));
        assertEquals(umaskMode(false), Files.getPosixFilePermissions(model.resolve("graph.nnef")));
    }

    @Test
    void anOverwrittenFileKeepsItsMode() throws IOException {
        Path tgz = dir.resolve("m.nnef.tgz");
        Files.writeString(tgz, "old");
        Set<PosixFilePermission> shared = PosixFilePermissions.fromString("rw-r-----");
        Files.setPosixFilePermissions(tgz, shared);
        NnefArchiveWriter.write(SampleModels.linear(), tgz);
        assertEquals(shared, Files.getPosixFilePermissions(tgz));
    }

    @Test
    void aDirectoryWithAnExportsFilesOnlyIsReplaced() throws IOException {
        Path model = dir.resolve("m");
        Files.createDirectories(model.resolve("layer"));
        Files.writeString(model.resolve("graph.nnef"), "old");
        Files.writeString(model.resolve("graph.quant"), "old");
        Files.writeString(model.resolve("layer/old.dat"), "old");
        NnefArchiveWriter.write(SampleModels.linear(), model);
        assertEquals(
                QuantPrinter.print(SampleModels.linear().quantization()),
                Files.readString(model.resolve("graph.quant")));
        assertFalse(Files.exists(model.resolve("layer/old.dat")));
        assertEquals(List.of("m"), names(dir));
    }

    @Test
    void aModelDirectoryHoldingOtherFilesIsRefusedUntouched() throws IOException {
        Path model = dir.resolve("m");
        Files.createDirectories(model.resolve("notes"));
        Files.writeString(model.resolve("graph.nnef"), "old");
        Files.writeString(model.resolve("notes/todo.txt"), "mine");
        OutputRefusedException e =
                assertThrows(
                        OutputRefusedException.class,
                        () -> NnefArchiveWriter.write(SampleModels.linear(), model));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                model.toAbsolutePath()
                                        + " holds notes/todo.txt, which an export does not write"),
                e.getMessage());
        assertEquals("mine", Files.readString(model.resolve("notes/todo.txt")));
        assertEquals("old", Files.readString(model.resolve("graph.nnef")));
        assertEquals(List.of("m"), names(dir));
    }

    @Test
    void temporariesOfDeadOrLongGoneWritersAreRemovedByTheNextWrite() throws Exception {
        Path target = dir.resolve("m.nnef.tgz");
        String base = ".m.nnef.tgz.tmp";
        long dead = deadPid();
        String ours = ScratchNames.fresh(base);
        String ofDeadWriter =
                ours.replace("-" + ProcessHandle.current().pid() + "-", "-" + dead + "-");
        Path deadTemp = Files.writeString(dir.resolve(ofDeadWriter), "debris");
        Path ancient = Files.writeString(dir.resolve(base + "-123456789"), "old debris");
        Files.setLastModifiedTime(ancient, FileTime.from(Instant.now().minusSeconds(86_400)));
        Path recentUnknown = Files.writeString(dir.resolve(base + "-987654321"), "maybe live");
        Path live = Files.writeString(dir.resolve(ours), "our own, being written");
        Path otherTarget = Files.writeString(dir.resolve(".n.nnef.tgz.tmp-1"), "not ours");
        Files.setLastModifiedTime(otherTarget, FileTime.from(Instant.now().minusSeconds(86_400)));

        NnefArchiveWriter.write(SampleModels.linear(), target);

        assertFalse(Files.exists(deadTemp));
        assertFalse(Files.exists(ancient));
        assertTrue(Files.exists(recentUnknown));
        assertTrue(Files.exists(live));
        assertTrue(Files.exists(otherTarget));
    }

    @Test
    void sigtermDuringAWriteRemovesItsTemporary() throws Exception {
        Path target = dir.resolve("m");
        Process p =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                StalledWrite.class.getName(),
                                target.toString())
                        .redirectErrorStream(true)
                        .start();
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (names(dir).stream().noneMatch(n -> n.startsWith(".m.tmp-"))) {
                assertTrue(p.isAlive(), () -> "writer died: " + output(p));
                assertTrue(System.nanoTime() < deadline, "no temporary appeared");
                Thread.sleep(20);
            }
            p.destroy(); // SIGTERM
            p.waitFor();
        } finally {
            p.destroyForcibly();
        }
        assertEquals(List.of(), names(dir));
    }

    private static String output(Process p) {
        try {
            return new String(p.getInputStream().readAllBytes());
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Writes a model whose last text never comes, so the write waits with its temporary open. */
    static final class StalledWrite {
        public static void main(String[] args) throws Exception {
            NnefArchiveWriter.write(
                    SampleModels.linear(),
                    Path.of(args[0]),
                    6,
                    new NnefArchiveWriter.LateText(
                            "network", // the graph's name: once in graph.nnef
                            () -> {
                                Thread.sleep(Long.MAX_VALUE);
                                return "";
                            }));
        }
    }
}
