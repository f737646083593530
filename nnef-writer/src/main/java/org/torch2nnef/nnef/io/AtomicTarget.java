package org.torch2nnef.nnef.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Output that appears only on success: content is written to a hidden temporary sibling of the
 * target ({@code .name.tmp-…}), which {@link #commit()} moves into place and {@link #close()}
 * deletes when the commit did not happen. Directories replace an existing directory only when it is
 * empty or holds a {@code graph.nnef} (an earlier model), never anything else.
 */
final class AtomicTarget implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final boolean directory;
    private boolean committed;

    private AtomicTarget(Path target, Path temp, boolean directory) {
        this.target = target;
        this.temp = temp;
        this.directory = directory;
    }

    /** Prepares a temporary file beside {@code target}. */
    static AtomicTarget file(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            throw new IOException(
                    target + " is a directory; refusing to replace it with an archive file");
        }
        Path parent = createParent(abs);
        return new AtomicTarget(
                abs, Files.createTempFile(parent, "." + abs.getFileName() + ".tmp-", ""), false);
    }

    /** Prepares a temporary directory beside {@code target}. */
    static AtomicTarget directory(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
            checkReplaceableDirectory(abs);
        }
        Path parent = createParent(abs);
        return new AtomicTarget(
                abs, Files.createTempDirectory(parent, "." + abs.getFileName() + ".tmp-"), true);
    }

    /** Where to write the content. */
    Path temp() {
        return temp;
    }

    /** Moves the written content into place. */
    void commit() throws IOException {
        if (!directory) {
            move(temp, target, true);
        } else if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            checkReplaceableDirectory(target);
            Path old =
                    Files.createTempDirectory(
                            target.getParent(), "." + target.getFileName() + ".old-");
            Files.delete(old);
            move(target, old, false);
            move(temp, target, false);
            deleteRecursively(old);
        } else {
            move(temp, target, false);
        }
        committed = true;
    }

    /** Deletes the temporary content unless it was committed. */
    @Override
    public void close() throws IOException {
        if (!committed) {
            deleteRecursively(temp);
        }
    }

    private static Path createParent(Path abs) throws IOException {
        Path parent = abs.getParent();
        if (parent == null) {
            throw new IOException("cannot write to the file system root " + abs);
        }
        Files.createDirectories(parent);
        return parent;
    }

    private static void checkReplaceableDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(
                    dir
                            + " exists and is not a directory; refusing to replace it with a model directory");
        }
        if (Files.exists(dir.resolve("graph.nnef"))) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            if (entries.iterator().hasNext()) {
                throw new IOException(
                        dir
                                + " is a non-empty directory without graph.nnef; refusing to replace it");
            }
        }
    }

    private static void move(Path from, Path to, boolean replace) throws IOException {
        try {
            if (replace) {
                Files.move(
                        from,
                        to,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (AtomicMoveNotSupportedException e) {
            if (replace) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(from, to);
            }
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(
                path,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                            throws IOException {
                        Files.delete(file);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path dir, IOException exc)
                            throws IOException {
                        if (exc != null) {
                            throw exc;
                        }
                        Files.delete(dir);
                        return FileVisitResult.CONTINUE;
                    }
                });
    }
}
