package org.torch2nnef.check.nneftools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.torch2nnef.check.CheckJob;
import org.torch2nnef.check.CheckRequest;
import org.torch2nnef.check.Checker;
import org.torch2nnef.check.CheckerMode;
import org.torch2nnef.check.compare.OutputComparison;
import org.torch2nnef.check.compare.TensorComparator;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.report.ExitCode;
import org.torch2nnef.check.tract.ProcessResult;
import org.torch2nnef.check.tract.ProcessRunner;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.TensorBundle;
import org.torch2nnef.nnef.io.DatReader;
import org.torch2nnef.nnef.io.DatWriter;

/**
 * The Khronos {@link Checker}: Khronos' NNEF-Tools runtime ({@code nnef-infer}) runs the model's
 * files on torch's inputs, given as {@code .dat} files in graph-input order, writes its outputs as
 * {@code .dat} files, which are compared with torch's like every checker's. It reads standard NNEF
 * only ({@code --nnef-spec-strict}), computes in float32 and never runs for {@code auto}.
 *
 * <p>Verdicts: a model it refuses (parse or shape error) is exit 1, as tract's refusals are; an
 * operation it does not implement ("operation not implemented", "Shape function ... is not
 * provided"), a crash or a timeout is exit 3.
 */
public final class NnefToolsChecker implements Checker {
    /** The checker name in reports. */
    public static final String CHECKER = "nnef-tools";

    private final NnefInferLocator locator;

    /** A checker locating nnef-infer through the process environment. */
    public NnefToolsChecker() {
        this(new NnefInferLocator());
    }

    /** A checker locating nnef-infer with {@code locator}. */
    public NnefToolsChecker(NnefInferLocator locator) {
        this.locator = locator;
    }

    @Override
    public CheckerMode mode() {
        return CheckerMode.NNEF_TOOLS;
    }

    @Override
    public Preparation prepare(CheckRequest request) {
        NnefInferLocator.Found found;
        try {
            found = locator.locate(request.nnefInfer());
        } catch (IllegalStateException e) {
            return new Unavailable(
                    e.getMessage(),
                    request.nnefInfer().isPresent()
                            ? Optional.empty()
                            : Optional.of(
                                    "nnef-infer not found (--nnef-infer, "
                                            + NnefInferLocator.ENV
                                            + ", PATH)"));
        }
        return new Ready(
                new NnefInferRun(found.path()),
                "nnef-infer " + found.path() + " found via " + found.via());
    }

    /** A check by one located nnef-infer. */
    private static final class NnefInferRun implements Run {
        private final Path exe;

        NnefInferRun(Path exe) {
            this.exe = exe;
        }

        @Override
        public CheckReport check(CheckJob job) {
            String level = job.request().approximation().cliName();
            List<String> command = new ArrayList<>(List.of(exe.toString()));
            ProcessResult result;
            Path out;
            try {
                Path model = job.files().get().toAbsolutePath();
                out = Files.createDirectories(job.work().resolve("nnef-infer"));
                command.add(model.toString());
                command.add("--input");
                for (String name : job.signature().inputNames()) {
                    Path file = out.resolve("input-" + command.size() + ".dat");
                    DatWriter.write(KhronosTensors.toDat(job.io().get(name)), file);
                    command.add(file.toString());
                }
                command.add("--output");
                for (int i = 0; i < job.signature().outputs().size(); i++) {
                    command.add(out.resolve("output-" + i + ".dat").toString());
                }
                result = ProcessRunner.run(command, out, job.request().timeout());
            } catch (IOException | IllegalArgumentException e) {
                return report(
                        level,
                        ExitCode.CHECKER_UNAVAILABLE,
                        "cannot run nnef-infer: " + e.getMessage(),
                        List.of(),
                        "",
                        command);
            }
            Optional<NnefInferOutcome> failed =
                    NnefInferOutcome.of(result, job.request().timeout());
            if (failed.isPresent()) {
                return report(
                        level,
                        failed.get().verdict(),
                        failed.get().message(),
                        List.of(),
                        result.output(),
                        command);
            }
            TensorBundle got = new TensorBundle("nnef-infer's outputs");
            List<String> names = job.signature().outputs();
            try {
                for (int i = 0; i < names.size(); i++) {
                    HostTensor expected = job.io().get(names.get(i));
                    got.add(
                            KhronosTensors.fromDat(
                                    DatReader.read(out.resolve("output-" + i + ".dat")), expected));
                }
            } catch (IOException | IllegalArgumentException e) {
                return report(
                        level,
                        ExitCode.CHECKER_UNAVAILABLE,
                        "nnef-infer's outputs are unreadable: " + e.getMessage(),
                        List.of(),
                        result.output(),
                        command);
            }
            List<OutputComparison> outputs =
                    TensorComparator.compareOutputs(
                            job.io(), got, names, job.request().approximation());
            CheckReport compared = CheckReport.fromComparisons(CHECKER, "", level, outputs);
            return report(
                    level,
                    compared.verdict(),
                    compared.message(),
                    outputs,
                    result.output(),
                    command);
        }

        @Override
        public Optional<String> toolVersion() {
            return Optional.empty();
        }
    }

    private static CheckReport report(
            String level,
            ExitCode verdict,
            String message,
            List<OutputComparison> outputs,
            String output,
            List<String> command) {
        return new CheckReport(
                CHECKER, "NNEF-Tools", level, outputs, verdict, message, output, command);
    }
}
