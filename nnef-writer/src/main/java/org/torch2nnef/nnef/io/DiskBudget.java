package org.torch2nnef.nnef.io;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What an extraction may write: {@link Limits#NNEF_EXTRACT_BYTES} in total, and never so much that
 * its file system would be left with less than a reserve (1 GiB, or a twentieth of a smaller disk)
 * free. Sizes are claimed from the entries' declarations before anything is written, so an archive
 * announcing more is refused having cost nothing.
 */
final class DiskBudget {
    private static final long MAX_RESERVE = 1L << 30;

    private final Path dir;
    private final long limit;
    private final long usable;
    private final long reserve;
    private long claimed;

    DiskBudget(Path dir, long limit, long usable, long reserve) {
        this.dir = dir;
        this.limit = limit;
        this.usable = usable;
        this.reserve = reserve;
    }

    /** The budget of an extraction into {@code dir}, measured now. */
    static DiskBudget of(Path dir) throws IOException {
        FileStore store = Files.getFileStore(dir);
        long reserve = Math.min(MAX_RESERVE, store.getTotalSpace() / 20);
        return new DiskBudget(
                dir, Limits.NNEF_EXTRACT_BYTES.value(), store.getUsableSpace(), reserve);
    }

    /**
     * Claims {@code bytes} more for the entry {@code where}.
     *
     * @throws NnefFormatException naming the entry and the bound it would pass
     */
    void claim(long bytes, String where) throws NnefFormatException {
        claimed = bytes > Long.MAX_VALUE - claimed ? Long.MAX_VALUE : claimed + bytes;
        if (claimed > limit) {
            throw new NnefFormatException(
                    where
                            + ": extracting the model needs more than "
                            + limit
                            + " bytes of disk ("
                            + Limits.NNEF_EXTRACT_BYTES.describe()
                            + ")");
        }
        if (claimed > usable - reserve) {
            throw new NnefFormatException(
                    where
                            + ": extracting the model needs more than the "
                            + Math.max(0, usable - reserve)
                            + " bytes free in "
                            + dir.getParent()
                            + " (less a reserve of "
                            + reserve
                            + " bytes); free space there, or set java.io.tmpdir to a larger disk"
                            + " through TORCH2NNEF_JAVA_OPTS");
        }
    }
}
