package org.torch2nnef.cli;

import java.nio.file.Path;
import java.time.Duration;
import org.torch2nnef.check.CheckRequest;
import org.torch2nnef.check.CheckerMode;
import org.torch2nnef.check.compare.Approximation;
import org.torch2nnef.check.compare.StepTolerance;
import org.torch2nnef.check.torch.TorchReferenceRequest;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * How a check runs, shared by {@code check} and {@code export --check} as a picocli mixin: the
 * tract binary, tolerance, timeout, report, debug bundle and input seed. Inputs are each command's
 * own options (export declares them for the export too).
 */
final class CheckerOptions {
    @Option(
            names = "--tract",
            paramLabel = "PATH",
            description = "The tract executable (otherwise TRACT_BIN, then PATH).")
    Path tract;

    @Option(
            names = "--nnef-infer",
            paramLabel = "PATH",
            description =
                    "Khronos' nnef-infer, for --checker nnef-tools (otherwise NNEF_INFER_BIN, then"
                            + " PATH).")
    Path nnefInfer;

    @Option(
            names = "--approx",
            paramLabel = "LEVEL",
            defaultValue = "approximate",
            converter = CheckOptions.ApproximationConverter.class,
            description = "exact, close, approximate (default), very, super or ultra, as in tract.")
    Approximation approximation;

    @Option(
            names = "--max-steps",
            paramLabel = "N",
            defaultValue = "1",
            converter = StepsConverter.class,
            description =
                    "For outputs torch dequantized from 8-bit codes: the largest difference allowed"
                            + " on any element, in quantization steps (default 1).")
    long maxSteps;

    @Option(
            names = "--max-step-fraction",
            paramLabel = "F",
            defaultValue = "0.01",
            converter = FractionConverter.class,
            description =
                    "For those outputs: the share of elements (0 to 1) allowed to differ by 1 to"
                            + " --max-steps steps (default 0.01).")
    double maxStepFraction;

    @Option(
            names = "--quantized-engine",
            paramLabel = "ENGINE",
            converter = EngineConverter.class,
            description =
                    "libtorch's quantized engine for the torch run: x86, fbgemm, qnnpack or onednn"
                            + " (default: libtorch's, x86).")
    String quantizedEngine;

    @Option(
            names = "--check-timeout",
            paramLabel = "DURATION",
            converter = CheckOptions.DurationConverter.class,
            description = "How long tract may run: 90s, 10m, 1h or ISO-8601 (default 10m).")
    Duration timeout = CheckRequest.DEFAULT_TIMEOUT;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the report as JSON.")
    Path report;

    @Option(
            names = "--debug-bundle",
            paramLabel = "DIR|FILE.tgz",
            description =
                    "When the check fails, write the model, io.npz, run.sh, the checker's output,"
                            + " versions and the export log there.")
    Path debugBundle;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "0",
            description = "Seed of the generated inputs (default 0).")
    long seed;

    /** A request for checking {@code nnefModel} against {@code torchScript} with these options. */
    CheckRequest.Builder request(Path torchScript, Path nnefModel, CheckerMode mode) {
        CheckRequest.Builder b =
                CheckRequest.builder(torchScript, nnefModel)
                        .mode(mode)
                        .approximation(approximation)
                        .seed(seed)
                        .timeout(timeout)
                        .stepTolerance(new StepTolerance(maxSteps, maxStepFraction));
        if (quantizedEngine != null) {
            b.quantizedEngine(quantizedEngine);
        }
        if (tract != null) {
            b.tract(tract);
        }
        if (nnefInfer != null) {
            b.nnefInfer(nnefInfer);
        }
        if (report != null) {
            b.reportJson(report);
        }
        if (debugBundle != null) {
            b.debugBundle(debugBundle);
        }
        return b;
    }

    /** A number of steps, 0 or more. */
    static final class StepsConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            long n;
            try {
                n = Long.parseLong(value.strip());
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a number");
            }
            if (n < 0) {
                throw new CommandLine.TypeConversionException("'" + value + "' is negative");
            }
            return n;
        }
    }

    /** A share between 0 and 1. */
    static final class FractionConverter implements CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double f;
            try {
                f = Double.parseDouble(value.strip());
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a number");
            }
            if (!(f >= 0 && f <= 1)) {
                throw new CommandLine.TypeConversionException(
                        "'" + value + "' is not between 0 and 1");
            }
            return f;
        }
    }

    /** One of libtorch's quantized engines. */
    static final class EngineConverter implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!TorchReferenceRequest.QUANTIZED_ENGINES.contains(value)) {
                throw new CommandLine.TypeConversionException(
                        "'"
                                + value
                                + "' is not one of "
                                + String.join(", ", TorchReferenceRequest.QUANTIZED_ENGINES));
            }
            return value;
        }
    }
}
