package org.torch2nnef.check.tract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.report.ExitCode;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;

/**
 * The cap's property, the command line that applies it, and how a tract dying under it is read. The
 * runs use STAND-IN tract scripts (not tract): they show what the check does with such a process;
 * RealTractMemoryCapTest shows real tract under a cap.
 */
class TractMemoryCapTest {
    private static final long MB = 1 << 20;

    @TempDir Path tmp;

    private static TractMemoryCap withProperty(String value) {
        System.setProperty(TractMemoryCap.PROPERTY, value);
        try {
            return TractMemoryCap.fromSystemProperties();
        } finally {
            System.clearProperty(TractMemoryCap.PROPERTY);
        }
    }

    @Test
    void thePropertyTakesASizeOrNoneAndDefaultsToAtLeastEightGigabytes() {
        assertEquals(Optional.of(64 * MB), withProperty("64m").bytes());
        assertEquals(Optional.of(3L << 30), withProperty(" 3G ").bytes());
        assertEquals(Optional.of(4096L), withProperty("4096").bytes());
        assertEquals(Optional.empty(), withProperty("none").bytes());
        System.clearProperty(TractMemoryCap.PROPERTY);
        assertTrue(TractMemoryCap.fromSystemProperties().bytes().orElseThrow() >= 8L << 30);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> withProperty("lots"));
        assertEquals(
                "-Dtorch2nnef.limit.tractMemory=lots: not a size (bytes, or a number with k, m, g"
                        + " or t)",
                e.getMessage());
    }

    @Test
    void aCappedCommandRunsThroughAShellThatSetsTheCapAndExecsTract() {
        List<String> tract = List.of("/opt/tract", "m.nnef.tgz", "-O", "run");
        assertEquals(
                List.of(
                        "/bin/sh",
                        "-c",
                        "ulimit -c 0; ulimit -v 65536 && exec \"$@\"",
                        "torch2nnef-tract",
                        "/opt/tract",
                        "m.nnef.tgz",
                        "-O",
                        "run"),
                new TractMemoryCap(Optional.of(64 * MB)).command(tract));
        assertEquals(tract, TractMemoryCap.NONE.command(tract));
    }

    @Test
    void theProcessRunsUnderTheCap() throws Exception {
        ProcessResult r =
                new TractMemoryCap(Optional.of(96 * MB))
                        .run(List.of("/bin/sh", "-c", "ulimit -v"), tmp, Duration.ofSeconds(30));
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(String.valueOf(96 * 1024), r.output().strip());
    }

    private Path script(String name, String body) throws Exception {
        Path exe = Files.createDirectories(tmp.resolve(name)).resolve("tract");
        Files.writeString(
                exe,
                "#!/bin/sh\n"
                        + "if [ \"$1\" = --version ]; then echo 'tract 0.22.3'; exit 0; fi\n"
                        + body);
        assertTrue(exe.toFile().setExecutable(true));
        return exe;
    }

    private TractCheckRequest request(Path tract) throws Exception {
        Path model = Files.createDirectories(tmp.resolve("model"));
        Files.writeString(model.resolve("graph.nnef"), "version 1.0;\n");
        Path io = tmp.resolve("io.npz");
        Files.deleteIfExists(io);
        Npz.write(
                new TensorBundle("io")
                        .add(HostTensor.ofFloats("a", new long[] {1}, 1))
                        .add(HostTensor.ofFloats("c", new long[] {1}, 2)),
                io);
        return TractCheckRequest.of(model, io, List.of("c"), tmp.resolve("work")).withTract(tract);
    }

    private CheckReport check(Path tract, TractMemoryCap cap) throws Exception {
        return new TractCheck(new TractLocator(Map.of()), () -> cap).check(request(tract));
    }

    /**
     * Rust's failed allocation under the cap; this one then hangs, as tract does when it captures a
     * backtrace with no memory left (RUST_BACKTRACE=1): killed soon after, not at the timeout.
     */
    @Test
    void aFailedAllocationUnderTheCapIsExitThreeNamingTheCapAndTheProperty() throws Exception {
        Path tract =
                script(
                        "oom",
                        "echo \"cap $(ulimit -v)\"\n"
                                + "echo 'memory allocation of 7168 bytes failed' >&2\n"
                                + "sleep 120\n");
        long start = System.nanoTime();
        CheckReport r = check(tract, new TractMemoryCap(Optional.of(64 * MB)));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(ExitCode.CHECKER_UNAVAILABLE, r.verdict(), r.message());
        assertEquals(3, r.exitCode());
        assertEquals(
                "tract ran out of memory under its cap of 64m (exit 137): memory allocation of 7168"
                        + " bytes failed; raise the cap with -Dtorch2nnef.limit.tractMemory=SIZE"
                        + " through TORCH2NNEF_JAVA_OPTS (=none lifts it)",
                r.message());
        assertTrue(r.checkerOutput().startsWith("cap 65536\n"), r.checkerOutput());
        assertTrue(took.compareTo(Duration.ofSeconds(60)) < 0, "took " + took);
        // the report's command is tract's own, to re-run by hand
        assertEquals(tract.toString(), r.command().get(0));
    }

    /** Too small a cap kills tract as it starts (the kernel cannot map it: SIGSEGV). */
    @Test
    void aSignalUnderTheCapIsExitThreeNamingTheCap() throws Exception {
        Path tract = script("segv", "kill -SEGV $$\n");
        CheckReport r = check(tract, new TractMemoryCap(Optional.of(16 * MB)));
        assertEquals(ExitCode.CHECKER_UNAVAILABLE, r.verdict(), r.message());
        assertEquals(
                "tract crashed (killed by signal SIGSEGV, exit 139) under its memory cap of 16m,"
                        + " which may be too small for it: (no output); raise the cap with"
                        + " -Dtorch2nnef.limit.tractMemory=SIZE through TORCH2NNEF_JAVA_OPTS"
                        + " (=none lifts it)",
                r.message());
    }

    @Test
    void anOutOfMemoryErrorWithoutACapIsStillExitThree() throws Exception {
        Path tract = script("err", "echo '[2026 ERROR tract] out of memory'\nexit 1\n");
        CheckReport r = check(tract, TractMemoryCap.NONE);
        assertEquals(ExitCode.CHECKER_UNAVAILABLE, r.verdict(), r.message());
        assertEquals(
                "tract ran out of memory (exit 1): [2026 ERROR tract] out of memory", r.message());
        assertFalse(r.message().contains("raise"), r.message());
    }

    @Test
    void aMalformedCapIsAnInputError() throws Exception {
        Path tract = script("ok", "exit 0\n");
        System.setProperty(TractMemoryCap.PROPERTY, "12x");
        CheckReport r;
        try {
            r = new TractCheck(new TractLocator(Map.of())).check(request(tract));
        } finally {
            System.clearProperty(TractMemoryCap.PROPERTY);
        }
        assertEquals(ExitCode.USAGE_OR_INPUT_ERROR, r.verdict(), r.message());
        assertTrue(r.message().startsWith("-Dtorch2nnef.limit.tractMemory=12x"), r.message());
    }
}
