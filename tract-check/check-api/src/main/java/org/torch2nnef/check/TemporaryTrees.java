package org.torch2nnef.check;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Removal of a check's temporary folders. */
public final class TemporaryTrees {
    private TemporaryTrees() {}

    /**
     * Removes {@code root} and everything under it, as far as possible, and never throws. Entries
     * that vanish meanwhile are skipped: a task still running on another thread may remove its own
     * folder inside {@code root} while the check that gave up on it removes {@code root} (a stream
     * of {@code Files.walk} threw then, and the check ended as an internal error).
     */
    public static void delete(Path root) {
        try {
            Files.walkFileTree(
                    root,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            file.toFile().delete();
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                            dir.toFile().delete();
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException | RuntimeException e) {
            // a leftover temporary folder is harmless; the check's result is what matters
        }
    }
}
