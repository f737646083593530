package org.torch2nnef.check.report;

/** Process exit codes of a check; {@link #code()} is what the CLI returns. */
public enum ExitCode {
    /** Every output is within tolerance. */
    EQUAL(0),
    /** At least one output differs, is missing, or the checker rejected the model. */
    OUTPUTS_DIFFER(1),
    /** Bad command line or unreadable input (model, bundle, shapes). */
    USAGE_OR_INPUT_ERROR(2),
    /** The checker could not be found or run, crashed, or timed out. */
    CHECKER_UNAVAILABLE(3);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    /** The numeric process exit code. */
    public int code() {
        return code;
    }
}
