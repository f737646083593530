package org.torch2nnef.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.check.HandWrittenModels;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.tract.StandInTract;
import org.torch2nnef.export.TractTarget;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;
import picocli.CommandLine;

/** {@code torch2nnef check} exit codes 0 to 3 on hand-written models of the fixture models. */
class CheckCommandTest {
    private static final Path QUANTIZED = Path.of("..", "samples", "quantized", "models");

    @TempDir Path tmp;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Torch2Nnef.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private String tuplePt() {
        return HandWrittenModels.resource("tiny_tuple.pt", tmp.resolve("res")).toString();
    }

    private String tupleModel() throws IOException {
        return HandWrittenModels.write("tiny_tuple", "tiny_tuple_weights.npz", tmp.resolve("m"))
                .toString();
    }

    private static String sample(String name) {
        return Path.of("..", "samples", "models", name + ".pt")
                .toAbsolutePath()
                .normalize()
                .toString();
    }

    /**
     * STAND-IN tract 0.20.22: without --tract-version the check takes the target the exporter
     * recorded in tract_core_properties and warns that this tract is another release; a given
     * --tract-version wins; a model recording none gets the default.
     */
    @Test
    void theTargetComesFromTheModelUnlessGivenAndAnotherTractReleaseIsWarnedAbout()
            throws IOException {
        String tract =
                StandInTract.write(tmp.resolve("bin"), "0.20.22", "ok", 0, null, 0)
                        .executable
                        .toString();
        Path exported = tmp.resolve("crl.nnef.tgz");
        assertEquals(
                0,
                run(
                                "export",
                                sample("conv_relu_linear"),
                                "--input",
                                "x=2,3,16",
                                "-o",
                                exported.toString(),
                                "--tract-version",
                                "0.21.17")
                        .code());
        Run r = run("check", sample("conv_relu_linear"), exported.toString(), "--tract", tract);
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("check: tract 0.20.22"), r.out());
        assertTrue(
                r.out()
                        .contains(
                                "\ntract target: 0.21.17 (recorded in the model's tract_core_properties)"
                                        + "\nwarning: the model targets tract 0.21.17 (recorded in the model's tract_core_properties)"
                                        + " but tract 0.20.22 checked it, which may lack operators the model uses (export with"
                                        + " --tract-version 0.20.22 for it)\n"),
                r.out());

        Run given =
                run(
                        "check",
                        sample("conv_relu_linear"),
                        exported.toString(),
                        "--tract",
                        tract,
                        "--tract-version",
                        "0.20.22");
        assertEquals(0, given.code(), given.out() + given.err());
        assertTrue(given.out().contains("\ntract target: 0.20.22 (given)\n"), given.out());
        assertFalse(given.out().contains("warning:"), given.out());

        Run none = run("check", tuplePt(), tupleModel(), "--tract", tract);
        assertEquals(0, none.code(), none.out() + none.err());
        assertTrue(
                none.out()
                        .contains(
                                "\ntract target: "
                                        + TractTarget.NEWEST_SUPPORTED
                                        + " (default: the model records no tract_target_version)\nwarning: the model targets tract "
                                        + TractTarget.NEWEST_SUPPORTED),
                none.out());

