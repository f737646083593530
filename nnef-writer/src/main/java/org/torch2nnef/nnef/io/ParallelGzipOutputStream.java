package org.torch2nnef.nnef.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import org.torch2nnef.nnef.model.FileRegion;

/**
 * One standard gzip member (RFC 1952) whose deflate stream is made pigz-style: the input is cut
 * into fixed {@link #BLOCK}-byte blocks, each coded on its own by a pool of threads (its own {@code
 * Deflater}, primed with the previous 32 KiB as dictionary, ended by a sync flush so that blocks
 * concatenate), and written in order with one CRC-32 and size over all bytes. Any gzip reader reads
 * it as an ordinary single-member stream.
 *
 * <p>The bytes depend only on the input and the level, never on the number of threads or on how the
 * input was split into writes: block boundaries are fixed offsets and each block's coding ({@link
 * BlockCoding}) is a function of its bytes. Memory is bounded: at most {@code 2 x threads + 1}
 * blocks are in flight.
 *
 * <p>Not thread-safe; the caller must {@link #close()} (or {@link #finish()}) it.
 */
final class ParallelGzipOutputStream extends OutputStream implements WritableByteChannel {
    /** Uncompressed bytes per independently coded block. */
    static final int BLOCK = 128 * 1024;

    private static final byte[] HEADER = {
        0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 255 // no name, mtime 0, OS unknown
    };
    // an empty stored block with BFINAL set: ends the deflate stream after the last sync flush
    private static final byte[] LAST_BLOCK = {1, 0, 0, (byte) 0xff, (byte) 0xff};

    private final OutputStream out;
    private final int level;
    private final ExecutorService pool;
    private final int maxInFlight;
    private final ArrayDeque<Future<byte[]>> inFlight = new ArrayDeque<>();
    private final CRC32 crc = new CRC32();
    private final byte[] one = new byte[1];
    private byte[] block = new byte[BLOCK];
    private int filled;
    private byte[] previous;
    private long size;
    private boolean finished;
    private boolean open = true;

    /**
     * @param out where the gzip bytes go (not closed by this stream)
     * @param level 0 (stored) to 9, as {@link BlockCoding#choose} uses it
     * @param threads how many blocks are coded at once
     */
    ParallelGzipOutputStream(OutputStream out, int level, int threads) throws IOException {
        this.out = out;
        this.level = level;
        this.maxInFlight = 2 * threads + 1;
        this.pool =
                Executors.newFixedThreadPool(
                        threads,
                        r -> {
                            Thread t = new Thread(r, "torch2nnef-deflate");
                            t.setDaemon(true);
                            return t;
                        });
        out.write(HEADER);
    }

    /** As many threads as the JVM sees processors. */
    ParallelGzipOutputStream(OutputStream out, int level) throws IOException {
        this(out, level, Runtime.getRuntime().availableProcessors());
    }

    @Override
    public void write(int b) throws IOException {
        one[0] = (byte) b;
        write(one, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        checkOpen();
        while (len > 0) {
            int n = Math.min(len, BLOCK - filled);
            System.arraycopy(b, off, block, filled, n);
            filled += n;
            off += n;
            len -= n;
            submitIfFull();
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        checkOpen();
        int total = src.remaining();
        while (src.hasRemaining()) {
            int n = Math.min(src.remaining(), BLOCK - filled);
            src.get(block, filled, n);
            filled += n;
            submitIfFull();
        }
        return total;
    }

    /**
     * Appends {@code region} read straight into the blocks (large positional reads, no intermediate
     * buffer); {@code target} names the output in errors.
     */
    void transferFrom(FileRegion region, String target) throws IOException {
        checkOpen();
        FileChannel source = region.channel();
        long done = 0;
        while (done < region.length()) {
            int n = (int) Math.min(region.length() - done, BLOCK - filled);
            ByteBuffer into = ByteBuffer.wrap(block, filled, n);
            while (into.hasRemaining()) {
                int read = source.read(into, region.position() + done + into.position() - filled);
                if (read < 0) {
                    throw new IOException(
                            target
                                    + ": the source file ends at byte "
                                    + source.size()
                                    + ", before the "
                                    + region.length()
                                    + " payload bytes from "
                                    + region.position());
                }
            }
            filled += n;
            done += n;
            submitIfFull();
        }
    }

    private void submitIfFull() throws IOException {
        if (filled == BLOCK) {
            submit();
        }
    }

    private void submit() throws IOException {
        byte[] data = block;
        int length = filled;
        byte[] dictionary = previous;
        crc.update(data, 0, length);
        size += length;
        inFlight.add(pool.submit(() -> BlockCoding.code(data, length, dictionary, level)));
        previous = data;
        block = new byte[BLOCK]; // the submitted one is read by its coder and the next block's
        filled = 0;
        while (inFlight.size() >= maxInFlight) {
            writeOldest();
        }
    }

    private void writeOldest() throws IOException {
        Future<byte[]> oldest = inFlight.poll();
        try {
            out.write(oldest.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException("compressing failed: " + cause, cause);
        }
    }

    /**
     * Codes what is left, ends the deflate stream and writes the gzip trailer; {@code out} stays
     * open.
     */
    void finish() throws IOException {
        checkOpen();
        if (filled > 0) {
            submit();
        }
        while (!inFlight.isEmpty()) {
            writeOldest();
        }
        byte[] trailer = new byte[LAST_BLOCK.length + 8];
        System.arraycopy(LAST_BLOCK, 0, trailer, 0, LAST_BLOCK.length);
        putIntLe(trailer, LAST_BLOCK.length, (int) crc.getValue());
        putIntLe(trailer, LAST_BLOCK.length + 4, (int) size); // ISIZE: the size modulo 2^32
        out.write(trailer);
        out.flush();
        finished = true;
        pool.shutdown();
    }

    private static void putIntLe(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    private void checkOpen() throws IOException {
        if (finished || !open) {
            throw new IOException("gzip stream already finished");
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Finishes the stream unless that was done; a failed stream is only abandoned. */
    @Override
    public void close() throws IOException {
        if (!open) {
            return;
        }
        try {
            if (!finished) {
                finish();
            }
        } finally {
            open = false;
            pool.shutdownNow();
        }
    }

    /** Stops the coders without writing the rest: for a write that failed. */
    void abandon() {
        open = false;
        pool.shutdownNow();
    }
}
