package org.torch2nnef.zoo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * How one zoo model exported.
 *
 * @param archive the written {@code .nnef.tgz} (null when the export failed)
 * @param archiveBytes its size (0 when the export failed)
 * @param time wall time of the export: reading, translating and writing
 * @param nnefOps the NNEF operations the graph invokes (empty when the export failed)
 * @param failure why the export failed, one line; null when it succeeded
 */
public record ExportOutcome(
        Path archive, long archiveBytes, Duration time, SortedSet<String> nnefOps, String failure) {
    /** Canonical constructor; copies the ops. */
    public ExportOutcome {
        nnefOps = new TreeSet<>(nnefOps);
    }

    /** A failed export. */
    static ExportOutcome failed(Duration time, String failure) {
        return new ExportOutcome(null, 0, time, new TreeSet<>(), failure);
    }

    /** Whether the model was written. */
    public boolean exported() {
        return failure == null;
    }
}
