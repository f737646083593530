package org.torch2nnef.serve;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a job is in its life; the last three are final. */
public enum JobState {
    QUEUED,
    RUNNING,
    /** Ran to the end, and the CLI would have exited 0 (exported; equal when checked). */
    SUCCEEDED,
    /** Refused, failed, timed out, or interrupted by a server stop; {@code error} says which. */
    FAILED,
    CANCELLED;

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
