package org.torch2nnef.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.report.ExitCode;
import org.torch2nnef.check.torch.Limits;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.io.ArchivePaths;

/**
 * The reference interpreter runs an untrusted model in a capped child JVM (what the CLI does): it
 * answers as the in-process run does, and a graph allocating past the memory cap, a child that
 * cannot live under its caps or one over its time limit is exit code 3 naming the model, what
 * happened and the cap, with the JSON report written and no work folder left.
 */
class HostileInterpreterIsolationTest {
    private static final Duration GENEROUS = Duration.ofMinutes(5);

    @TempDir Path tmp;

    /** Torch in a child under the default caps, the interpreter in one under {@code limits}. */
    private static CheckRunner isolated(Limits limits) {
        return new CheckRunner(List.of(new ReferenceChecker(limits))).isolatingTorch(pt -> {});
    }

    private CheckRequest.Builder tuple(String graph) throws IOException {
        Path model = HandWrittenModels.write(graph, "tiny_tuple_weights.npz", tmp.resolve(graph));
        return CheckRequest.builder(
                        HandWrittenModels.resource("tiny_tuple.pt", tmp.resolve("res")), model)
                .mode(CheckerMode.REFERENCE)
                .timeout(GENEROUS);
    }

    @Test
    void verdictsTravelFromTheChildAsTheyAreInProcess() throws IOException {
        Limits defaults = Limits.fromSystemProperties();
        CheckReport equal = isolated(defaults).check(tuple("tiny_tuple").build());
        assertEquals(0, equal.exitCode(), equal.toConsoleTable());
        CheckReport unsupported =
                isolated(defaults).check(tuple("tiny_tuple_unsupported_op").build());
        assertEquals(3, unsupported.exitCode(), unsupported.toConsoleTable());
        assertTrue(
                unsupported.message().contains("cannot execute this model")
                        && unsupported.message().contains("tract_core_no_such_op"),
                unsupported.message());
        assertEquals(List.of(), CheckScratchTest.ourWorkDirs());
    }

    @Test
    void aGraphAllocatingPastTheMemoryCapIsExitThreeNamingTheCap() throws IOException {
        // a [2, 3] tensor tiled to [2000000, 501]: 4 GB asked of libtorch under a 3 GB cap, a few
        // bytes of graph text
        Path model =
                HandWrittenModels.write("tiny_tuple", "tiny_tuple_weights.npz", tmp.resolve("m"));
        Path graph = model.resolve(ArchivePaths.GRAPH_NNEF);
        Files.writeString(
                graph,
                Files.readString(graph)
                        .replace(
                                "out_relu = relu(a);",
                                "big = tile(a, repeats = [1000000, 167]);\n"
                                        + "    t = slice(big, axes = [0, 1], begin = [0, 0],"
                                        + " end = [2, 3]);\n"
                                        + "    out_relu = relu(t);"));
        Path json = tmp.resolve("report.json");
        CheckReport r =
                isolated(new Limits(512L << 20, Optional.of(3L << 30)))
                        .check(
                                CheckRequest.builder(
                                                HandWrittenModels.resource(
                                                        "tiny_tuple.pt", tmp.resolve("res")),
                                                model)
                                        .mode(CheckerMode.REFERENCE)
                                        .timeout(GENEROUS)
                                        .reportJson(json)
                                        .build());
        assertEquals(3, r.exitCode(), r.toConsoleTable());
        assertTrue(
                r.message()
                        .startsWith(
                                model
                                        + ": the reference interpreter (in a child process) ran"
                                        + " out of memory under its caps: heap 512m"
                                        + " (-Dtorch2nnef.limit.torchHeap), memory 3g"
                                        + " (-Dtorch2nnef.limit.torchMemory)"),
                r.message());
        assertEquals(3, CheckReport.readJson(json).exitCode());
        assertEquals(List.of(), CheckScratchTest.ourWorkDirs());
    }

    @Test
    void anInterpreterChildThatCannotLiveUnderItsCapsIsACrashWithTheReportWritten()
            throws IOException {
        Path json = tmp.resolve("report.json");
        CheckReport r =
                isolated(new Limits(64L << 20, Optional.of(32L << 20)))
                        .check(tuple("tiny_tuple").reportJson(json).build());
        assertEquals(3, r.exitCode(), r.toConsoleTable());
        assertTrue(
                r.message().contains(": the reference interpreter (in a child process) crashed: "),
                r.message());
        assertTrue(
                r.message().contains("memory 32m (-Dtorch2nnef.limit.torchMemory)"), r.message());
        assertFalse(r.message().contains("\n"), r.message());
        CheckReport written = CheckReport.readJson(json);
        assertEquals(3, written.exitCode());
        assertEquals(r.message(), written.message());
        assertEquals(List.of(), CheckScratchTest.ourWorkDirs());
    }

    /** An interpreter run of the tiny_tuple model in a child. */
    private InterpreterRun tupleRun(Path model) throws IOException {
        return new InterpreterRun(
                model,
                model,
                ReferenceCheck.inputs(
                        Npz.read(HandWrittenModels.resource("tiny_tuple_io.npz", tmp.resolve("r"))),
                        List.of("x", "y")),
                List.of());
    }

    @Test
    void outputsPastTheReadBackLimitAreAnInputErrorNamingTheLimit() throws IOException {
        Path model =
                HandWrittenModels.write("tiny_tuple", "tiny_tuple_weights.npz", tmp.resolve("m"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        System.setProperty("torch2nnef.limit.checkTensorBytes", "16");
        try {
            InterpreterRun.Refused e =
                    assertThrows(
                            InterpreterRun.Refused.class,
                            () ->
                                    tupleRun(model)
                                            .inChild(
                                                    GENEROUS, work, Limits.fromSystemProperties()));
            assertEquals(ExitCode.USAGE_OR_INPUT_ERROR, e.verdict());
            assertTrue(
                    e.getMessage()
                            .startsWith(
                                    model
                                            + ": the reference interpreter (in a child process)"
                                            + " gave outputs of 32 bytes, more than the 16"),
                    e.getMessage());
        } finally {
            System.clearProperty("torch2nnef.limit.checkTensorBytes");
        }
    }

    @Test
    void anInterpreterChildOverTheTimeLimitIsKilledAndItsFolderRemoved() throws IOException {
        Path model =
                HandWrittenModels.write("tiny_tuple", "tiny_tuple_weights.npz", tmp.resolve("m"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        InterpreterRun run = tupleRun(model);
        InterpreterRun.Refused e =
                assertThrows(
                        InterpreterRun.Refused.class,
                        () ->
                                run.inChild(
                                        Duration.ofMillis(300),
                                        work,
                                        Limits.fromSystemProperties()));
        assertEquals(ExitCode.CHECKER_UNAVAILABLE, e.verdict());
        assertTrue(
                e.getMessage()
                        .startsWith(
                                model
                                        + ": the reference interpreter (in a child process) timed"
                                        + " out after 0 s (--check-timeout) and was killed"),
                e.getMessage());
        try (Stream<Path> left = Files.list(work)) {
            assertEquals(List.of(), left.toList());
        }
    }
}
