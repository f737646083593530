package org.torch2nnef.check.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.torch2nnef.check.compare.OutputComparison;

/**
 * The result of one check.
 *
 * @param checker {@code tract} or {@code reference}
 * @param checkerVersion the checker's version, e.g. {@code 0.21.13}; {@code unknown} when it could
 *     not be read
 * @param approximation the approximation level applied (tract's name)
 * @param outputs per-output comparisons (may be empty when the checker failed before running)
 * @param verdict overall outcome
 * @param message one-line explanation of the verdict
 * @param checkerOutput everything the checker printed (empty for in-process checkers)
 * @param command the checker's command line, program first (empty for in-process checkers)
 * @param selection which checker was chosen and why ({@code --checker auto}); empty when the caller
 *     named the checker
 * @param divergence for a mismatch, the first NNEF tensor found to diverge from torch; null when
 *     not localized
 * @param tractTarget when tract checked: the tract release the model targets and where that was
 *     learnt, e.g. {@code 0.20.22 (recorded in the model's tract_core_properties)}; empty otherwise
 * @param warnings what the user should know although the verdict stands, e.g. that the tract
 *     checking the model is another release than its target
 */
public record CheckReport(
        String checker,
        String checkerVersion,
        String approximation,
        List<OutputComparison> outputs,
        ExitCode verdict,
        String message,
        String checkerOutput,
        List<String> command,
        String selection,
        Divergence divergence,
        String tractTarget,
        List<String> warnings) {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Canonical constructor; copies {@code outputs}. */
    public CheckReport {
        outputs = List.copyOf(outputs);
        command = List.copyOf(command);
        selection = selection == null ? "" : selection;
        tractTarget = tractTarget == null ? "" : tractTarget;
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** A report without checker selection note or localization. */
    public CheckReport(
            String checker,
            String checkerVersion,
            String approximation,
            List<OutputComparison> outputs,
            ExitCode verdict,
            String message,
            String checkerOutput,
            List<String> command) {
        this(
                checker,
                checkerVersion,
                approximation,
                outputs,
                verdict,
                message,
                checkerOutput,
                command,
                "",
                null,
                "",
                List.of());
    }

    /** The same report saying which checker was chosen and why. */
    public CheckReport withSelection(String why) {
        return new CheckReport(
                checker,
                checkerVersion,
                approximation,
                outputs,
                verdict,
                message,
                checkerOutput,
                command,
                why,
                divergence,
                tractTarget,
                warnings);
    }

    /** The same report naming the first diverging tensor. */
    public CheckReport withDivergence(Divergence found) {
        return new CheckReport(
                checker,
                checkerVersion,
                approximation,
                outputs,
                verdict,
                message,
                checkerOutput,
                command,
                selection,
                found,
                tractTarget,
                warnings);
    }

    /** The same report with {@code note} appended to the message. */
    public CheckReport withNote(String note) {
        if (note.isEmpty()) {
            return this;
        }
        return withMessage(message.isEmpty() ? note : message + "; " + note);
    }

    /** The same report with {@code m} as its message. */
    public CheckReport withMessage(String m) {
        return new CheckReport(
                checker,
                checkerVersion,
                approximation,
                outputs,
                verdict,
                m,
                checkerOutput,
                command,
                selection,
                divergence,
                tractTarget,
                warnings);
    }

    /** The same report naming the tract release the model targets, with {@code found} warnings. */
    public CheckReport withTractTarget(String target, List<String> found) {
        return new CheckReport(
                checker,
                checkerVersion,
                approximation,
                outputs,
                verdict,
                message,
                checkerOutput,
                command,
                selection,
                divergence,
                target,
                found);
    }

    /** The same report with another verdict (and the same message). */
    public CheckReport withVerdict(ExitCode other) {
        return new CheckReport(
                checker,
                checkerVersion,
                approximation,
                outputs,
                other,
                message,
                checkerOutput,
                command,
                selection,
                divergence,
                tractTarget,
                warnings);
    }

    /** The process exit code for this report. */
    public int exitCode() {
        return verdict.code();
    }

    /**
     * A report for an in-process checker (such as the NNEF reference interpreter): the verdict and
     * message follow from the comparisons.
     */
    public static CheckReport fromComparisons(
            String checker, String version, String approximation, List<OutputComparison> outputs) {
        long failed = outputs.stream().filter(o -> !o.passed()).count();
        String message = failed == 0 ? "" : failed + " of " + outputs.size() + " outputs differ";
        return new CheckReport(
                checker,
                version,
                approximation,
                outputs,
                verdictOf(outputs),
                message,
                "",
                List.of());
    }

    /** The verdict from the comparisons alone: equal when all passed, otherwise outputs differ. */
    public static ExitCode verdictOf(List<OutputComparison> outputs) {
        return outputs.stream().allMatch(OutputComparison::passed)
                ? ExitCode.EQUAL
                : ExitCode.OUTPUTS_DIFFER;
    }

    /** A compact console table: one header line, one line per output, then the verdict. */
    public String toConsoleTable() {
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "check: %s %s, approximation %s%n",
                        checker,
                        checkerVersion,
                        approximation));
        if (!selection.isEmpty()) {
            sb.append("checker choice: ").append(selection).append(System.lineSeparator());
        }
        if (!tractTarget.isEmpty()) {
            sb.append("tract target: ").append(tractTarget).append(System.lineSeparator());
        }
        warnings.forEach(w -> sb.append("warning: ").append(w).append(System.lineSeparator()));
        if (!outputs.isEmpty()) {
            int w = Math.max(6, outputs.stream().mapToInt(o -> o.name().length()).max().orElse(6));
            String row = "%-" + w + "s  %-5s %-16s %-10s %-10s %-9s %s%n";
            sb.append(
                    String.format(
                            Locale.ROOT,
                            row,
                            "output",
                            "dtype",
                            "shape",
                            "max abs",
                            "max rel",
                            "outliers",
                            "verdict"));
            for (OutputComparison o : outputs) {
                sb.append(
                        String.format(
                                Locale.ROOT,
                                row,
                                o.name(),
                                o.actualDtype() == null ? "-" : o.actualDtype(),
                                o.actualShape() == null ? "-" : o.actualShape().toString(),
                                number(o.maxAbsError()),
                                number(o.maxRelError()),
                                o.outliers() < 0 ? "-" : o.outliers() + "/" + o.elementCount(),
                                o.passed() ? "ok" : "FAIL " + o.reason()));
                if (o.steps() != null && o.passed()) {
                    sb.append(
                            String.format(
                                    Locale.ROOT, "%-" + w + "s  %s%n", "", o.steps().describe()));
                }
            }
        }
        if (divergence != null) {
            sb.append(divergence.describe()).append(System.lineSeparator());
        }
        sb.append(
                String.format(
                        Locale.ROOT,
                        "verdict: %s (exit %d)%s%n",
                        verdict,
                        verdict.code(),
                        message.isEmpty() ? "" : ": " + message));
        return sb.toString();
    }

    /** The report as indented JSON. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException("report not serializable", e);
        }
    }

    /** Writes the JSON report ({@code --report FILE}). */
    public void writeJson(Path file) throws IOException {
        JSON.writeValue(file.toFile(), this);
    }

    /** Reads a report written by {@link #writeJson}. */
    public static CheckReport readJson(Path file) throws IOException {
        return JSON.readValue(file.toFile(), CheckReport.class);
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3g", v);
    }
}
