package org.torch2nnef.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.check.compare.OutputComparison;
import org.torch2nnef.check.debug.DebugBundleWriter;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.report.ExitCode;
import org.torch2nnef.check.torch.InputSpec;
import org.torch2nnef.check.tract.StandInTract;
import org.torch2nnef.check.tract.TractChecker;
import org.torch2nnef.check.tract.TractLocator;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;
import org.torch2nnef.nnef.contract.TractRelease;
import org.torch2nnef.nnef.io.NnefArchiveReader;
import org.torch2nnef.nnef.io.NnefArchiveWriter;

/**
 * The check workflow with the built-in reference interpreter on hand-written NNEF models of the
 * fixture TorchScript models (see make_fixtures.py): a correct model passes, and a corrupted
 * weight, a wrong padding and a swapped axis each fail with exit code 1 naming the output.
 */
class CheckRunnerTest {
    /** No TRACT_BIN, no PATH: tract is never found, whatever this machine has. */
    private static final CheckRunner NO_TRACT = runner(new TractLocator(Map.of()));

    /** Both checkers, tract located with {@code locator}. */
    private static CheckRunner runner(TractLocator locator) {
        return new CheckRunner(List.of(new TractChecker(locator), new ReferenceChecker()));
    }

    @TempDir Path tmp;

    private Path resource(String name) {
        return HandWrittenModels.resource(name, tmp.resolve("res"));
    }

    private CheckRequest.Builder conv(String graph) throws IOException {
        Path model = HandWrittenModels.write(graph, "tiny_conv_weights.npz", tmp.resolve(graph));
        return CheckRequest.builder(resource("tiny_conv.pt"), model);
    }

    private CheckRequest.Builder tuple(String graph) throws IOException {
        Path model = HandWrittenModels.write(graph, "tiny_tuple_weights.npz", tmp.resolve(graph));
        return CheckRequest.builder(resource("tiny_tuple.pt"), model);
    }

