package org.torch2nnef.serve;

import java.util.List;

/**
 * How a job ended; stored with the results so that a cache hit answers with the same outcome.
 *
 * @param exitCode what the CLI would have exited with for the same model and options
 * @param verdict the check's verdict ({@code EQUAL}, {@code OUTPUTS_DIFFER}, ...); null when no
 *     check ran
 * @param error why the job failed, as the CLI prints it; null when it did not
 * @param summary the export's summary (the CLI's first lines); null when nothing was exported
 * @param files the result files kept: {@code artifact.nnef.tgz}, {@code report.json}, {@code
 *     debug-bundle.tgz}
 */
public record Outcome(
        int exitCode, String verdict, String error, String summary, List<String> files) {
    public static final String ARTIFACT = "artifact.nnef.tgz";
    public static final String REPORT = "report.json";
    public static final String DEBUG_BUNDLE = "debug-bundle.tgz";

    public Outcome {
        files = files == null ? List.of() : List.copyOf(files);
    }

    /** A job that ended before it produced anything. */
    public static Outcome failure(int exitCode, String error) {
        return new Outcome(exitCode, null, error, null, List.of());
    }

    /** The state this outcome gives a job. */
    public JobState state() {
        return exitCode == 0 ? JobState.SUCCEEDED : JobState.FAILED;
    }

    /**
     * Whether the same inputs give the same outcome, so the cache may keep it: an export that wrote
     * its archive, unchecked, or a check's verdict on the models themselves (not a checker that was
     * missing, crashed or timed out, nor an input refused).
     */
    public boolean reproducible() {
        return verdict == null
                ? exitCode == 0 && files.contains(ARTIFACT)
                : "EQUAL".equals(verdict) || "OUTPUTS_DIFFER".equals(verdict);
    }
}
