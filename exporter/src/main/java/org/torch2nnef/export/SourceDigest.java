package org.torch2nnef.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.BooleanSupplier;

/**
 * The SHA-256 of an exported model's file (its {@code source_sha256} property), computed on a
 * daemon thread: hashing costs about as much CPU as reading the whole file (0.5 to 1 s for 500 MB
 * in a fresh JVM), so it runs while the model is parsed and translated instead of after.
 * {@link #close()} abandons an unfinished hash (e.g. when the export fails).
 */
final class SourceDigest implements AutoCloseable {
    private static final int CHUNK = 1 << 16;

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

    /** Stops an unfinished hash at its next chunk; the thread then ends. */
    @Override
    public void close() {
        abandoned = true;
    }

    /**
     * Streams a file through SHA-256.
     *
     * @param stop checked before each chunk: true ends the hash early (its result is then meaningless)
     */
    static String sha256(Path file, BooleanSupplier stop) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
        byte[] buffer = new byte[CHUNK];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; !stop.getAsBoolean() && (n = in.read(buffer)) > 0;) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
