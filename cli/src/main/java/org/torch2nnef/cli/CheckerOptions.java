package org.torch2nnef.cli;

import java.nio.file.Path;
import java.time.Duration;
import org.torch2nnef.check.CheckRequest;
import org.torch2nnef.check.CheckerMode;
import org.torch2nnef.check.compare.Approximation;
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
                        .timeout(timeout);
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
}
