package org.torch2nnef.torchscript;

import java.nio.channels.FileChannel;

/**
 * Bytes {@code [position, position + length)} of an open TorchScript archive file, e.g. the
 * verbatim data of a tensor. The channel belongs to the {@link TorchScriptArchive} and is only
 * valid while it is open.
 *
 * @param channel the archive file
 * @param position offset of the first byte in the file
 * @param length number of bytes
 */
public record ArchiveSlice(FileChannel channel, long position, long length) {
    /**
     * @throws IllegalArgumentException if the range is negative or its end overflows
     */
    public ArchiveSlice {
        if (position < 0 || length < 0 || length > Long.MAX_VALUE - position) {
            throw new IllegalArgumentException(
                    "invalid archive slice [" + position + ", +" + length + ")");
        }
    }
}
