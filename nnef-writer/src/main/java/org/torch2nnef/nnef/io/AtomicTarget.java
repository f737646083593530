package org.torch2nnef.nnef.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Output that appears only on success: content is written to a hidden temporary sibling of the
 * target ({@code .name.tmp-…}, named by {@link ScratchNames}), which {@link #commit()} moves into
 * place and {@link #close()} deletes when the commit did not happen; a shutdown hook deletes it on
 * Ctrl-C or SIGTERM, and the next write to the same target removes one left by a killed process.
 * Directories replace an existing directory only when it is empty or holds only what an export
 * writes ({@code graph.nnef}, {@code graph.quant}, {@code .dat} files), never anything else.
 *
 * <p>Outputs get the permissions the umask gives new files (0644 and 0755 under umask 022); a
 * replaced file keeps its mode.
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
            throw new OutputRefusedException(
                    target + " is a directory; refusing to replace it with an archive file");
        }
        Path parent = createParent(target, abs);
        Path temp = parent.resolve(ScratchNames.fresh(tempBase(abs)));
        // createFile without attributes: the umask decides the mode, as for any new file
        createTemp(target, temp, () -> Files.createFile(temp));
        return new AtomicTarget(abs, temp, false);
    }

    /** Prepares a temporary directory beside {@code target}. */
    static AtomicTarget directory(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
            checkReplaceableDirectory(abs);
        }
        Path parent = createParent(target, abs);
        Path temp = parent.resolve(ScratchNames.fresh(tempBase(abs)));
        createTemp(target, temp, () -> Files.createDirectory(temp));
        return new AtomicTarget(abs, temp, true);
    }

    /** The start of the names of replaced directories on their way out. */
    private static String oldBase(Path abs) {
        return "." + abs.getFileName() + ".old";
    }

    /** The start of the temporary siblings' names for {@code abs}. */
    private static String tempBase(Path abs) {
        return "." + abs.getFileName() + ".tmp";
    }

    private interface Creation {
        void create() throws IOException;
    }

    /** Creates {@code temp}, registered for deletion at exit before it exists. */
    private static void createTemp(Path target, Path temp, Creation creation) throws IOException {
        ShutdownCleanup.register(temp);
        try {
            writable(target, creation);
        } catch (IOException | RuntimeException e) {
            ShutdownCleanup.forget(temp);
            throw e;
        }
    }

    /** Runs {@code creation}, reporting a denied permission against the user's {@code target}. */
    private static void writable(Path target, Creation creation) throws IOException {
        try {
            creation.create();
        } catch (AccessDeniedException e) {
            throw new OutputRefusedException(
                    target
                            + ": permission denied (cannot create files in "
                            + target.toAbsolutePath().getParent()
                            + ")");
        }
    }

    /** Where to write the content. */
    Path temp() {
        return temp;
    }

    /** Moves the written content into place. */
    void commit() throws IOException {
        if (!directory) {
            keepMode(target, temp);
            move(temp, target, true);
        } else if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            checkReplaceableDirectory(target);
            // not registered for shutdown cleanup: between the two moves it is the only copy
            Path old = target.getParent().resolve(ScratchNames.fresh(oldBase(target)));
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
        try {
            if (!committed) {
                deleteRecursively(temp);
            }
        } finally {
            ShutdownCleanup.forget(temp);
        }
    }

    /** A file replacing {@code target} gets its mode, as an editor's save does. */
    private static void keepMode(Path target, Path temp) throws IOException {
        if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(target));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its defaults apply
        }
    }

    private static Path createParent(Path target, Path abs) throws IOException {
        Path parent = abs.getParent();
        if (parent == null) {
            throw new OutputRefusedException("cannot write to the file system root " + abs);
        }
        writable(target, () -> Files.createDirectories(parent));
        ScratchNames.removeStale(parent, tempBase(abs));
        if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
            // a killed commit left the previous model there; it has been replaced since
            ScratchNames.removeStale(parent, oldBase(abs));
        }
        return parent;
    }

    private static void checkReplaceableDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new OutputRefusedException(
                    dir
                            + " exists and is not a directory; refusing to replace it with a model directory");
        }
        Optional<Path> foreign = ExportedFiles.firstForeign(dir);
        if (foreign.isPresent()) {
            throw new OutputRefusedException(
                    dir
                            + " holds "
                            + dir.relativize(foreign.get())
                            + ", which an export does not write; refusing to replace the directory"
                            + " (empty it or choose another output)");
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
