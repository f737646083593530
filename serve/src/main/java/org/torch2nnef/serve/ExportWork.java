package org.torch2nnef.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.torch2nnef.check.CheckRequest;
import org.torch2nnef.check.CheckRunner;
import org.torch2nnef.check.CheckerMode;
import org.torch2nnef.check.TorchScriptScreen;
import org.torch2nnef.check.compare.Approximation;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.torch.InputSpec;
import org.torch2nnef.export.ExportException;
import org.torch2nnef.export.ExportInputException;
import org.torch2nnef.export.ExportOptions;
import org.torch2nnef.export.ExportResult;
import org.torch2nnef.export.Exporter;
import org.torch2nnef.export.InputDeclaration;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.export.TractTarget;
import org.torch2nnef.export.spi.ModuleExtractors;
import org.torch2nnef.nnef.io.OutputRefusedException;

/**
 * {@code torch2nnef export MODEL -o OUT [--check]} as a job: the CLI's screening read, the
 * exporter's API, then the check workflow with torch in a child process, as {@code export --check}
 * runs it. Exit codes and messages are the CLI's.
 */
final class ExportWork implements Work {
    private static final String PREFIX = "torch2nnef export: ";

    private final Path model;
    private final ExportJobOptions options;
    private final TorchScriptScreen screen;
    private final Duration timeout;

    ExportWork(Path model, ExportJobOptions options, TorchScriptScreen screen, Duration timeout) {
        this.model = model;
        this.options = options;
        this.screen = screen;
        this.timeout = timeout;
    }

    @Override
    public Outcome run(Path files, StageListener stages) {
        stages.enter(Stage.READ);
        try {
            screen.screen(model);
        } catch (IOException e) {
            return Outcome.failure(2, message(e));
        }
        stages.enter(Stage.TRANSLATE);
        Path artifact = files.resolve(Outcome.ARTIFACT);
        ExportResult result;
        try {
            ExportOptions exportOptions = options.exportOptions(artifact);
            Exporter exporter =
                    new Exporter(
                            OpRegistry.standard(),
                            ModuleExtractors.discover(getClass().getClassLoader(), List.of()));
            result = exporter.export(model, exportOptions);
        } catch (IllegalArgumentException | ExportInputException | OutputRefusedException e) {
            return Outcome.failure(2, message(e));
        } catch (ExportException | IOException e) {
            return Outcome.failure(1, message(e));
        }
        // the summary names the archive as the client downloads it, not the server's folder
        String summary =
                result.summary()
                        .replace(
                                artifact.toString(),
                                UploadName.archiveFor(model.getFileName().toString()));
        Optional<CheckerMode> mode = options.checkMode();
        List<String> kept = new ArrayList<>(List.of(Outcome.ARTIFACT));
        if (mode.isEmpty()) {
            return new Outcome(0, null, null, summary, kept);
        }
        stages.enter(Stage.CHECK);
        List<InputSpec> specs;
        try {
            specs =
                    options.inputs().stream()
                            .map(InputDeclaration::parse)
                            .map(ExportWork::inputSpec)
                            .toList();
        } catch (IllegalArgumentException e) {
            return new Outcome(2, null, message(e), summary, kept);
        }
        CheckRequest request =
                QuantizedCheck.apply(
                                CheckRequest.builder(model, artifact),
                                options.quantizedEngine(),
                                options.maxSteps(),
                                options.maxStepFraction())
                        .mode(mode.get())
                        .approximation(Approximation.parse(options.approx()))
                        .seed(options.seed())
                        .timeout(timeout)
                        .inputShapes(specs)
                        .exportLog(summary)
                        .tractTarget(TractTarget.parse(options.tractVersion()).release())
                        .reportJson(files.resolve(Outcome.REPORT))
                        .debugBundle(files.resolve(Outcome.DEBUG_BUNDLE))
                        .workDir(files.resolveSibling("check"))
                        .build();
        // no second screening: the export has just read the model with the same reader
        CheckReport report = new CheckRunner().isolatingTorch(pt -> {}).check(request);
        return CheckWork.outcome(report, summary, files, kept);
    }

    /**
     * The CLI's message, naming the model as the client named it rather than by its folder here.
     */
    private String message(Exception e) {
        String m = String.valueOf(e.getMessage());
        return PREFIX + m.replace(model.toString(), model.getFileName().toString());
    }

    /** The check's view of an export declaration, as {@code export --check} makes it. */
    private static InputSpec inputSpec(InputDeclaration d) {
        try {
            return new InputSpec(d.name(), d.generatedDType(), d.sizes());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("check: " + e.getMessage() + "", e);
        }
    }

    /** Whether {@code files} holds a temporary output being written: the write stage. */
    static long bytesBeingWritten(Path files) {
        try (var s = Files.list(files)) {
            return s.filter(p -> p.getFileName().toString().startsWith("."))
                    .mapToLong(
                            p -> {
                                try {
                                    return Files.size(p);
                                } catch (IOException e) {
                                    return 0;
                                }
                            })
                    .sum();
        } catch (IOException e) {
            return -1;
        }
    }
}