    private static OutputComparison output(CheckReport r, String name) {
        return r.outputs().stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void autoWithoutTractRunsTheReferenceInterpreterAndPasses() throws IOException {
        CheckReport r = NO_TRACT.check(tuple("tiny_tuple").build());
        assertEquals(ExitCode.EQUAL, r.verdict(), r.toConsoleTable());
        assertEquals("reference", r.checker());
        assertTrue(r.selection().contains("tract not found"), r.selection());
        assertEquals(
                List.of("out_relu", "out_sum"), r.outputs().stream().map(o -> o.name()).toList());
        assertEquals(List.of(2L), output(r, "out_sum").actualShape());
        assertTrue(r.toConsoleTable().contains("checker choice: auto: tract not found"));
    }

    @Test
    void givenInputsFromNpzAndATgzModelPass() throws IOException {
        Path dir = HandWrittenModels.write("tiny_conv", "tiny_conv_weights.npz", tmp.resolve("d"));
        Path tgz = tmp.resolve("tiny_conv.nnef.tgz");
        NnefArchiveWriter.write(NnefArchiveReader.read(dir), tgz);
        CheckReport r =
                NO_TRACT.check(
                        CheckRequest.builder(resource("tiny_conv.pt"), tgz)
                                .mode(CheckerMode.REFERENCE)
                                .inputsNpz(resource("tiny_conv_io.npz"))
                                .build());
        assertEquals(ExitCode.EQUAL, r.verdict(), r.toConsoleTable());
        assertEquals("", r.selection(), "the user chose the checker");
        assertEquals(List.of(1L, 4L, 4L, 4L), output(r, "conv_t").actualShape());
    }

    @Test
    void corruptedWeightFailsNamingBothOutputsAndTheConv() throws IOException {
        CheckRequest.Builder b =
                conv("tiny_conv")
                        .torchIntermediates(resource("tiny_conv_intermediates.npz"))
                        .inputsNpz(resource("tiny_conv_io.npz"));
        HandWrittenModels.corruptFirstValue(tmp.resolve("tiny_conv/conv.weight.dat"), 0.5f);
        CheckReport r = NO_TRACT.check(b.build());
        assertEquals(1, r.exitCode(), r.toConsoleTable());
        assertFalse(output(r, "conv_t").passed());
        assertFalse(output(r, "act").passed());
        assertTrue(r.toConsoleTable().contains("FAIL"), r.toConsoleTable());
        assertNotNull(r.divergence(), r.toConsoleTable());
        assertEquals("c", r.divergence().tensor());
        assertEquals("conv", r.divergence().operation());
        assertEquals(1, r.divergence().tensorsCompared());
    }

    @Test
    void wrongPaddingFailsNamingTheOutputs() throws IOException {
        CheckReport r = NO_TRACT.check(conv("tiny_conv_wrong_padding").build());
        assertEquals(1, r.exitCode(), r.toConsoleTable());
        assertFalse(output(r, "conv_t").passed());
        assertFalse(output(r, "act").passed());
        String reason = output(r, "act").reason();
        assertTrue(reason.contains("outside approximate"), reason);
    }

    @Test
    void swappedAxisFailsOnlyTheTransposedOutputAndIsLocalized() throws IOException {
        CheckReport r =
                NO_TRACT.check(
                        conv("tiny_conv_swapped_axis")
                                .torchIntermediates(resource("tiny_conv_intermediates.npz"))
                                .inputsNpz(resource("tiny_conv_io.npz"))
                                .build());
        assertEquals(1, r.exitCode(), r.toConsoleTable());
        assertFalse(output(r, "conv_t").passed());
        assertTrue(output(r, "act").passed());
        assertEquals("conv_t", r.divergence().tensor(), r.toConsoleTable());
        assertEquals("transpose", r.divergence().operation());
        assertEquals(2, r.divergence().tensorsCompared(), "c matched before conv_t diverged");
        assertTrue(
                r.toConsoleTable().contains("first divergence: NNEF tensor 'conv_t' (transpose)"),
                r.toConsoleTable());
    }

    /** The probe is run by DJL on the check's own (seeded) inputs. */
    @Test
    void aTorchProbeLocalizesTheDivergence() throws IOException {
        TorchProbe probe =
                new TorchProbe(resource("tiny_conv_probe.pt"), List.of("c", "conv_t", "act"));
        CheckReport r = NO_TRACT.check(conv("tiny_conv_swapped_axis").torchProbe(probe).build());
        assertEquals(1, r.exitCode(), r.toConsoleTable());
        assertEquals("conv_t", r.divergence().tensor(), r.toConsoleTable());
        assertEquals(2, r.divergence().tensorsCompared());

        r = NO_TRACT.check(conv("tiny_conv_wrong_padding").torchProbe(probe).build());
        assertEquals("c", r.divergence().tensor(), r.toConsoleTable());

        r =
                NO_TRACT.check(
                        conv("tiny_conv_wrong_padding")
                                .torchProbe(
                                        new TorchProbe(probe.torchScript(), List.of("c", "conv_t")))
                                .build());
        assertEquals(1, r.exitCode());
        assertNull(r.divergence());
        assertTrue(
                r.message().contains("not localized: ")
                        && r.message().contains("returns 3 tensors but 2 output names were given"),
                r.message());
    }

    @Test
    void failureWritesJsonReportAndDebugBundle() throws IOException {
        Path json = tmp.resolve("out/report.json");
        Path bundle = tmp.resolve("bundle.tgz");
        CheckReport r =
                NO_TRACT.check(
                        conv("tiny_conv_wrong_padding")
                                .reportJson(json)
                                .debugBundle(bundle)
                                .exportLog("exported by a test")
                                .build());
        assertEquals(1, r.exitCode());
        assertTrue(r.message().contains("debug bundle written to " + bundle), r.message());
        CheckReport read = CheckReport.readJson(json);
        assertEquals(r, read);
        Path unpacked = tmp.resolve("unpacked");
        Files.createDirectories(unpacked);
        Process tar =
                new ProcessBuilder("tar", "xzf", bundle.toString(), "-C", unpacked.toString())
                        .inheritIO()
                        .start();
        assertEquals(0, waitFor(tar));
        Path top = unpacked.resolve("bundle");
        for (String entry :
                List.of(
                        DebugBundleWriter.IO,
                        DebugBundleWriter.CHECKER_OUTPUT,
                        DebugBundleWriter.VERSIONS,
                        DebugBundleWriter.EXPORT_LOG,
                        DebugBundleWriter.MODEL_DIR + "/tiny_conv_wrong_padding/graph.nnef",
                        DebugBundleWriter.MODEL_DIR + "/tiny_conv_wrong_padding/conv.weight.dat")) {
            assertTrue(Files.isRegularFile(top.resolve(entry)), entry);
        }
        assertEquals(
                "exported by a test", Files.readString(top.resolve(DebugBundleWriter.EXPORT_LOG)));
        assertTrue(
                Files.readString(top.resolve(DebugBundleWriter.CHECKER_OUTPUT)).contains("FAIL"));
        assertTrue(
                Files.readString(top.resolve(DebugBundleWriter.VERSIONS)).contains("libtorch: 2."));
        assertTrue(Files.isRegularFile(top.resolve("torch/tiny_conv.pt")));
        // The reference check has no command line of its own: run.sh re-runs torch2nnef check.
        String run = Files.readString(top.resolve(DebugBundleWriter.RUN));
        assertTrue(
                run.contains(
                        "exec \"${TORCH2NNEF:-torch2nnef}\" check torch/tiny_conv.pt"
                                + " model/tiny_conv_wrong_padding --inputs-npz io.npz --checker reference"
                                + " --approx approximate\n"),
                run);
    }

    @Test
    void passingCheckWritesNoBundle() throws IOException {
        Path bundle = tmp.resolve("bundle");
        CheckReport r = NO_TRACT.check(tuple("tiny_tuple").debugBundle(bundle).build());
        assertEquals(0, r.exitCode(), r.toConsoleTable());
        assertFalse(Files.exists(bundle));
    }

    @Test
    void symbolicShapesAreBoundFromDeclaredInputs() throws IOException {
        CheckReport r =
                NO_TRACT.check(
                        tuple("tiny_tuple_symbolic")
                                .inputShapes(List.of(InputSpec.parse("x=5,4")))
                                .build());
        assertEquals(0, r.exitCode(), r.toConsoleTable());
        assertEquals(List.of(5L, 3L), output(r, "out_relu").actualShape());

        r = NO_TRACT.check(tuple("tiny_tuple_symbolic").build());
        assertEquals(2, r.exitCode());
        assertTrue(
                r.message()
                        .contains(
                                "input 'x' has the symbolic shape [B, 4]; give its shape with"
                                        + " --input x=D0,D1,...[:DTYPE]"),
                r.message());
    }

    @Test
    void inputErrorsAreExitCodeTwoNamingTheProblem() throws IOException {
        CheckReport r =
                NO_TRACT.check(
                        tuple("tiny_tuple").inputShapes(List.of(InputSpec.parse("z=2,4"))).build());
        assertEquals(2, r.exitCode());
        assertTrue(r.message().contains("has no input 'z'; its inputs are [x, y]"), r.message());

        r =
                NO_TRACT.check(
                        tuple("tiny_tuple").inputShapes(List.of(InputSpec.parse("x=3,4"))).build());
        assertEquals(2, r.exitCode());
        assertTrue(r.message().contains("dimension 0 must be 2"), r.message());

        r =
                NO_TRACT.check(
                        CheckRequest.builder(resource("tiny_tuple.pt"), tmp.resolve("none.nnef"))
                                .build());
        assertEquals(2, r.exitCode());
        assertTrue(r.message().contains("none.nnef: NNEF model not found"), r.message());

        // The conv graph has one input, the tuple model's forward takes two.
        r =
                NO_TRACT.check(
                        CheckRequest.builder(
                                        resource("tiny_tuple.pt"),
                                        HandWrittenModels.write(
                                                "tiny_conv",
                                                "tiny_conv_weights.npz",
                                                tmp.resolve("c")))
                                .build());
        assertEquals(2, r.exitCode());
        assertTrue(r.message().contains("forward failed"), r.message());
    }

    @Test
    void anOpTheInterpreterCannotExecuteIsExitCodeThreeNeverAPass() throws IOException {
        CheckReport r = NO_TRACT.check(tuple("tiny_tuple_unsupported_op").build());
        assertEquals(3, r.exitCode(), r.toConsoleTable());
        assertEquals("reference", r.checker());
        assertTrue(
                r.message().contains("cannot execute this model")
                        && r.message().contains("tract_core_no_such_op"),
                r.message());
        assertTrue(r.outputs().isEmpty());
    }

    @Test
    void aModelTheInterpreterRejectsIsExitCodeOne() throws IOException {
        CheckReport r = NO_TRACT.check(conv("tiny_conv_bad_broadcast").build());
        assertEquals(1, r.exitCode(), r.toConsoleTable());
        assertTrue(
                r.message().startsWith("the reference interpreter rejected the model: "),
                r.message());
        assertTrue(r.message().contains("act"), r.message());
    }

    @Test
    void torchValuesNamingNoNnefTensorAreReportedNotGuessed() throws IOException {
        Path npz = tmp.resolve("torch_values.npz");
        TensorBundle b = new TensorBundle("test");
        b.add(HostTensor.ofFloats("conv1_out", new long[] {1}, 0f));
        Npz.write(b, npz);
        CheckReport r =
                NO_TRACT.check(conv("tiny_conv_wrong_padding").torchIntermediates(npz).build());
        assertEquals(1, r.exitCode());
        assertNull(r.divergence());
        assertTrue(
                r.message()
                        .contains(
                                "not localized: "
                                        + npz
                                        + " holds no value for a tensor"
                                        + " computed by the graph; ignored torch values naming no computed NNEF tensor:"
                                        + " [conv1_out]"),
                r.message());
    }

    @Test
    void whenEveryTorchValueMatchesTheReportSaysWhereTheDivergenceMustBe() throws IOException {
        TorchProbe onlyC = new TorchProbe(resource("tiny_conv_probe.pt"), List.of("c", "x_t", "a"));
        CheckReport r = NO_TRACT.check(conv("tiny_conv_swapped_axis").torchProbe(onlyC).build());
        assertEquals(1, r.exitCode());
        assertNull(r.divergence());
        assertTrue(
                r.message()
                        .contains(
                                "not localized: all 1 intermediate tensors with torch values"
                                        + " match at approximate; the divergence lies after 'c'; ignored torch values naming no"
                                        + " computed NNEF tensor: [x_t, a]"),
                r.message());
    }

    @Test
    void tractModeWithoutTractIsExitCodeThree() throws IOException {
        CheckReport r = NO_TRACT.check(tuple("tiny_tuple").mode(CheckerMode.TRACT).build());
        assertEquals(3, r.exitCode());
        assertEquals("tract", r.checker());
        assertTrue(r.message().contains("tract"), r.message());
    }

    /** STAND-IN tract: tests only that auto prefers tract and the command line we build. */
    @Test
    void autoPrefersTractWhenFound() throws IOException {
        StandInTract t = StandInTract.write(tmp.resolve("bin"), "0.21.13", "ok", 0, null, 0);
        CheckReport r =
                runner(new TractLocator(Map.of("TRACT_BIN", t.executable.toString())))
                        .check(tuple("tiny_tuple").build());
        assertEquals("tract", r.checker(), r.toConsoleTable());
        assertEquals(0, r.exitCode(), r.toConsoleTable());
        assertTrue(r.selection().startsWith("auto: tract 0.21.13 found via"), r.selection());
        List<String> args = t.recordedArgs();
        assertTrue(
                args.contains(tmp.resolve("tiny_tuple").toAbsolutePath().toString()),
                args.toString());
        assertTrue(args.stream().anyMatch(a -> a.endsWith(CheckRunner.IO_NPZ)), args.toString());
    }

    /** STAND-IN tract: a graph using the tract_extra registry gets --nnef-tract-extra. */
    @Test
    void tractExtraRegistryInTheGraphTurnsOnTheFlag() throws IOException {
        StandInTract t = StandInTract.write(tmp.resolve("bin"), "0.21.13", "ok", 0, null, 0);
        CheckRunner runner = runner(new TractLocator(Map.of("TRACT_BIN", t.executable.toString())));
        assertEquals(0, runner.check(tuple("tiny_tuple").build()).exitCode());
        assertFalse(t.recordedArgs().contains("--nnef-tract-extra"), t.recordedArgs().toString());
        Path model = tmp.resolve("tiny_tuple");
        Path graph = model.resolve("graph.nnef");
        Files.writeString(
                graph,
                Files.readString(graph)
                        .replace(
                                "version 1.0;",
                                "version 1.0;\nextension tract_registry tract_extra;"));
        CheckReport r =
                runner.check(CheckRequest.builder(resource("tiny_tuple.pt"), model).build());
        assertEquals(0, r.exitCode(), r.toConsoleTable());
        assertTrue(t.recordedArgs().contains("--nnef-tract-extra"), t.recordedArgs().toString());
    }

    /** tiny_tuple with a {@code tract_core_properties} fragment as the exporter writes it. */
    private Path tupleRecording(String targetVersion) throws IOException {
        Path model =
                HandWrittenModels.write(
                        "tiny_tuple",
                        "tiny_tuple_weights.npz",
                        tmp.resolve("recorded-" + targetVersion));
        Path graph = model.resolve("graph.nnef");
        Files.writeString(
                graph,
                Files.readString(graph)
                        .replace(
                                "version 1.0;\n",
                                "version 1.0;\n\n"
                                        + "extension KHR_enable_fragment_definitions;\n\n"
                                        + "fragment tract_core_properties(\n) -> ( properties: (string, tensor<scalar>)[] )\n{\n"
                                        + "  properties = [('source_file', 'tiny_tuple.pt'), ('tract_target_version', '"
                                        + targetVersion
                                        + "'), ('torch2nnef_version', '0.1.0')];\n}\n"));
        return model;
    }

    private CheckRunner standIn(String version) throws IOException {
        StandInTract t =
                StandInTract.write(tmp.resolve("bin-" + version), version, "ok", 0, null, 0);
        return runner(new TractLocator(Map.of("TRACT_BIN", t.executable.toString())));
    }

    /**
     * STAND-IN tract: the target comes from the model's tract_core_properties; an older tract is
     * warned about.
     */
    @Test
    void theTargetIsReadFromTheModelAndAnotherTractReleaseIsWarnedAbout() throws IOException {
        Path model = tupleRecording("0.21.17");
        CheckReport r =
                standIn("0.20.22")
                        .check(CheckRequest.builder(resource("tiny_tuple.pt"), model).build());
        assertEquals(0, r.exitCode(), r.toConsoleTable());
        assertEquals("0.21.17 (recorded in the model's tract_core_properties)", r.tractTarget());
        assertEquals(
                List.of(
                        "the model targets tract 0.21.17 (recorded in the model's"
                                + " tract_core_properties) but tract 0.20.22 checked it, which may lack operators the model"
                                + " uses (export with --tract-version 0.20.22 for it)"),
                r.warnings());
        assertTrue(
                r.toConsoleTable()
                        .contains(
                                "\ntract target: 0.21.17 (recorded in the model's"
                                        + " tract_core_properties)\nwarning: the model targets tract 0.21.17"),
                r.toConsoleTable());

        CheckReport newer =
                standIn("0.22.3")
                        .check(CheckRequest.builder(resource("tiny_tuple.pt"), model).build());
        assertEquals(
                List.of(
                        "the model targets tract 0.21.17 (recorded in the model's"
                                + " tract_core_properties) but tract 0.22.3 checked it; whether tract 0.21.17 loads it"
                                + " is not checked"),
                newer.warnings());

        CheckReport same =
                standIn("0.21.17")
                        .check(CheckRequest.builder(resource("tiny_tuple.pt"), model).build());
        assertEquals(List.of(), same.warnings());
    }

    /** STAND-IN tract: a target given by the caller wins over the recorded one. */
    @Test
    void aGivenTargetWinsOverTheRecordedOne() throws IOException {
        CheckReport r =
                standIn("0.20.22")
                        .check(
                                CheckRequest.builder(
                                                resource("tiny_tuple.pt"),
                                                tupleRecording("0.21.17"))
                                        .tractTarget(new TractRelease(0, 20, 22))
                                        .build());
        assertEquals("0.20.22 (given)", r.tractTarget());
        assertEquals(List.of(), r.warnings());
    }

    /** STAND-IN tract: without a given or recorded target the default is assumed. */
    @Test
    void withoutGivenOrRecordedTargetTheDefaultIsAssumed() throws IOException {
        CheckReport r = standIn("0.21.17").check(tuple("tiny_tuple").build());
        assertEquals(
                TractRelease.NEWEST_SUPPORTED
                        + " (default: the model records no tract_target_version)",
                r.tractTarget());
        assertEquals(1, r.warnings().size(), r.warnings().toString());
        assertTrue(
                r.warnings()
                        .get(0)
                        .startsWith(
                                "the model targets tract "
                                        + TractRelease.NEWEST_SUPPORTED
                                        + " (default: "),
                r.warnings().get(0));
        CheckReport unreadable =
                standIn(TractRelease.NEWEST_SUPPORTED.toString())
                        .check(
                                CheckRequest.builder(
                                                resource("tiny_tuple.pt"), tupleRecording("latest"))
                                        .build());
        assertEquals(TractRelease.NEWEST_SUPPORTED + " (default)", unreadable.tractTarget());
        assertEquals(
                List.of(
                        "the model's tract_target_version 'latest' is no tract release number"
                                + " X.Y.Z; assumed the default "
                                + TractRelease.NEWEST_SUPPORTED),
                unreadable.warnings());
        CheckReport reference =
                NO_TRACT.check(
                        CheckRequest.builder(resource("tiny_tuple.pt"), tupleRecording("0.21.17"))
                                .build());
        assertEquals(ExitCode.EQUAL, reference.verdict(), reference.toConsoleTable());
        assertEquals("", reference.tractTarget(), "the target matters to tract only");
    }

    @Test
    void anUnwritableJsonReportIsNotTakenForAPass() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "");
        CheckReport r =
                NO_TRACT.check(tuple("tiny_tuple").reportJson(file.resolve("report.json")).build());
        assertEquals(2, r.exitCode(), r.toConsoleTable());
        assertTrue(r.message().contains("JSON report not written"), r.message());
        assertEquals(List.of(true, true), r.outputs().stream().map(o -> o.passed()).toList());
    }

    /** STAND-IN tract: an explicit --tract that is broken is reported, not routed around. */
    @Test
    void autoWithABrokenExplicitTractIsExitCodeThree() throws IOException {
        CheckReport r =
                NO_TRACT.check(tuple("tiny_tuple").tract(tmp.resolve("no-such-tract")).build());
        assertEquals(3, r.exitCode(), r.toConsoleTable());
        assertTrue(r.message().contains("no-such-tract"), r.message());
        assertNull(r.divergence());
    }

    private static int waitFor(Process p) {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
