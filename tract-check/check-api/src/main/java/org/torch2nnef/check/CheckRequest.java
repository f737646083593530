package org.torch2nnef.check;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.torch2nnef.check.compare.Approximation;
import org.torch2nnef.check.compare.StepTolerance;
import org.torch2nnef.check.torch.InputSpec;
import org.torch2nnef.nnef.contract.TractRelease;

/**
 * One check of an exported NNEF model against its TorchScript source. Build it with {@link
 * #builder}; only the two models are required.
 *
 * @param torchScript the traced TorchScript archive
 * @param nnefModel the exported model: directory, {@code .nnef.tar} or {@code .nnef.tgz}
 * @param mode which checker runs
 * @param approximation the tolerance level
 * @param inputsNpz the inputs under their NNEF names; empty to generate seeded inputs
 * @param inputShapes declared input shapes for seeded inputs (needed for symbolic dimensions)
 * @param seed the seed of generated inputs
 * @param tract an explicit tract executable ({@code --tract})
 * @param nnefInfer an explicit Khronos {@code nnef-infer} executable ({@code --nnef-infer})
 * @param timeout how long tract may run, and the torch reference run when in a child process
 * @param reportJson where to write the JSON report, if anywhere
 * @param debugBundle where to write a debug bundle when the check does not pass, if anywhere
 * @param exportLog the exporter's log, copied into the debug bundle
 * @param torchIntermediates npz of torch's intermediate values keyed by the NNEF tensor names they
 *     correspond to; when given and outputs differ, the report names the first diverging tensor
 *     (needs the reference interpreter)
 * @param torchProbe the same, computed by running a TorchScript probe on the check's inputs
 * @param workDir where the io bundle and tract's outputs go; empty for a temporary directory
 *     deleted afterwards
 * @param tractTarget the tract release the model was exported for, when the caller knows it;
 *     otherwise the model's recorded one or the default ({@link ModelTarget#resolve})
 * @param stepTolerance how outputs the model records as dequantized 8-bit tensors are compared, in
 *     their quantization steps
 * @param quantizedEngine libtorch's quantized engine for the torch run ({@code x86}, {@code
 *     fbgemm}, {@code qnnpack}, {@code onednn}); empty for libtorch's default
 * @param tractLoading how tract is given the inputs' sizes: symbols (the default), concrete facts,
 *     symbols set, or pulsed (needs tract: the reference interpreter does not stream)
 */
