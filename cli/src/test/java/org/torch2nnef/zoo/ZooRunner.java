package org.torch2nnef.zoo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.torch2nnef.check.CheckRequest;
import org.torch2nnef.check.CheckRunner;
import org.torch2nnef.check.CheckerMode;
import org.torch2nnef.check.TractLoading;
import org.torch2nnef.check.compare.Approximation;
import org.torch2nnef.check.compare.OutputComparison;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.report.ExitCode;
import org.torch2nnef.check.tract.TractBinary;
import org.torch2nnef.export.ExportException;
import org.torch2nnef.export.ExportOptions;
import org.torch2nnef.export.ExportResult;
import org.torch2nnef.export.Exporter;
import org.torch2nnef.export.OpProblem;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.export.TractTarget;
import org.torch2nnef.export.UnsupportedOpsException;

/**
 * Exports zoo models with their dynamic axes into a work directory ({@code NAME.nnef.tgz}) and
 * checks them against torch (DJL's run of the TorchScript) at {@code approximate}, once per
 * manifest check (both test lengths of a dynamic axis), with the reference interpreter and, when
 * given, a real tract (exporting for its release when it is older than the default target, {@link
 * #target}). Failures are outcomes, never exceptions: their one-line reasons name the stage, the
 * shapes and the cause, with machine-specific paths replaced by stable ones.
 */
public final class ZooRunner {
    /** The level the zoo must pass at. */
    public static final Approximation LEVEL = Approximation.APPROXIMATE;

    /** The seed of the checks' inputs. */
    public static final long SEED = 0;

    private final Exporter exporter = new Exporter();
    private final OpRegistry registry = OpRegistry.standard();
    private final Path zooDir;
    private final Path work;
    private final Optional<TractBinary> tract;

    /**
     * @param zooDir the zoo directory, replaced by {@code samples/zoo} in reasons
     * @param work where exported models and check inputs go
     * @param tract a tract to check with as well, if any
     */
    public ZooRunner(Path zooDir, Path work, Optional<TractBinary> tract) {
        this.zooDir = zooDir.toAbsolutePath().normalize();
        this.work = work.toAbsolutePath().normalize();
        this.tract = tract;
    }

    /** The checkers this runner uses: the reference interpreter, then tract when it was given. */
    public List<CheckerMode> checkers() {
        return tract.isPresent()
                ? List.of(CheckerMode.REFERENCE, CheckerMode.TRACT)
                : List.of(CheckerMode.REFERENCE);
    }

    /** Exports {@code model} and, if it exported, checks it with every checker. */
    public ZooOutcome run(ZooModel model) throws IOException {
        ExportOutcome exported = export(model);
        Map<CheckerMode, List<CheckOutcome>> checks = new EnumMap<>(CheckerMode.class);
        if (exported.exported()) {
            for (CheckerMode checker : checkers()) {
                checks.put(checker, check(model, exported, checker));
            }
        }
        return new ZooOutcome(model, exported, checks);
    }

    /**
     * Exports {@code model} at its trace shapes with its dynamic axes to {@code
     * work/NAME.nnef.tgz}.
     *
     * @throws IOException only when the archive cannot be read or written for reasons outside the
     *     model (a missing archive is the caller's to report)
     */
    public ExportOutcome export(ZooModel model) throws IOException {
        Path out = work.resolve(model.name() + ".nnef.tgz");
        Files.createDirectories(work);
        ExportOptions options =
                ExportOptions.builder(out)
                        .inputs(model.declarations())
                        .dynamicAxes(model.dynamicAxesDeclarations())
                        .outputNames(model.outputs())
                        .tract(target())
                        .build();
        long t0 = System.nanoTime();
        try {
            ExportResult r = exporter.export(model.archive(), options);
            return new ExportOutcome(out, Files.size(out), since(t0), r.opsUsed(), null);
        } catch (UnsupportedOpsException e) {
            return ExportOutcome.failed(since(t0), clean(describe(e)));
        } catch (ExportException e) {
            return ExportOutcome.failed(since(t0), clean(e.getMessage()));
        } catch (RuntimeException e) {
            // a crash is an exporter bug: recorded with its type so that it is listed, not hidden
            return ExportOutcome.failed(since(t0), clean("crashed: " + e));
        }
    }

