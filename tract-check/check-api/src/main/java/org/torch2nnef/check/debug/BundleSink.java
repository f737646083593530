package org.torch2nnef.check.debug;

import java.io.IOException;
import java.nio.file.Path;

/** Where debug bundle entries are written: a directory or a tar.gz stream. */
interface BundleSink extends AutoCloseable {
    /** Copies {@code source} (a regular file) to {@code entry}. */
    void addFile(String entry, Path source) throws IOException;

    /** Writes {@code text} as UTF-8 to {@code entry}, executable when {@code executable}. */
    void addText(String entry, String text, boolean executable) throws IOException;

    @Override
    void close() throws IOException;
}
