package org.torch2nnef.nnef.model;

import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * Bytes {@code [position, position + length)} of an open file that are a tensor payload verbatim,
 * so that archive writers can copy them with {@link FileChannel#transferTo} instead of streaming
 * them through the JVM. The channel stays owned by whoever opened it.
 *
 * @param channel the file, open for reading
 * @param position offset of the first payload byte in the file
 * @param length number of payload bytes
 */
public record FileRegion(FileChannel channel, long position, long length) {
    /** Checks the arguments. */
    public FileRegion {
        Objects.requireNonNull(channel, "channel");
        if (position < 0 || length < 0) {
            throw new IllegalArgumentException(
                    "file region at " + position + " of " + length + " bytes");
        }
    }
}