    /**
     * What the zoo exports for: the release of the given tract when it is older than the default
     * target, so that its checks test what that release loads; otherwise the default.
     */
    public TractTarget target() {
        return tract.map(t -> TractTarget.forRelease(t.version().toString()))
                .orElse(TractTarget.NEWEST_SUPPORTED);
    }

    /** Checks an exported model with {@code checker} at every manifest check. */
    public List<CheckOutcome> check(ZooModel model, ExportOutcome exported, CheckerMode checker)
            throws IOException {
        return check(model, exported, checker, TractLoading.SYMBOLS);
    }

    /**
     * Checks an exported model with {@code checker} at every manifest check, tract loading it as
     * {@code loading} says.
     */
    public List<CheckOutcome> check(
            ZooModel model, ExportOutcome exported, CheckerMode checker, TractLoading loading)
            throws IOException {
        List<CheckOutcome> out = new ArrayList<>();
        for (int i = 0; i < model.checks().size(); i++) {
            ZooModel.Check at = model.checks().get(i);
            Path inputs = work.resolve(model.name() + "-inputs-" + i + ".npz");
            ZooInputs.write(model, at, SEED, inputs);
            CheckRequest.Builder request =
                    CheckRequest.builder(model.archive(), exported.archive())
                            .mode(checker)
                            .approximation(LEVEL)
                            .inputsNpz(inputs)
                            .tractLoading(loading);
            if (model.quantization() != null) {
                request.quantizedEngine(model.quantization().engine())
                        .stepTolerance(model.quantization().steps());
            }
            tract.filter(t -> checker == CheckerMode.TRACT).ifPresent(t -> request.tract(t.path()));
            CheckReport report = new CheckRunner().check(request.build());
            double maxAbs =
                    report.outputs().stream()
                            .mapToDouble(OutputComparison::maxAbsError)
                            .filter(d -> !Double.isNaN(d))
                            .max()
                            .orElse(Double.NaN);
            out.add(
                    new CheckOutcome(
                            at,
                            checker,
                            report.checkerVersion(),
                            report.verdict(),
                            maxAbs,
                            report.verdict() == ExitCode.EQUAL ? null : clean(failure(report)),
                            report.outputs().stream()
                                    .map(OutputComparison::steps)
                                    .filter(Objects::nonNull)
                                    .findFirst()
                                    .orElse(null)));
        }
        return out;
    }

    /**
     * The ops without a translator, then other problems once per op and reason. Nodes fed by a
     * failed node are not reported by the exporter, so these are the ops that block the export
     * first, not every op the model lacks (the census has those).
     */
    private String describe(UnsupportedOpsException e) {
        Set<String> untranslated = new TreeSet<>();
        Map<String, String> others = new LinkedHashMap<>();
        for (OpProblem p : e.problems()) {
            // op kinds are namespaced; other problems (a module call, an output) say what they are
            // a refused quantization scheme keeps its reason, which names the scheme
            if (p.kind().contains("::")
                    && registry.find(p.kind()).isEmpty()
                    && !p.reason().endsWith(": not exported")) {
                untranslated.add(p.kind());
            } else {
                others.putIfAbsent(
                        p.kind() + "\n" + p.reason(),
                        p.kind() + " in " + p.module() + ": " + p.reason());
            }
        }
        List<String> parts = new ArrayList<>();
        if (!untranslated.isEmpty()) {
            parts.add("no translator for " + String.join(", ", untranslated));
        }
        parts.addAll(others.values());
        return String.join("; ", parts);
    }

    private static String failure(CheckReport report) {
        String what = report.verdict().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        List<String> failed =
                report.outputs().stream()
                        .filter(o -> !o.passed())
                        .map(o -> o.name() + ": " + o.reason())
                        .toList();
        return what + ": " + (failed.isEmpty() ? report.message() : String.join("; ", failed));
    }

    /** One line, with this machine's paths replaced by stable ones. */
    private String clean(String reason) {
        return reason.replace(zooDir + "/", "samples/zoo/")
                .replace(work + "/", "")
                .replaceAll("\\s*\\R\\s*", " ")
                .strip();
    }

    private static Duration since(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }
}
