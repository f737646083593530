package org.torch2nnef.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.torch2nnef.cli.CommandRun.run;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.check.tract.StandInTract;
import org.torch2nnef.nnef.io.NnefArchiveReader;
import org.torch2nnef.nnef.io.NnefPrinter;

class ExportCommandTest {
    @TempDir Path tmp;

    private static String sample(String name) {
        return Path.of("..", "samples", "models", name + ".pt")
                .toAbsolutePath()
                .normalize()
                .toString();
    }

    private static String opModel(String name) {
        return Path.of("..", "exporter", "src", "test", "resources", "ops", name + ".pt")
                .toAbsolutePath()
                .normalize()
                .toString();
    }

    @Test
    void exportsTheReadmeSample() throws Exception {
        Path out = tmp.resolve("conv_relu_linear.nnef.tgz");
        CommandRun r =
                run(
                        "export",
                        sample("conv_relu_linear"),
                        "--input",
                        "x=2,3,16",
                        "-o",
                        out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(
                r.out().startsWith("wrote " + out + " (tgz)\n  inputs:  [x: float32[2,3,16]]\n"),
                r.out());
        assertTrue(r.out().contains("variables: 4 ("), r.out());
        String text = NnefPrinter.print(NnefArchiveReader.read(out));
        assertTrue(
                text.contains(
                        "conv(x, conv_weight, conv_convolution_bias, border = 'constant', padding = [(0, 0)],"
                                + " stride = [1], dilation = [1], groups = 1)"),
                text);
    }

    /**
     * The zoo's conv1d_layers adds sizes (T-1)//2+1 and 2*((T-3)//4+1) that torch checks when it
     * runs: the export assumes them equal at the example length and says so; at 34, where they
     * differ, it fails.
     */
    @Test
    void sizesAssumedAtTheExampleLengthAreListed() throws Exception {
        String model =
                Path.of("..", "samples", "zoo", "models", "conv1d_layers.pt")
                        .toAbsolutePath()
                        .normalize()
                        .toString();
        Path out = tmp.resolve("conv1d_layers.nnef.tgz");
        CommandRun r =
                run(
                        "export",
                        model,
                        "--input",
                        "x=2,4,32",
                        "--dynamic-axes",
                        "x:0=B,2=T",
                        "-o",
                        out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(
                r.out()
                        .contains(
                                "\n  assumed: (T-1)/2+1 == 2*((T-3)/4)+2 (both 16 at T=32) for aten::add at"
                                        + " code/__torch__.py:28:9 (samples/zoo/generate_zoo.py:351) in module <root> (Conv1dLayers)"),
                r.out());
        Path bad = tmp.resolve("bad.nnef.tgz");
        CommandRun differ =
                run(
                        "export",
                        model,
                        "--input",
                        "x=2,4,34",
                        "--dynamic-axes",
                        "x:0=B,2=T",
                        "-o",
                        bad.toString());
        assertEquals(1, differ.exit(), differ.err());
        assertTrue(
                differ.err()
                        .contains(
                                "(T-1)/2+1 and 2*((T-3)/4)+2 differ at the example sizes T=34: 17 vs 16"),
                differ.err());
        assertFalse(Files.exists(bad));
    }

    @Test
    void optionsShapeTheOutput() throws Exception {
        Path out = tmp.resolve("m.nnef.tar");
        CommandRun r =
                run(
                        "export",
                        sample("conv_relu_linear"),
                        "--input",
                        "x=2,3,16",
                        "-o",
                        out.toString(),
                        "--renaming-scheme",
                        "numeric",
                        "--output-names",
                        "logits",
                        "--compression-level",
                        "0");
        assertEquals(0, r.exit(), r.err());
        String text = NnefPrinter.print(NnefArchiveReader.read(out));
        assertTrue(text.contains("graph network(x) -> (logits)"), text);
        assertTrue(text.contains("v0 = variable<scalar>(shape = [4, 3, 3], label = 'v0');"), text);
    }

    @Test
    void tractVersionAndPropertiesReachTheModel() throws Exception {
        Path out = tmp.resolve("softmaxes.nnef.tgz");
        CommandRun r =
                run(
                        "export",
                        opModel("softmaxes"),
                        "--input",
                        "x=2,3,4",
                        "-o",
                        out.toString(),
                        "--tract-version",
                        "0.21.14",
                        "--property",
                        "owner=audio-team",
                        "--property",
                        "note=a=b");
        assertEquals(0, r.exit(), r.err());
        String text = NnefPrinter.print(NnefArchiveReader.read(out));
        assertTrue(
                text.contains("('tract_target_version', '0.21.14')")
                        && text.contains("('owner', 'audio-team')")
                        && text.contains("('note', 'a=b')")
                        && !text.contains("tract_core_log_softmax("),
                text);
        CommandRun bad =
                run(
                        "export",
                        opModel("softmaxes"),
                        "--input",
                        "x=2,3,4",
                        "-o",
                        out.toString(),
                        "--tract-version",
                        "0.19.9");
        assertEquals(2, bad.exit(), bad.err());
        assertTrue(bad.err().contains("older than the oldest supported release 0.20.0"), bad.err());
        CommandRun noValue =
                run(
                        "export",
                        opModel("softmaxes"),
                        "--input",
                        "x=2,3,4",
                        "-o",
                        out.toString(),
                        "--property",
                        "owner");
        assertEquals(2, noValue.exit(), noValue.err());
        assertTrue(noValue.err().contains("--property owner: expected KEY=VALUE"), noValue.err());
    }

    @Test
    void unsupportedOpsAreListedAndNothingIsWritten() {
        Path out = tmp.resolve("bad.nnef.tgz");
        CommandRun r =
                run("export", opModel("unsupported"), "--input", "x=2,3", "-o", out.toString());
        assertEquals(1, r.exit(), r.out());
        assertTrue(
                r.err()
                        .startsWith(
                                "torch2nnef export: 2 nodes cannot be exported to NNEF:\n  aten::erfinv in a ("),
                r.err());
        assertTrue(r.err().contains("\n  aten::cumsum in b ("), r.err());
        assertFalse(Files.exists(out));
    }

    /**
     * {@code --check} starts its libtorch child before the export; an export that fails ends it, so
     * a command run inside a longer-lived JVM (the tests', a service's) leaves no process behind.
     */
    @Test
    void aFailedExportWithCheckEndsTheCheckChild() throws Exception {
        Path out = tmp.resolve("bad.nnef.tgz");
        CommandRun r =
                run(
                        "export",
                        opModel("unsupported"),
                        "--input",
                        "x=2,3",
                        "-o",
                        out.toString(),
                        "--check=reference");
        assertEquals(1, r.exit(), r.out());
        assertFalse(Files.exists(out));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (ProcessHandle.current().descendants().anyMatch(ProcessHandle::isAlive)) {
            assertTrue(
                    System.nanoTime() < deadline,
                    () ->
                            "still running: "
                                    + ProcessHandle.current()
                                            .descendants()
                                            .map(
                                                    p ->
                                                            p.pid()
                                                                    + " "
                                                                    + p.info()
                                                                            .command()
                                                                            .orElse("?"))
                                            .toList());
            Thread.sleep(50);
        }
    }

    @Test
    void strictModeFailure() {
        Path out = tmp.resolve("g.nnef.tgz");
        CommandRun r =
                run(
                        "export",
                        opModel("gelu_exact"),
                        "--input",
                        "x=2,8",
                        "-o",
                        out.toString(),
                        "--nnef-spec-strict");
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.err().contains("aten::gelu in <root>"), r.err());
        assertTrue(r.err().contains("needs the tract extension tract_core_erf"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void inputErrorsExitWithTwo() {
        String out = tmp.resolve("x.nnef.tgz").toString();
        CommandRun badText =
                run("export", sample("conv_relu_linear"), "--input", "x=2,three", "-o", out);
        assertEquals(2, badText.exit());
        assertTrue(badText.err().contains("x=2,three"), badText.err());

        CommandRun missing =
                run("export", tmp.resolve("none.pt").toString(), "--input", "x=1", "-o", out);
        assertEquals(2, missing.exit(), missing.err());
        assertTrue(missing.err().contains("none.pt"), missing.err());

        CommandRun count = run("export", sample("conv_relu_linear"), "-o", out);
        assertEquals(2, count.exit());
        assertTrue(count.err().contains("the model inputs are not declared"), count.err());

        CommandRun scheme =
                run(
                        "export",
                        sample("conv_relu_linear"),
                        "--input",
                        "x=2,3,16",
                        "--renaming-scheme",
                        "short",
                        "-o",
                        out);
        assertEquals(2, scheme.exit());
        assertTrue(
                scheme.err()
                        .contains(
                                "unknown renaming scheme 'short'; use one of numeric, natural-verbose"),
                scheme.err());

        CommandRun level =
                run(
                        "export",
                        sample("conv_relu_linear"),
                        "--input",
                        "x=2,3,16",
                        "--compression-level",
                        "12",
                        "-o",
                        out);
        assertEquals(2, level.exit());
        assertTrue(level.err().contains("compression level 12 is not in 0..9"), level.err());

        CommandRun names =
                run(
                        "export",
                        sample("conv_relu_linear"),
                        "--input",
                        "x=2,3,16",
                        "--output-names",
                        "a,b",
                        "-o",
                        out);
        assertEquals(2, names.exit());
        assertTrue(
                names.err().contains("2 output names given [a, b] but the model has 1 outputs"),
                names.err());
        assertFalse(Files.exists(Path.of(out)));
    }

    @Test
    void helpDocumentsExitCodes() {
        CommandRun r = run("export", "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("Exit codes:"), r.out());
        assertTrue(r.out().contains("2   usage or input error"), r.out());
        assertTrue(r.out().contains("--dynamic-axes"), r.out());
    }

    @Test
    void checkWithTheReferenceInterpreterProvesTheExportEqual() throws Exception {
        Path out = tmp.resolve("checked.nnef.tgz");
        Path report = tmp.resolve("report.json");
        CommandRun r =
                run(
                        "export",
                        sample("conv_relu_linear"),
                        "--input",
                        "x=2,3,16",
                        "--dynamic-axes",
                        "x:0=B",
                        "-o",
                        out.toString(),
                        "--check=reference",
                        "--report",
                        report.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("check: reference"), r.out());
        assertTrue(r.out().contains("verdict: EQUAL (exit 0)"), r.out());
        assertTrue(Files.readString(report).contains("\"checker\""), Files.readString(report));
    }

    /** STAND-IN tract 0.20.22: export --check tells the check the export's target. */
    @Test
    void checkKnowsTheExportTarget() throws Exception {
        String tract =
                StandInTract.write(tmp.resolve("bin"), "0.20.22", "ok", 0, null, 0)
                        .executable
                        .toString();
        Path out = tmp.resolve("targeted.nnef.tgz");
        CommandRun r =
                run(
                        "export",
                        sample("conv_relu_linear"),
                        "--input",
                        "x=2,3,16",
                        "-o",
                        out.toString(),
                        "--tract-version",
                        "0.20.22",
                        "--check=tract",
                        "--tract",
                        tract);
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("\ntract target: 0.20.22 (given)\n"), r.out());
        assertFalse(r.out().contains("warning:"), r.out());
    }

    @Test
    void checkWithTractMissingIsExit3AndKeepsTheExport() {
        Path out = tmp.resolve("kept.nnef.tgz");
        Path missing = tmp.resolve("no-such-tract");
        CommandRun r =
                run(
                        "export",
                        sample("conv_relu_linear"),
                        "--input",
                        "x=2,3,16",
                        "-o",
                        out.toString(),
                        "--check=tract",
                        "--tract",
                        missing.toString());
        assertEquals(3, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("CHECKER_UNAVAILABLE"), r.out());
        assertTrue(Files.exists(out), "the export itself succeeded and stays");
    }
}
