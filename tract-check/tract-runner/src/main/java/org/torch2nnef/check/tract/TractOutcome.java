package org.torch2nnef.check.tract;

import java.time.Duration;
import org.torch2nnef.check.Signals;
import org.torch2nnef.check.report.ExitCode;

/**
 * How a tract run ended, judged from its exit code and output alone.
 *
 * @param verdict {@code EQUAL} on a clean run; {@code OUTPUTS_DIFFER} when tract reported an error
 *     (a failed assertion, or it rejected the model); {@code CHECKER_UNAVAILABLE} when it panicked,
 *     ran out of memory or timed out
 * @param message the reason, quoting tract's most telling line
 */
public record TractOutcome(ExitCode verdict, String message) {
    /** Rust panic, abort and backtrace markers. */
    private static final String[] CRASH_MARKERS = {
        "panicked at",
        "has overflowed its stack",
        "fatal runtime error",
        "stack backtrace:",
        "RUST_BACKTRACE"
    };

    /**
     * Judges a finished run of a tract under {@code cap}; {@code timeout} is quoted when it was
     * exceeded. Running out of memory, or dying by a signal under a cap (too small a cap kills
     * tract as it starts), names the cap: tract broke, which says nothing about the outputs.
     */
    public static TractOutcome of(ProcessResult r, Duration timeout, TractMemoryCap cap) {
        if (r.timedOut()) {
            return new TractOutcome(
                    ExitCode.CHECKER_UNAVAILABLE,
                    "tract timed out after " + timeout.toSeconds() + " s and was killed");
        }
        for (String marker : TractMemoryCap.ALLOCATION_FAILURES) {
            if (r.output().contains(marker)) {
                return new TractOutcome(
                        ExitCode.CHECKER_UNAVAILABLE,
                        "tract ran out of memory"
                                + cap.human().map(h -> " under its cap of " + h).orElse("")
                                + " (exit "
                                + r.exitCode()
                                + "): "
                                + lineWith(r.output(), marker)
                                + (cap.human().isPresent() ? "; " + TractMemoryCap.raise() : ""));
            }
        }
        for (String marker : CRASH_MARKERS) {
            if (r.output().contains(marker)) {
                return new TractOutcome(
                        ExitCode.CHECKER_UNAVAILABLE,
                        "tract crashed (exit "
                                + r.exitCode()
                                + "): "
                                + lineWith(r.output(), marker));
            }
        }
        if (r.exitCode() > Signals.EXIT_BASE) {
            // killed by a signal (SIGABRT on a Rust stack overflow, SIGSEGV, the OOM killer's
            // SIGKILL): tract broke, which says nothing about the outputs; under a cap too small
            // for tract to start, the kernel's SIGSEGV as it maps the executable
            return new TractOutcome(
                    ExitCode.CHECKER_UNAVAILABLE,
                    "tract crashed (killed by signal "
                            + Signals.name(r.exitCode() - Signals.EXIT_BASE)
                            + ", exit "
                            + r.exitCode()
                            + ")"
                            + cap.human()
                                    .map(
                                            h ->
                                                    " under its memory cap of "
                                                            + h
                                                            + ", which may be too small for it")
                                    .orElse("")
                            + ": "
                            + errorLine(r.output())
                            + (cap.human().isPresent() ? "; " + TractMemoryCap.raise() : ""));
        }
        if (r.exitCode() != 0) {
            return new TractOutcome(
                    ExitCode.OUTPUTS_DIFFER,
                    "tract failed (exit " + r.exitCode() + "): " + errorLine(r.output()));
        }
        if (r.output().contains("ERROR")) {
            return new TractOutcome(
                    ExitCode.OUTPUTS_DIFFER,
                    "tract logged an error: " + lineWith(r.output(), "ERROR"));
        }
        return new TractOutcome(ExitCode.EQUAL, "");
    }

    private static String errorLine(String output) {
        for (String marker : new String[] {"ERROR", "Error", "error"}) {
            if (output.contains(marker)) {
                return lineWith(output, marker);
            }
        }
        // No error marker: the last line printed is the best hint.
        return output.trim().lines().reduce((first, last) -> last).orElse("(no output)").trim();
    }

    private static String lineWith(String output, String marker) {
        return output.lines().filter(l -> l.contains(marker)).findFirst().orElse("").trim();
    }
}
