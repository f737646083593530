package org.torch2nnef.check.tract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.check.compare.Approximation;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.report.ExitCode;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;

/**
 * Uses a STAND-IN tract (see {@link StandInTract}): these tests check only the command line we
 * build, how tract is located, and how exit codes and output are read; they say nothing about tract
 * itself.
 */
class TractCheckStandInTest {
    @TempDir Path tmp;
    Path model;
    Path io;
    Path sameOutputs;
    Path otherOutputs;

    @BeforeEach
    void bundles() throws Exception {
        model = Files.createDirectories(tmp.resolve("model"));
        Files.writeString(model.resolve("graph.nnef"), "version 1.0;\n");
        io = tmp.resolve("io.npz");
        Npz.write(new TensorBundle("io").add(f32("a", 1, 2)).add(f32("c", 3, 4)), io);
        sameOutputs = tmp.resolve("same.npz");
        Npz.write(new TensorBundle("same").add(f32("c", 3, 4)), sameOutputs);
        otherOutputs = tmp.resolve("other.npz");
        Npz.write(new TensorBundle("other").add(f32("c", 3, 4.5f)), otherOutputs);
    }

    private static HostTensor f32(String name, float... v) {
        return HostTensor.ofFloats(name, new long[] {v.length}, v);
    }

    private TractCheckRequest request(StandInTract t) {
        return TractCheckRequest.of(model, io, List.of("c"), tmp.resolve("work"))
                .withTract(t.executable);
    }

    private StandInTract standIn(String version, String output, int exit, Path saved)
            throws Exception {
        return StandInTract.write(tmp.resolve("bin"), version, output, exit, saved, 0);
    }

    @Test
    void buildsTheCurrentCommandLineAndPassesOnACleanRun() throws Exception {
        StandInTract t = standIn("0.21.13", "all good", 0, sameOutputs);
        CheckReport r =
                new TractCheck(new TractLocator(Map.of()))
                        .check(request(t).withApproximation(Approximation.VERY));
        Path saved = tmp.resolve("work").resolve(TractCheck.SAVED_OUTPUTS).toAbsolutePath();
        List<String> expectedArgs =
                List.of(
                        model.toAbsolutePath().toString(),
                        "--nnef-tract-core",
                        "--nnef-tract-pulse",
                        "-O",
                        "run",
                        "--input-from-bundle",
                        io.toAbsolutePath().toString(),
                        "--assert-output-bundle",
                        io.toAbsolutePath().toString(),
                        "--allow-float-casts",
                        "--approx",
                        "very",
                        "--save-outputs-npz",
                        saved.toString());
        assertEquals(expectedArgs, t.recordedArgs());
        assertEquals(ExitCode.EQUAL, r.verdict(), r.toConsoleTable());
        assertEquals("tract", r.checker());
        assertEquals("0.21.13", r.checkerVersion());
        assertEquals("very", r.approximation());
        assertEquals(1, r.outputs().size());
        assertTrue(r.outputs().get(0).passed());
        assertEquals("all good\n", r.checkerOutput());
        assertEquals(t.executable.toString(), r.command().get(0));
        assertEquals(expectedArgs, r.command().subList(1, r.command().size()));
    }

    @Test
    void nonZeroExitIsADifferenceQuotingTractsError() throws Exception {
        String out =
                "[2025-01-01T00:00:00Z ERROR tract] Checking output 0\nMismatch. First outlier";
        CheckReport r =
                new TractCheck(new TractLocator(Map.of()))
                        .check(request(standIn("0.23.5", out, 1, otherOutputs)));
        assertEquals(ExitCode.OUTPUTS_DIFFER, r.verdict());
        assertTrue(
                r.message().startsWith("tract failed (exit 1): [2025-01-01T00:00:00Z ERROR tract]"),
                r.message());
        assertEquals(out + "\n", r.checkerOutput());
        assertEquals(0.5, r.outputs().get(0).maxAbsError());
    }

    @Test
    void errorInOutputFailsEvenWithExitZero() throws Exception {
        CheckReport r =
                new TractCheck(new TractLocator(Map.of()))
                        .check(request(standIn("0.23.5", "x ERROR y", 0, sameOutputs)));
        assertEquals(ExitCode.OUTPUTS_DIFFER, r.verdict());
        assertEquals("tract logged an error: x ERROR y", r.message());
    }

    @Test
    void savedOutputsThatDifferFailEvenWhenTractAccepts() throws Exception {
        CheckReport r =
                new TractCheck(new TractLocator(Map.of()))
                        .check(request(standIn("0.23.5", "ok", 0, otherOutputs)));
        assertEquals(ExitCode.OUTPUTS_DIFFER, r.verdict());
        assertTrue(r.message().contains("saved outputs differ at approximate"), r.message());
    }

    @Test
    void panicIsACrash() throws Exception {
        String out = "thread 'main' panicked at core/src/model.rs:12:5:\nindex out of bounds";
        CheckReport r =
                new TractCheck(new TractLocator(Map.of()))
                        .check(request(standIn("0.23.5", out, 101, null)));
        assertEquals(ExitCode.CHECKER_UNAVAILABLE, r.verdict());
        assertEquals(3, r.exitCode());
        assertTrue(
                r.message().contains("tract crashed (exit 101): thread 'main' panicked at"),
                r.message());
    }