public record CheckRequest(
        Path torchScript,
        Path nnefModel,
        CheckerMode mode,
        Approximation approximation,
        Optional<Path> inputsNpz,
        List<InputSpec> inputShapes,
        long seed,
        Optional<Path> tract,
        Optional<Path> nnefInfer,
        Duration timeout,
        Optional<Path> reportJson,
        Optional<Path> debugBundle,
        String exportLog,
        Optional<Path> torchIntermediates,
        Optional<TorchProbe> torchProbe,
        Optional<Path> workDir,
        Optional<TractRelease> tractTarget,
        StepTolerance stepTolerance,
        Optional<String> quantizedEngine,
        TractLoading tractLoading) {
    /** The seed used when none is given. */
    public static final long DEFAULT_SEED = 0;

    /**
     * How long tract may run when not told: ten minutes, generous for big models on slow machines.
     */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    /**
     * Canonical constructor; validates and copies.
     *
     * @throws IllegalArgumentException when both {@code torchIntermediates} and {@code torchProbe}
     *     are given
     */
    public CheckRequest {
        Objects.requireNonNull(torchScript, "torchScript");
        Objects.requireNonNull(nnefModel, "nnefModel");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(approximation, "approximation");
        Objects.requireNonNull(inputsNpz, "inputsNpz");
        inputShapes = List.copyOf(inputShapes);
        Objects.requireNonNull(tract, "tract");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(reportJson, "reportJson");
        Objects.requireNonNull(debugBundle, "debugBundle");
        Objects.requireNonNull(exportLog, "exportLog");
        Objects.requireNonNull(torchIntermediates, "torchIntermediates");
        Objects.requireNonNull(torchProbe, "torchProbe");
        if (torchIntermediates.isPresent() && torchProbe.isPresent()) {
            throw new IllegalArgumentException(
                    "give torch's intermediate values either as an npz or as a probe, not both");
        }
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(tractTarget, "tractTarget");
        Objects.requireNonNull(stepTolerance, "stepTolerance");
        Objects.requireNonNull(quantizedEngine, "quantizedEngine");
        Objects.requireNonNull(tractLoading, "tractLoading");
    }

    /** The pulse, when tract streams the model. */
    public Optional<TractLoading.Pulse> pulse() {
        return tractLoading instanceof TractLoading.Pulse p ? Optional.of(p) : Optional.empty();
    }

    /**
     * The same check on the inputs of {@code npz} (no generated ones), its report and debug bundle
     * renamed by {@code rename}: one check of several input sizes. Kept here so a new field is
     * carried over in one place.
     */
    public CheckRequest onInputs(Path npz, java.util.function.UnaryOperator<Path> rename) {
        return new CheckRequest(
                torchScript,
                nnefModel,
                mode,
                approximation,
                Optional.of(npz),
                List.of(),
                seed,
                tract,
                nnefInfer,
                timeout,
                reportJson.map(rename),
                debugBundle.map(rename),
                exportLog,
                torchIntermediates,
                torchProbe,
                workDir,
                tractTarget,
                stepTolerance,
                quantizedEngine,
                tractLoading);
    }

    /**
     * A builder with the defaults: auto checker, approximate, seeded inputs, ten-minute timeout.
     */
    public static Builder builder(Path torchScript, Path nnefModel) {
        return new Builder(torchScript, nnefModel);
    }

    /** Collects the optional parts of a {@link CheckRequest}. */
    public static final class Builder {
        private final Path torchScript;
        private final Path nnefModel;
        private CheckerMode mode = CheckerMode.AUTO;
        private Approximation approximation = Approximation.DEFAULT;
        private Optional<Path> inputsNpz = Optional.empty();
        private List<InputSpec> inputShapes = List.of();
        private long seed = DEFAULT_SEED;
        private Optional<Path> tract = Optional.empty();
        private Optional<Path> nnefInfer = Optional.empty();
        private Duration timeout = DEFAULT_TIMEOUT;
        private Optional<Path> reportJson = Optional.empty();
        private Optional<Path> debugBundle = Optional.empty();
        private String exportLog = "";
        private Optional<Path> torchIntermediates = Optional.empty();
        private Optional<TorchProbe> torchProbe = Optional.empty();
        private Optional<Path> workDir = Optional.empty();
        private Optional<TractRelease> tractTarget = Optional.empty();
        private StepTolerance stepTolerance = StepTolerance.DEFAULT;
        private Optional<String> quantizedEngine = Optional.empty();
        private TractLoading tractLoading = TractLoading.SYMBOLS;

        private Builder(Path torchScript, Path nnefModel) {
            this.torchScript = torchScript;
            this.nnefModel = nnefModel;
        }

        /** The checker to run. */
        public Builder mode(CheckerMode value) {
            mode = value;
            return this;
        }

        /** The tolerance level. */
        public Builder approximation(Approximation value) {
            approximation = value;
            return this;
        }

        /** Inputs from an npz keyed by NNEF input name, instead of seeded ones. */
        public Builder inputsNpz(Path value) {
            inputsNpz = Optional.of(value);
            return this;
        }

        /** Declared input shapes for seeded inputs. */
        public Builder inputShapes(List<InputSpec> value) {
            inputShapes = value;
            return this;
        }

        /** The seed of generated inputs. */
        public Builder seed(long value) {
            seed = value;
            return this;
        }

        /** An explicit tract executable. */
        public Builder tract(Path value) {
            tract = Optional.of(value);
            return this;
        }

        /** An explicit Khronos {@code nnef-infer} executable. */
        public Builder nnefInfer(Path value) {
            nnefInfer = Optional.of(value);
            return this;
        }

        /** How long tract (and the torch reference run in a child process) may run. */
        public Builder timeout(Duration value) {
            timeout = value;
            return this;
        }

        /** Write the JSON report there. */
        public Builder reportJson(Path value) {
            reportJson = Optional.of(value);
            return this;
        }

        /** Write a debug bundle there when the check does not pass. */
        public Builder debugBundle(Path value) {
            debugBundle = Optional.of(value);
            return this;
        }

        /** The exporter's log, for the debug bundle. */
        public Builder exportLog(String value) {
            exportLog = value;
            return this;
        }

        /** Torch intermediate values keyed by NNEF tensor name, to localize a mismatch. */
        public Builder torchIntermediates(Path value) {
            torchIntermediates = Optional.of(value);
            return this;
        }

        /** A TorchScript probe of torch's intermediate values, to localize a mismatch. */
        public Builder torchProbe(TorchProbe value) {
            torchProbe = Optional.of(value);
            return this;
        }

        /** Keep the io bundle and tract's outputs in this directory. */
        public Builder workDir(Path value) {
            workDir = Optional.of(value);
            return this;
        }

        /** The tract release the model was exported for (instead of the one it records). */
        public Builder tractTarget(TractRelease value) {
            tractTarget = Optional.of(value);
            return this;
        }

        /** The tolerance for outputs compared in quantization steps. */
        public Builder stepTolerance(StepTolerance value) {
            stepTolerance = Objects.requireNonNull(value, "stepTolerance");
            return this;
        }

        /** libtorch's quantized engine for the torch run ({@code --quantized-engine}). */
        public Builder quantizedEngine(String value) {
            quantizedEngine = Optional.of(value);
            return this;
        }

        /** How tract is given the inputs' sizes ({@link TractLoading}). */
        public Builder tractLoading(TractLoading value) {
            tractLoading = value;
            return this;
        }

        /** The request. */
        public CheckRequest build() {
            return new CheckRequest(
                    torchScript,
                    nnefModel,
                    mode,
                    approximation,
                    inputsNpz,
                    inputShapes,
                    seed,
                    tract,
                    nnefInfer,
                    timeout,
                    reportJson,
                    debugBundle,
                    exportLog,
                    torchIntermediates,
                    torchProbe,
                    workDir,
                    tractTarget,
                    stepTolerance,
                    quantizedEngine,
                    tractLoading);
        }
    }
}