        Run old =
                run(
                        "check",
                        tuplePt(),
                        tupleModel(),
                        "--tract",
                        tract,
                        "--tract-version",
                        "0.19.9");
        assertEquals(2, old.code(), old.out() + old.err());
        assertTrue(
                old.err()
                        .contains(
                                "--tract-version: tract 0.19.9 is older than the oldest supported"
                                        + " release 0.20.0"),
                old.err());
    }

    /** A model recording no target is checked as exported by default. */
    @Test
    void theCheckDefaultTargetIsTheExportDefault() {
        assertEquals(
                TractTarget.NEWEST_SUPPORTED.toString(),
                Torch2Nnef.commandLine()
                        .getSubcommands()
                        .get("export")
                        .getCommandSpec()
                        .findOption("--tract-version")
                        .defaultValue());
    }

    @Test
    void equalModelIsExitCodeZero() throws IOException {
        Run r =
                run(
                        "check",
                        tuplePt(),
                        tupleModel(),
                        "--checker",
                        "reference",
                        "--seed",
                        "3",
                        "--approx",
                        "close");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("check: reference"), r.out());
        assertTrue(r.out().contains("approximation close"), r.out());
        assertTrue(r.out().contains("verdict: EQUAL (exit 0)"), r.out());
    }

    @Test
    void differingModelIsExitCodeOneAndTheJsonReportNamesTheOutput() throws IOException {
        Path model =
                HandWrittenModels.write(
                        "tiny_conv_swapped_axis", "tiny_conv_weights.npz", tmp.resolve("conv"));
        Path json = tmp.resolve("report.json");
        Path bundle = tmp.resolve("bundle");
        Run r =
                run(
                        "check",
                        HandWrittenModels.resource("tiny_conv.pt", tmp).toString(),
                        model.toString(),
                        "--checker=reference",
                        "--report",
                        json.toString(),
                        "--debug-bundle",
                        bundle.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        CheckReport report = CheckReport.readJson(json);
        assertEquals(
                List.of("conv_t"),
                report.outputs().stream().filter(o -> !o.passed()).map(o -> o.name()).toList());
        assertTrue(r.out().contains("conv_t") && r.out().contains("FAIL"), r.out());
        assertTrue(Files.isRegularFile(bundle.resolve("io.npz")));
    }

    @Test
    void aTorchProbeNamesTheFirstDivergingTensor() throws IOException {
        Path model =
                HandWrittenModels.write(
                        "tiny_conv_wrong_padding", "tiny_conv_weights.npz", tmp.resolve("conv"));
        Run r =
                run(
                        "check",
                        HandWrittenModels.resource("tiny_conv.pt", tmp).toString(),
                        model.toString(),
                        "--checker",
                        "reference",
                        "--torch-probe",
                        HandWrittenModels.resource("tiny_conv_probe.pt", tmp).toString(),
                        "--probe-tensors",
                        "c,conv_t,act");
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("first divergence: NNEF tensor 'c' (conv)"), r.out());
    }

    @Test
    void usageAndInputErrorsAreExitCodeTwo() throws IOException {
        String pt = tuplePt();
        String model = tupleModel();
        Run r = run("check", pt, model, "--approx", "roughly");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown approximation 'roughly'"), r.err());
        r = run("check", pt, model, "--input", "x:2x4xf32");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("must be NAME=D0,D1,...[:DTYPE]"), r.err());
        r = run("check", pt, model, "--checker", "onnx");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("expected one of auto, tract, reference"), r.err());
        r = run("check", pt, model, "--check-timeout", "soon");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("invalid duration 'soon'"), r.err());
        r = run("check", pt, model, "--probe-tensors", "a,b");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--torch-probe and --probe-tensors go together"), r.err());
        r =
                run(
                        "check",
                        pt,
                        model,
                        "--torch-probe",
                        pt,
                        "--probe-tensors",
                        "l",
                        "--torch-intermediates",
                        "values.npz");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("either --torch-intermediates or --torch-probe"), r.err());
        r = run("check", pt);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("MODEL.nnef"), r.err());
        r = run("check", pt, tmp.resolve("missing.nnef.tgz").toString(), "--checker", "reference");
        assertEquals(2, r.code());
        assertTrue(r.out().contains("missing.nnef.tgz: NNEF model not found"), r.out());
        r = run("check", pt, model, "--input", "x=2,4:i64", "--checker", "reference");
        assertEquals(2, r.code());
        assertTrue(r.out().contains("the element types differ (add :f32)"), r.out());
    }

    @Test
    void helpDocumentsTheExitCodes() {
        Run r = run("check", "--help");
        assertEquals(0, r.code());
        for (String line :
                List.of(
                        "Exit codes:",
                        "0   every output",
                        "1   an output differs",
                        "2   usage or input error",
                        "3   the checker is unavailable")) {
            assertTrue(r.out().contains(line), line + " in\n" + r.out());
        }
    }

    /**
     * Exit code 3 for {@code --checker tract} when no tract is found: runs the real main in a child
     * JVM whose environment has no TRACT_BIN and a PATH without tract.
     */
    @Test
    void tractCheckerWithoutTractIsExitCodeThree() throws Exception {
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Dai.djl.offline=true",
                                "-cp",
                                System.getProperty("java.class.path"),
                                Torch2Nnef.class.getName(),
                                "check",
                                tuplePt(),
                                tupleModel(),
                                "--checker",
                                "tract"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.remove("TRACT_BIN");
        Path emptyBin = Files.createDirectories(tmp.resolve("empty-bin"));
        env.put("PATH", emptyBin.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), out);
        assertEquals(3, p.exitValue(), out);
        assertTrue(out.contains("verdict: CHECKER_UNAVAILABLE (exit 3)"), out);
    }

    @Test
    void durationsAcceptShortAndIsoForms() {
        assertEquals(Duration.ofSeconds(90), Durations.parse("90s"));
        assertEquals(Duration.ofMinutes(10), Durations.parse("10m"));
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofMinutes(2), Durations.parse("PT2M"));
        IllegalArgumentException e =
                org.junit.jupiter.api.Assertions.assertThrows(
                        IllegalArgumentException.class, () -> Durations.parse("0s"));
        assertTrue(e.getMessage().contains("positive"), e.getMessage());
    }

    /**
     * A quantized sample's dequantized output is compared in quantization steps, with the counts
     * shown; the step tolerance and torch's quantized engine are options.
     */
    @Test
    void theOutputIsComparedInStepsOnTheSamplesInputs() throws Exception {
        Path pt = QUANTIZED.resolve("ptq_per_tensor_cnn.pt");
        Path nnef = tmp.resolve("q.nnef.tgz");
        Run export = run("export", pt.toString(), "--input", "x=2,3,16,16", "-o", nnef.toString());
        assertEquals(0, export.code(), export.err());
        HostTensor x = Npz.read(QUANTIZED.resolve("ptq_per_tensor_cnn.inputs.npz")).get("input0");
        TensorBundle inputs = new TensorBundle("inputs");
        inputs.add(HostTensor.of("x", x.dtype(), x.shape(), x.data()));
        Path npz = tmp.resolve("in.npz");
        Npz.write(inputs, npz);
        Path report = tmp.resolve("report.json");
        Run check =
                run(
                        "check",
                        pt.toString(),
                        nnef.toString(),
                        "--checker",
                        "reference",
                        "--inputs-npz",
                        npz.toString(),
                        "--quantized-engine",
                        "qnnpack",
                        "--report",
                        report.toString());
        assertEquals(0, check.code(), check.out() + check.err());
        assertTrue(
                check.out()
                        .contains(
                                "max 0, off by 1: 0/10 (0%), by >1: 0/10 (0%); allowed <=1"
                                        + " step on <=1% of elements"),
                check.out());
        assertTrue(
                check.out()
                        .contains("torch ran its quantized kernels on libtorch's qnnpack engine"),
                check.out());
        assertEquals(0, CheckReport.readJson(report).outputs().get(0).steps().maxSteps());
    }

    @Test
    void badStepToleranceOrEngineIsAUsageError() {
        Run fraction = run("check", "m.pt", "m.nnef.tgz", "--max-step-fraction", "2");
        assertEquals(2, fraction.code());
        assertTrue(fraction.err().contains("'2' is not between 0 and 1"), fraction.err());
        Run steps = run("check", "m.pt", "m.nnef.tgz", "--max-steps", "-1");
        assertEquals(2, steps.code());
        assertTrue(steps.err().contains("'-1' is negative"), steps.err());
        Run engine = run("check", "m.pt", "m.nnef.tgz", "--quantized-engine", "tpu");
        assertEquals(2, engine.code());
        assertTrue(
                engine.err().contains("'tpu' is not one of x86, fbgemm, qnnpack, onednn"),
                engine.err());
    }
}
