package org.torch2nnef.nnef.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a model directory written by an export may hold: {@code graph.nnef}, {@code graph.quant} and
 * {@code .dat} files (in sub-directories too, for labels with {@code /}). Anything else is the
 * user's, and a directory holding it is never replaced.
 */
final class ExportedFiles {
    private ExportedFiles() {}

    /** The first entry of {@code dir} an export would not have written, if any. */
    static Optional<Path> firstForeign(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> !p.equals(dir))
                    .filter(p -> !isExported(dir, p))
                    .sorted()
                    .findFirst();
        }
    }

    private static boolean isExported(Path dir, Path p) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            return true; // judged by what it holds
        }
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return false; // links, FIFOs, devices
        }
        String name = p.getFileName().toString();
        boolean top = p.getParent().equals(dir);
        return name.endsWith(".dat")
                || (top
                        && (name.equals(ArchivePaths.GRAPH_NNEF)
                                || name.equals(ArchivePaths.GRAPH_QUANT)));
    }
}
