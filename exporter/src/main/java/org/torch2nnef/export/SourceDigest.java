package org.torch2nnef.export;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.BooleanSupplier;

/**
 * The SHA-256 of an exported model's file (its {@code source_sha256} property), computed on a
 * daemon thread: hashing costs more than reading the whole file (0.5 to 1 s of CPU for 500 MB in
 * a fresh JVM), so it runs while the model is parsed, translated and written instead of before
 * writing (an unfinished digest is printed as {@link #PENDING} and written last).
 * {@link #close()} abandons an unfinished hash (e.g. when the export fails).
 */
final class SourceDigest implements AutoCloseable {
    private static final long WINDOW = 16L << 20;

    /** What a digest still being computed is printed as: as long as the hex digest, never one (not hex). */
    static final String PENDING = String.format("%-64s", "torch2nnef:source_sha256:pending").replace(' ', '-');

    private final Path file;
    private final FutureTask<String> task;
    private volatile boolean abandoned;

    private SourceDigest(Path file) {
        this.file = file;
        this.task = new FutureTask<>(() -> sha256(file, () -> abandoned));
    }

    /** Starts hashing {@code file} on a new daemon thread. */
    static SourceDigest start(Path file) {
        SourceDigest digest = new SourceDigest(file);
        Thread thread = new Thread(digest.task, "torch2nnef-source-digest");
        thread.setDaemon(true);
        thread.start();
        return digest;
    }

    /**
     * Waits for the hash.
     *
     * @return the lower-case hex SHA-256 of the file
     * @throws IOException if the file could not be read
     */
    String get() throws IOException {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing " + file);
        } catch (CancellationException e) {
            throw new IllegalStateException("the digest of " + file + " was abandoned before it was read", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** @return whether the hash is finished (or failed): {@link #get()} will not wait */
    boolean isDone() {
        return task.isDone();
    }

    /** Stops an unfinished hash at its next chunk; the thread then ends. */
    @Override
    public void close() {
        abandoned = true;
    }

    /**
     * Hashes a file through SHA-256, reading it mapped (a 500 MB file costs about a fifth less CPU
     * than through read() into a buffer), a window at a time.
     *
     * @param stop checked before each window is hashed: true ends the hash early (its result is then meaningless)
     * @throws IOException if the file cannot be read, or shrinks while it is hashed
     */
    static String sha256(Path file, BooleanSupplier stop) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            for (long at = 0; at < size; at += WINDOW) {
                long length = Math.min(WINDOW, size - at);
                if (channel.size() < at + length) {
                    throw shrunk(file, null);
                }
                MappedByteBuffer window = channel.map(FileChannel.MapMode.READ_ONLY, at, length);
                if (stop.getAsBoolean()) {
                    break;
                }
                digest.update(window);
            }
        } catch (InternalError e) {
            // how the JVM reports reading a mapped page that the file no longer has
            throw shrunk(file, e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static IOException shrunk(Path file, Throwable cause) {
        return new IOException(file + " became shorter while it was hashed (changed during the export?)", cause);
    }
}
