package org.torch2nnef.export;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
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
 * daemon thread: hashing costs more than reading the whole file (0.5 to 1 s of CPU for 500 MB in a
 * fresh JVM), so it runs while the model is parsed, translated and written instead of before
 * writing (an unfinished digest is printed as {@link #PENDING} and written last). {@link #close()}
 * abandons an unfinished hash (e.g. when the export fails).
 */
final class SourceDigest implements AutoCloseable {
    private static final int CHUNK = 1 << 20;

    /**
     * What a digest still being computed is printed as: as long as the hex digest, never one (not
     * hex).
     */
    static final String PENDING =
            String.format("%-64s", "torch2nnef:source_sha256:pending").replace(' ', '-');

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
            throw new IllegalStateException(
                    "the digest of " + file + " was abandoned before it was read", e);
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

    /**
     * @return whether the hash is finished (or failed): {@link #get()} will not wait
     */
    boolean isDone() {
        return task.isDone();
    }

    /** Stops an unfinished hash at its next chunk; the thread then ends. */
    @Override
    public void close() {
        abandoned = true;
    }

    /**
     * Streams a file through SHA-256, a chunk at a time through one direct buffer (mapping the file
     * was no faster and made the whole file count in the process's resident memory).
     *
     * @param stop checked before each chunk: true ends the hash early (its result is then
     *     meaningless)
     * @throws IOException if the file cannot be read, or ends before the size it had when hashing
     *     began
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
            long hashed = 0;
            ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
            while (!stop.getAsBoolean()) {
                int n = channel.read(chunk);
                if (n < 0) {
                    if (hashed < size) {
                        throw new IOException(
                                file
                                        + " became shorter while it was hashed (changed during the export?)");
                    }
                    break;
                }
                chunk.flip();
                digest.update(chunk);
                chunk.clear();
                hashed += n;
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
