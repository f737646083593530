package org.torch2nnef.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Checks of the files a command reads, before anything opens them: opening a FIFO blocks until a
 * writer comes, and the JDK's errors for a directory or a missing file do not name the path.
 */
final class InputFiles {
    private InputFiles() {}

    /** Why {@code file} cannot be read as a file, naming it; empty when it can. */
    static Optional<String> notAFile(Path file) {
        if (Files.isRegularFile(file)) {
            return Optional.empty();
        }
        if (Files.isDirectory(file)) {
            return Optional.of(file + ": is a directory, not a file");
        }
        if (!Files.exists(file)) {
            return Optional.of(file + ": no such file");
        }
        return Optional.of(
                file + ": not a regular file (a FIFO, device or socket); refusing to read it");
    }

    /**
     * Why {@code file} must not be opened at all (a FIFO, device or socket); empty for files,
     * directories and missing paths, which the reader reports itself.
     */
    static Optional<String> special(Path file) {
        return Files.isDirectory(file) || !Files.exists(file) ? Optional.empty() : notAFile(file);
    }
}