    /** STAND-IN tract printing what a Rust stack overflow prints, then exiting as SIGABRT does. */
    @Test
    void aStackOverflowIsACrashNotADifference() throws Exception {
        String out =
                "\nthread 'main' has overflowed its stack\nfatal runtime error: stack overflow";
        CheckReport r =
                new TractCheck(new TractLocator(Map.of()))
                        .check(request(standIn("0.23.5", out, 134, null)));
        assertEquals(3, r.exitCode(), r.toConsoleTable());
        assertTrue(
                r.message().startsWith("tract crashed (exit 134): thread 'main' has overflowed"),
                r.message());
    }

    /** STAND-IN tract: a silent death by signal (here SIGSEGV's 139) is a crash too. */
    @Test
    void aSilentDeathBySignalIsACrash() throws Exception {
        CheckReport r =
                new TractCheck(new TractLocator(Map.of()))
                        .check(request(standIn("0.23.5", "", 139, sameOutputs)));
        assertEquals(3, r.exitCode(), r.toConsoleTable());
        assertTrue(
                r.message().startsWith("tract crashed (killed by signal SIGSEGV, exit 139)"),
                r.message());
    }

    @Test
    void timeoutKillsTractAndCountsAsUnavailable() throws Exception {
        StandInTract t = StandInTract.write(tmp.resolve("bin"), "0.23.5", "late", 0, null, 60);
        long start = System.nanoTime();
        CheckReport r =
                new TractCheck(new TractLocator(Map.of()))
                        .check(request(t).withTimeout(Duration.ofSeconds(1)));
        assertTrue(System.nanoTime() - start < 20_000_000_000L, "took too long");
        assertEquals(ExitCode.CHECKER_UNAVAILABLE, r.verdict());
        assertEquals("tract timed out after 1 s and was killed", r.message());
    }

    @Test
    void oldTractWithoutANeededExtensionIsUnavailable() throws Exception {
        CheckReport r =
                new TractCheck(new TractLocator(Map.of()))
                        .check(request(standIn("0.20.18", "", 0, null)).withNnefTractExtra(true));
        assertEquals(ExitCode.CHECKER_UNAVAILABLE, r.verdict());
        assertTrue(r.message().contains("needs 0.20.19"), r.message());
    }

    @Test
    void oldTractChecksAtApproximateAndSaysSo() throws Exception {
        StandInTract t = standIn("0.21.6", "", 0, sameOutputs);
        CheckReport r =
                new TractCheck(new TractLocator(Map.of()))
                        .check(request(t).withApproximation(Approximation.CLOSE));
        assertTrue(!t.recordedArgs().contains("--approx"));
        assertEquals("approximate", r.approximation());
        assertTrue(
                r.message().contains("cannot check at close, it checked at approximate"),
                r.message());
    }

    @Test
    void missingBundleIsAnInputError() throws Exception {
        StandInTract t = standIn("0.23.5", "", 0, null);
        CheckReport r =
                new TractCheck(new TractLocator(Map.of()))
                        .check(
                                TractCheckRequest.of(
                                                model, tmp.resolve("nope.npz"), List.of("c"), tmp)
                                        .withTract(t.executable));
        assertEquals(ExitCode.USAGE_OR_INPUT_ERROR, r.verdict());
        assertTrue(r.message().contains("nope.npz"), r.message());
        r =
                new TractCheck(new TractLocator(Map.of()))
                        .check(
                                TractCheckRequest.of(model, io, List.of("zz"), tmp)
                                        .withTract(t.executable));
        assertEquals(ExitCode.USAGE_OR_INPUT_ERROR, r.verdict());
        assertTrue(r.message().contains("no tensor named 'zz'"), r.message());
    }

    @Test
    void locatorPrefersExplicitThenEnvironmentThenPath() throws Exception {
        StandInTract explicit = StandInTract.write(tmp.resolve("a"), "0.21.1", "", 0, null, 0);
        StandInTract env = StandInTract.write(tmp.resolve("b"), "0.22.2", "", 0, null, 0);
        StandInTract onPath = StandInTract.write(tmp.resolve("c"), "0.23.3", "", 0, null, 0);
        Map<String, String> all =
                Map.of(
                        TractLocator.ENV,
                        env.executable.toString(),
                        "PATH",
                        tmp.resolve("empty") + ":" + onPath.executable.getParent());
        TractLocator locator = new TractLocator(all);
        TractBinary b = locator.locate(Optional.of(explicit.executable));
        assertEquals("0.21.1 --tract", b.version() + " " + b.foundVia());
        b = locator.locate(Optional.empty());
        assertEquals("0.22.2 TRACT_BIN", b.version() + " " + b.foundVia());
        b = new TractLocator(Map.of("PATH", all.get("PATH"))).locate(Optional.empty());
        assertEquals("0.23.3 PATH", b.version() + " " + b.foundVia());

        TractUnavailableException e =
                assertThrows(
                        TractUnavailableException.class,
                        () ->
                                new TractLocator(Map.of("PATH", tmp.resolve("empty").toString()))
                                        .locate(Optional.empty()));
        assertTrue(e.getMessage().startsWith("tract not found"), e.getMessage());
        e =
                assertThrows(
                        TractUnavailableException.class,
                        () -> locator.locate(Optional.of(model.resolve("graph.nnef"))));
        assertTrue(e.getMessage().contains("is not an executable file"), e.getMessage());

        CheckReport r =
                new TractCheck(new TractLocator(Map.of()))
                        .check(TractCheckRequest.of(model, io, List.of("c"), tmp));
        assertEquals(ExitCode.CHECKER_UNAVAILABLE, r.verdict());
        assertEquals("unknown", r.checkerVersion());
    }
}
