package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.check.CheckRequest;
import org.torch2nnef.check.CheckRunner;
import org.torch2nnef.check.CheckerMode;
import org.torch2nnef.check.compare.OutputComparison;
import org.torch2nnef.check.compare.StepTolerance;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.report.ExitCode;
import org.torch2nnef.check.tract.TractLocator;
import org.torch2nnef.check.tract.TractUnavailableException;
import org.torch2nnef.export.ops.QuantizedOps;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;

/**
 * {@link QuantizedOps} on the models of make_quantized_models.py (qnnpack static quantization,
 * per-tensor and per-channel weights): libtorch runs torch's own quantized kernels, and the export,
 * read back, matches them (reference interpreter, and tract when one is found).
 */
class QuantizedNumericTest {
    @TempDir Path tmp;

    @Test
    void quantizedKernelsMatchTorch() throws Exception {
        ExportResult r = FamilyNumerics.exportAndCheck("quantized_per_tensor", tmp);
        assertEquals(Set.of("tract_core_cast", "tract_core_round_even"), r.tractOps());
    }

    @Test
    void quantizedArithmeticMatchesTorch() throws Exception {
        ExportResult r = FamilyNumerics.exportAndCheck("quantized_arithmetic", tmp);
        assertEquals(
                Set.of("tract_core_cast", "tract_core_round_even", "tract_core_gather"),
                r.tractOps());
    }

    /**
     * A linear layer of 512 terms per output (65536 outputs), accumulated on codes and requantized
     * as torch does ({@code round(x * (1 / scale))}): at most one output one step off (tract's cast
     * alone divides by the scale instead, which puts 0.04% of such outputs one step off).
     */
    @Test
    void wideLinearRequantizesAsTorch() throws Exception {
        String model = "quantized_linear_wide";
        List<FamilyNumerics.InputInfo> inputs = FamilyNumerics.inputs(model);
        ExportResult r = export(model, inputs);
        Path npz = inputsNpz(inputs);
        CheckReport report =
                CheckRunner.run(
                        CheckRequest.builder(OpModel.DIR.resolve(model + ".pt"), r.output())
                                .mode(CheckerMode.REFERENCE)
                                .inputsNpz(npz)
                                .stepTolerance(new StepTolerance(1, 2e-5))
                                .build());
        assertEquals(ExitCode.EQUAL, report.verdict(), report.toConsoleTable());
    }

    /**
     * Two outputs that tract holds as one tensor (its --save-outputs-npz refuses the repeated name)
     * are still compared in quantization steps, each saved by its own tract run: against qnnpack a
     * quarter of the elements are one step off, which tract's own float assertion (the fallback
     * before) fails and a step tolerance of 1 step on 50% allows. Needs a real tract.
     */
    @Test
    void aliasedOutputsAreComparedInSteps() throws Exception {
        Path tract = tractOrSkip();
        String model = "quantized_aliased";
        List<FamilyNumerics.InputInfo> inputs = FamilyNumerics.inputs(model);
        ExportResult r = export(model, inputs);
        CheckReport report =
                CheckRunner.run(
                        CheckRequest.builder(OpModel.DIR.resolve(model + ".pt"), r.output())
                                .mode(CheckerMode.TRACT)
                                .tract(tract)
                                .inputsNpz(inputsNpz(inputs))
                                .quantizedEngine("qnnpack")
                                .stepTolerance(new StepTolerance(1, 0.5))
                                .build());
        String shown = report.toConsoleTable() + report.checkerOutput();
        assertEquals(ExitCode.EQUAL, report.verdict(), shown);
        assertTrue(report.message().contains("each output saved by its own run"), shown);
        assertEquals(2, report.outputs().size(), shown);
        for (OutputComparison o : report.outputs()) {
            assertTrue(o.steps() != null && o.steps().offByOne() > 0, shown);
        }
    }

    /**
     * add, add_relu and mul whose results fall on a tie half of the time (output step twice the
     * exact result's): torch's fma dequantization in add (17% of the elements off without it) and
     * its product of codes in mul.
     */
    @Test
    void tiesBreakAsTorch() throws Exception {
        FamilyNumerics.exportAndCheck("quantized_ties", tmp);
    }

    /**
     * Average pooling of quantized tensors over 2x2 windows, where a quarter of the sums fall on a
     * tie (adaptive_avg_pool2d to a divisible size, then to 1): torch's integer rounding, not a
     * mean of floats (which put 3.7% of such averages one step off), so every code equals torch's
     * (the reference interpreter's tolerance, 1e-4, is a hundredth of a step).
     */
    @Test
    void averagePoolingRoundsAsTorch() throws Exception {
        ExportResult r = FamilyNumerics.exportAndCheck("quantized_pooling", tmp);
        assertEquals(Set.of("tract_core_cast", "tract_core_round_even"), r.tractOps());
    }

    /**
     * Non-adaptive average pooling (nn.AvgPool2d, avg_pool2d with padding, count_include_pad=False,
     * ceil_mode and divisor_override, avg_pool1d, an unbatched input) on both of torch's kernels
     * (NCHW after the QuantStub, channels last after a quantized conv2d or conv1d), with odd zero
     * points: every output equal to torch's, in 0 quantization steps, with x86, fbgemm and onednn
     * (one kernel for all three). A mean of dequantized floats was one step off on ties and border
     * windows.
     */
    @Test
    void avgPoolingRoundsAsTorch() throws Exception {
        assertBitIdenticalOnEachEngine("quantized_avg_pool", 14);
    }

