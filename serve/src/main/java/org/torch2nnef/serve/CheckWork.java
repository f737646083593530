package org.torch2nnef.serve;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.torch2nnef.check.CheckRequest;
import org.torch2nnef.check.CheckRunner;
import org.torch2nnef.check.TorchScriptScreen;
import org.torch2nnef.check.compare.Approximation;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.report.ExitCode;
import org.torch2nnef.nnef.contract.TractRelease;

/**
 * {@code torch2nnef check MODEL.pt MODEL.nnef.tgz} as a job: the check workflow with the CLI's
 * screening read and torch in a child process.
 */
final class CheckWork implements Work {
    private final Path model;
    private final Path nnef;
    private final CheckJobOptions options;
    private final TorchScriptScreen screen;
    private final Duration timeout;

    CheckWork(
            Path model,
            Path nnef,
            CheckJobOptions options,
            TorchScriptScreen screen,
            Duration timeout) {
        this.model = model;
        this.nnef = nnef;
        this.options = options;
        this.screen = screen;
        this.timeout = timeout;
    }

    @Override
    public Outcome run(Path files, StageListener stages) {
        stages.enter(Stage.CHECK);
        CheckRequest.Builder request =
                CheckRequest.builder(model, nnef)
                        .mode(options.mode())
                        .approximation(Approximation.parse(options.approx()))
                        .seed(options.seed())
                        .timeout(timeout)
                        .inputShapes(options.specs())
                        .reportJson(files.resolve(Outcome.REPORT))
                        .debugBundle(files.resolve(Outcome.DEBUG_BUNDLE))
                        .workDir(files.resolveSibling("check"));
        QuantizedCheck.apply(
                request, options.quantizedEngine(), options.maxSteps(), options.maxStepFraction());
        if (options.tractVersion() != null) {
            request.tractTarget(TractRelease.parseSupported(options.tractVersion()));
        }
        CheckReport report = new CheckRunner().isolatingTorch(screen).check(request.build());
        return outcome(report, null, files, new ArrayList<>());
    }

    /** The outcome of a check, keeping the report and, when written, the debug bundle. */
    static Outcome outcome(CheckReport report, String summary, Path files, List<String> kept) {
        if (Files.isRegularFile(files.resolve(Outcome.REPORT))) {
            kept.add(Outcome.REPORT);
        }
        if (Files.exists(files.resolve(Outcome.DEBUG_BUNDLE))) {
            kept.add(Outcome.DEBUG_BUNDLE);
        }
        boolean equal = report.verdict() == ExitCode.EQUAL;
        return new Outcome(
                report.exitCode(),
                report.verdict().name(),
                equal ? null : report.message(),
                summary,
                kept);
    }
}
