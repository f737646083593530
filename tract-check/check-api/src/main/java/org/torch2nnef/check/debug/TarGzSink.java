package org.torch2nnef.check.debug;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Streams bundle entries into a {@code .tgz} under one top-level directory. */
final class TarGzSink implements BundleSink {
    private static final int REGULAR = 0100644;
    private static final int EXECUTABLE = 0100755;
    private final TarArchiveOutputStream tar;
    private final String prefix;

    TarGzSink(Path file, String topDirectory) throws IOException {
        tar =
                new TarArchiveOutputStream(
                        new GzipCompressorOutputStream(
                                new BufferedOutputStream(Files.newOutputStream(file))));
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        prefix = topDirectory + "/";
    }

    @Override
    public void addFile(String entry, Path source) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(prefix + entry);
        e.setSize(Files.size(source));
        e.setMode(REGULAR);
        tar.putArchiveEntry(e);
        Files.copy(source, tar);
        tar.closeArchiveEntry();
    }

    @Override
    public void addText(String entry, String text, boolean executable) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(prefix + entry);
        e.setSize(bytes.length);
        e.setMode(executable ? EXECUTABLE : REGULAR);
        tar.putArchiveEntry(e);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }
}
