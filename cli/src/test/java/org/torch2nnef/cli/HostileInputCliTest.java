package org.torch2nnef.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.torch2nnef.cli.CommandRun.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14, item 10 and the CLI side of item 8: every refusal is exit 2 naming the path. */
class HostileInputCliTest {
    @TempDir Path tmp;

    private static String sample() {
        return Path.of("..", "samples", "models", "conv_relu_linear.pt")
                .toAbsolutePath()
                .normalize()
                .toString();
    }

    private CommandRun export(String model, String out, String... more) {
        List<String> args =
                new java.util.ArrayList<>(
                        List.of("export", model, "--input", "x=2,3,16", "-o", out));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    private static void assertRefused(CommandRun r, String head) {
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains(head), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void aModelThatIsAFolderIsNamed() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("model.pt"));
        String out = tmp.resolve("o.nnef.tgz").toString();
        assertRefused(export(dir.toString(), out), dir + ": is a directory, not a file");
        assertRefused(run("inspect", dir.toString()), dir + ": is a directory, not a file");
        assertFalse(Files.exists(Path.of(out)));
    }

    @Test
    void aFifoAsModelIsRefusedWithoutBlocking() throws Exception {
        Path fifo = tmp.resolve("model.pt");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo");
        String head = fifo + ": not a regular file (a FIFO, device or socket)";
        assertTimeoutPreemptively(
                Duration.ofSeconds(30),
                () -> {
                    assertRefused(export(fifo.toString(), tmp.resolve("o").toString()), head);
                    assertRefused(run("inspect", fifo.toString()), head);
                    assertRefused(run("check", fifo.toString(), tmp.toString()), head);
                });
    }

    @Test
    void aMissingInputsNpzIsNoSuchFile() {
        Path npz = tmp.resolve("nope.npz");
        assertRefused(
                run("export", sample(), "--inputs-npz", npz.toString(), "-o", tmp + "/o"),
                npz + ": no such file");
    }

    @Test
    void aPluginThatIsNoJarIsRefused() throws Exception {
        Path notJar = Files.writeString(tmp.resolve("plugin.txt"), "hello");
        assertRefused(
                export(sample(), tmp + "/o.nnef.tgz", "--plugins", notJar.toString()),
                "--plugins " + notJar + ": not a jar");
    }

    @Test
    void reportAndDebugBundleWithoutCheckAreUsageErrors() {
        assertRefused(
                export(sample(), tmp + "/o.nnef.tgz", "--report", tmp + "/r.json"),
                "--report reports on a check: add --check");
        assertRefused(
                export(sample(), tmp + "/o.nnef.tgz", "--debug-bundle", tmp + "/b"),
                "--debug-bundle reports on a check: add --check");
        assertFalse(Files.exists(tmp.resolve("o.nnef.tgz")));
    }

    @Test
    void inspectExitsTwoForAnUnreadableModelAsExportDoes() throws Exception {
        Path garbage = Files.writeString(tmp.resolve("garbage.pt"), "not a zip");
        assertRefused(run("inspect", garbage.toString()), garbage + ": not a zip archive");
        assertRefused(run("inspect", tmp.resolve("gone.pt").toString()), "gone.pt: no such file");
        assertRefused(
                export(garbage.toString(), tmp + "/o.nnef.tgz"), garbage + ": not a zip archive");
    }

    @Test
    void anOutputDirectoryHoldingOtherFilesIsRefusedAndKept() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(out.resolve("graph.nnef"), "version 1.0;");
        Files.writeString(out.resolve("README.md"), "mine");
        assertRefused(
                export(sample(), out.toString()),
                " holds README.md, which an export does not write; refusing to replace");
        assertEquals("mine", Files.readString(out.resolve("README.md")));
        assertEquals("version 1.0;", Files.readString(out.resolve("graph.nnef")));
    }

    @Test
    void aReadOnlyOutputFolderIsPermissionDeniedNamingTheOutput() throws Exception {
        Path ro = Files.createDirectories(tmp.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeTrue(!Files.isWritable(ro), "permissions are not enforced (running as root)");
            Path out = ro.resolve("m.nnef.tgz");
            assertRefused(export(sample(), out.toString()), out + ": permission denied");
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
