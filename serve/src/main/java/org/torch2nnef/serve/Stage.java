package org.torch2nnef.serve;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The step a running job is at, in order. */
public enum Stage {
    /** The CLI's screening read of the TorchScript archive (its hostile-input limits). */
    READ,
    /** The exporter reads, types and translates the graph. */
    TRANSLATE,
    /** The exporter streams the archive out (its temporary output grows). */
    WRITE,
    /** torch (in a child process) and the checker run the models. */
    CHECK;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