    /** {@link #avgPoolingRoundsAsTorch} in a real tract (TRACT_BIN or PATH). */
    @Test
    void avgPoolingRoundsAsTorchInTract() throws Exception {
        assertBitIdenticalInTract("quantized_avg_pool", 14);
    }

    /**
     * Adaptive average pooling to sizes that divide the input, on both of torch's kernels (the
     * QuantStub's NCHW output, a quantized conv2d's channels-last one), with odd zero points: every
     * output equal to torch's in 0 steps. Rounding the NCHW input as the channels-last kernel does
     * put 24 to 31% of a 2x2 pooling one step off.
     */
    @Test
    void adaptivePoolingRoundsAsTorch() throws Exception {
        assertBitIdenticalOnEachEngine("quantized_adaptive_pool", 6);
    }

    /** {@link #adaptivePoolingRoundsAsTorch} in a real tract (TRACT_BIN or PATH). */
    @Test
    void adaptivePoolingRoundsAsTorchInTract() throws Exception {
        assertBitIdenticalInTract("quantized_adaptive_pool", 6);
    }

    /** The reference interpreter's run of {@code model} against torch's x86, fbgemm and onednn. */
    private void assertBitIdenticalOnEachEngine(String model, int outputs) throws Exception {
        Path nnef = exportPooling(model);
        for (String engine : List.of("x86", "fbgemm", "onednn")) {
            assertBitIdentical(
                    checkPooling(
                            model,
                            CheckRequest.builder(OpModel.DIR.resolve(model + ".pt"), nnef)
                                    .mode(CheckerMode.REFERENCE)
                                    .quantizedEngine(engine)),
                    engine,
                    outputs);
        }
    }

    private void assertBitIdenticalInTract(String model, int outputs) throws Exception {
        Path tract = tractOrSkip();
        assertBitIdentical(
                checkPooling(
                        model,
                        CheckRequest.builder(
                                        OpModel.DIR.resolve(model + ".pt"), exportPooling(model))
                                .mode(CheckerMode.TRACT)
                                .tract(tract)),
                tract.toString(),
                outputs);
    }

    private Path exportPooling(String model) throws Exception {
        ExportResult r = export(model, FamilyNumerics.inputs(model));
        assertEquals(Set.of("tract_core_cast", "tract_core_round_even"), r.tractOps());
        return r.output();
    }

    private CheckReport checkPooling(String model, CheckRequest.Builder request) throws Exception {
        return CheckRunner.run(
                request.inputsNpz(inputsNpz(FamilyNumerics.inputs(model)))
                        .stepTolerance(new StepTolerance(0, 0))
                        .build());
    }

    /** Every output compared in steps, none of its elements off. */
    private static void assertBitIdentical(CheckReport report, String run, int outputs) {
        String shown = run + ":\n" + report.toConsoleTable() + report.checkerOutput();
        assertEquals(ExitCode.EQUAL, report.verdict(), shown);
        assertEquals(outputs, report.outputs().size(), shown);
        for (OutputComparison o : report.outputs()) {
            assertTrue(o.steps() != null && o.steps().maxSteps() == 0, shown);
        }
    }

    /**
     * {@code quantized::linear_dynamic} (per-tensor, then per-channel int8 weights) on a rank-3
     * input: the input quantized from its own range as libtorch's default (x86) engine does, with
     * reduce_range's 127 levels, matches torch within the family tolerance.
     */
    @Test
    void dynamicLinearMatchesTorch() throws Exception {
        ExportResult r = FamilyNumerics.exportAndCheck("quantized_linear_dynamic", tmp);
        assertEquals(Set.of("tract_core_cast", "tract_core_round_even"), r.tractOps());
    }

    /** The tract found (TRACT_BIN, then PATH); skips the test visibly without one. */
    private static Path tractOrSkip() {
        try {
            return new TractLocator().locate(Optional.empty()).path();
        } catch (TractUnavailableException e) {
            assumeTrue(false, "no tract (TRACT_BIN or PATH): " + e.getMessage());
            throw new AssertionError(e);
        }
    }

    private ExportResult export(String model, List<FamilyNumerics.InputInfo> inputs)
            throws Exception {
        return new Exporter()
                .export(
                        OpModel.DIR.resolve(model + ".pt"),
                        TractUnderTest.options(tmp.resolve(model + ".nnef.tgz"))
                                .inputs(FamilyNumerics.declarations(inputs))
                                .build());
    }

    /** {@link FamilyNumerics}' seeded values of {@code inputs}, as an npz. */
    private Path inputsNpz(List<FamilyNumerics.InputInfo> inputs) throws Exception {
        Path npz = tmp.resolve("inputs.npz");
        TensorBundle bundle = new TensorBundle("inputs");
        FamilyNumerics.values(inputs, 42).forEach(bundle::add);
        Npz.write(bundle, npz);
        return npz;
    }
}
