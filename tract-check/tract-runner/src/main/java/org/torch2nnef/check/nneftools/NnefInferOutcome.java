package org.torch2nnef.check.nneftools;

import java.time.Duration;
import java.util.Optional;
import org.torch2nnef.check.Signals;
import org.torch2nnef.check.report.ExitCode;
import org.torch2nnef.check.tract.ProcessResult;

/**
 * How an nnef-infer run that did not finish cleanly ended, judged from its exit code and output
 * alone.
 *
 * @param verdict {@code OUTPUTS_DIFFER} when it refused the model (a parse or shape error); {@code
 *     CHECKER_UNAVAILABLE} when it lacks an operation, crashed or timed out
 * @param message the reason, quoting nnef-infer's error line
 */
public record NnefInferOutcome(ExitCode verdict, String message) {
    /** The highest signal number (Linux' SIGRTMAX). */
    private static final int MAX_SIGNAL = 64;

    /** Judges a finished run: empty when it exited 0; {@code timeout} is quoted if exceeded. */
    public static Optional<NnefInferOutcome> of(ProcessResult r, Duration timeout) {
        if (r.timedOut()) {
            return Optional.of(
                    new NnefInferOutcome(
                            ExitCode.CHECKER_UNAVAILABLE,
                            "nnef-infer timed out after "
                                    + timeout.toSeconds()
                                    + " s and was killed"));
        }
        if (r.exitCode() == 0) {
            return Optional.empty();
        }
        String line = errorLine(r.output());
        // nnef-infer reports its errors with exit 255 (return -1), which is no signal
        if (r.exitCode() > Signals.EXIT_BASE && r.exitCode() <= Signals.EXIT_BASE + MAX_SIGNAL) {
            return Optional.of(
                    new NnefInferOutcome(
                            ExitCode.CHECKER_UNAVAILABLE,
                            "nnef-infer crashed (killed by signal "
                                    + Signals.name(r.exitCode() - Signals.EXIT_BASE)
                                    + "): "
                                    + line));
        }
        boolean unimplemented =
                line.contains("operation not implemented")
                        || (line.contains("Shape function for operation")
                                && line.contains("is not provided"));
        return Optional.of(
                unimplemented
                        ? new NnefInferOutcome(
                                ExitCode.CHECKER_UNAVAILABLE,
                                "nnef-infer cannot execute this model, so nothing was checked: "
                                        + line)
                        : new NnefInferOutcome(
                                ExitCode.OUTPUTS_DIFFER,
                                "nnef-infer rejected the model (exit "
                                        + r.exitCode()
                                        + "): "
                                        + line));
    }

    /** Its last line that is not the "Executing model" banner. */
    private static String errorLine(String output) {
        return output.strip()
                .lines()
                .filter(l -> !l.startsWith("Executing model:"))
                .reduce((a, b) -> b)
                .orElse("(no output)")
                .strip();
    }
}
