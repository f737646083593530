package org.torch2nnef.check.tract;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.torch2nnef.check.CheckRequest;
import org.torch2nnef.check.TractLoading;
import org.torch2nnef.check.compare.Approximation;
import org.torch2nnef.check.compare.StepTolerance;
import org.torch2nnef.nnef.contract.OutputQuantization;

/**
 * A tract check to run. Start from {@link #of} and adjust with the {@code with...} methods.
 *
 * @param model exported NNEF model: directory, {@code .nnef.tar} or {@code .nnef.tgz}
 * @param ioBundle npz with the inputs and expected outputs under their NNEF names
 * @param outputNames the NNEF output names, for our own per-output comparison of tract's saved
 *     outputs; empty to rely on tract's verdict alone
 * @param approximation the wanted level
 * @param nnefTractExtra whether to pass {@code --nnef-tract-extra}
 * @param tract the explicit {@code --tract} executable, if given
 * @param timeout how long tract may run
 * @param workDir where tract runs and writes its outputs
 * @param outputSteps the outputs compared in quantization steps (the model records them as
 *     dequantized 8-bit tensors), by name; tract is then not asked to assert the outputs itself,
 *     since its float tolerance would fail an element one step away
 * @param stepTolerance the tolerance for those outputs
 * @param loading how tract is given the inputs' sizes
 * @param symbols each symbol's value at the check's inputs (for {@code --set})
 */
public record TractCheckRequest(
        Path model,
        Path ioBundle,
        List<String> outputNames,
        Approximation approximation,
        boolean nnefTractExtra,
        Optional<Path> tract,
        Duration timeout,
        Path workDir,
        Map<String, OutputQuantization.Step> outputSteps,
        StepTolerance stepTolerance,
        TractLoading loading,
        Map<String, Long> symbols) {
    /** Canonical constructor; validates and copies. */
    public TractCheckRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(ioBundle, "ioBundle");
        outputNames = List.copyOf(outputNames);
        Objects.requireNonNull(approximation, "approximation");
        Objects.requireNonNull(tract, "tract");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(workDir, "workDir");
        outputSteps = Map.copyOf(outputSteps);
        Objects.requireNonNull(stepTolerance, "stepTolerance");
        Objects.requireNonNull(loading, "loading");
        symbols = Map.copyOf(symbols);
    }

    /** The same request loading the model as {@code how} says. */
    public TractCheckRequest withLoading(TractLoading how, Map<String, Long> values) {
        return new TractCheckRequest(
                model,
                ioBundle,
                outputNames,
                approximation,
                nnefTractExtra,
                tract,
                timeout,
                workDir,
                outputSteps,
                stepTolerance,
                how,
                values);
    }

    /** A request with the default level, no extension, tract located, default timeout. */
    public static TractCheckRequest of(
            Path model, Path ioBundle, List<String> outputNames, Path workDir) {
        return new TractCheckRequest(
                model,
                ioBundle,
                outputNames,
                Approximation.DEFAULT,
                false,
                Optional.empty(),
                CheckRequest.DEFAULT_TIMEOUT,
                workDir,
                Map.of(),
                StepTolerance.DEFAULT,
                TractLoading.SYMBOLS,
                Map.of());
    }

    /** The same request at another approximation level. */
    public TractCheckRequest withApproximation(Approximation level) {
        return new TractCheckRequest(
                model,
                ioBundle,
                outputNames,
                level,
                nnefTractExtra,
                tract,
                timeout,
                workDir,
                outputSteps,
                stepTolerance,
                loading,
                symbols);
    }

    /** The same request with {@code --nnef-tract-extra} on or off. */
    public TractCheckRequest withNnefTractExtra(boolean extra) {
        return new TractCheckRequest(
                model,
                ioBundle,
                outputNames,
                approximation,
                extra,
                tract,
                timeout,
                workDir,
                outputSteps,
                stepTolerance,
                loading,
                symbols);
    }

    /** The same request with an explicit tract executable. */
    public TractCheckRequest withTract(Path executable) {
        return new TractCheckRequest(
                model,
                ioBundle,
                outputNames,
                approximation,
                nnefTractExtra,
                Optional.of(executable),
                timeout,
                workDir,
                outputSteps,
                stepTolerance,
                loading,
                symbols);
    }

    /** The same request with another timeout. */
    public TractCheckRequest withTimeout(Duration limit) {
        return new TractCheckRequest(
                model,
                ioBundle,
                outputNames,
                approximation,
                nnefTractExtra,
                tract,
                limit,
                workDir,
                outputSteps,
                stepTolerance,
                loading,
                symbols);
    }

    /** The same request comparing the outputs of {@code steps} in quantization steps. */
    public TractCheckRequest withSteps(
            Map<String, OutputQuantization.Step> steps, StepTolerance tolerance) {
        return new TractCheckRequest(
                model,
                ioBundle,
                outputNames,
                approximation,
                nnefTractExtra,
                tract,
                timeout,
                workDir,
                steps,
                tolerance,
                loading,
                symbols);
    }
}
