package org.torch2nnef.nnef.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.torch2nnef.nnef.model.FileRegion;

/**
 * One standard gzip member (RFC 1952) whose deflate stream is made pigz-style: the input is cut
 * into fixed {@link #BLOCK}-byte blocks, each coded on its own ({@link BlockCoding}: stored blocks
 * on the writing thread, deflated ones by a pool of threads, each with its own {@code Deflater},
 * primed with the previous block as dictionary, ended by a sync flush so that blocks concatenate),
 * and written in order with one CRC-32 and size over all bytes. Any gzip reader reads it as an
 * ordinary single-member stream.
 *
 * <p>The bytes depend only on the input and the level, never on the number of threads or on how the
 * input was split into writes: block boundaries are fixed offsets and each block's coding ({@link
 * BlockCoding}) is a function of its bytes. Blocks are pooled direct buffers (about {@code 2 x
 * threads + 3} of them): tensor bytes are read into them from the source file and stored blocks are
 * written from them, with no copy through the Java heap.
 *
 * <p>Not thread-safe; the caller must {@link #finish()} it (or {@link #abandon()} it on failure).
 */
final class ParallelGzipOutputStream extends OutputStream implements WritableByteChannel {
    /** Uncompressed bytes per independently coded block. */
    static final int BLOCK = 128 * 1024;

    private static final byte[] HEADER = {
        0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 255 // no name, mtime 0, OS unknown
    };
    // an empty stored block with BFINAL set: ends the deflate stream after the last sync flush
    private static final byte[] LAST_BLOCK = {1, 0, 0, (byte) 0xff, (byte) 0xff};

    /**
     * A block, and for one handed to a coder, where it codes it and whether it did (both null for a
     * block stored as it is).
     */
    private record Pending(ByteBuffer input, ByteBuffer output, Future<Boolean> deflated) {}

    private final WritableByteChannel out;
    private final BlockCoding.Deflaters deflaters;
    private final ExecutorService pool;
    private final int maxInFlight;
    private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
    private final ArrayDeque<ByteBuffer> freeBlocks = new ArrayDeque<>();
    private final ArrayDeque<ByteBuffer> freeOutputs = new ArrayDeque<>();
    private final CRC32 crc = new CRC32();
    private final byte[] one = new byte[1];
    private ByteBuffer block;
    private ByteBuffer previous;
    private ByteBuffer lastWritten;
    private long size;
    private boolean open = true;

    /**
     * @param out where the gzip bytes go (not closed by this stream)
     * @param level 0 (stored) to 9, as {@link BlockCoding#choose} uses it
     * @param threads how many blocks are coded at once
     */
    ParallelGzipOutputStream(WritableByteChannel out, int level, int threads) throws IOException {
        this.out = out;
        this.deflaters = new BlockCoding.Deflaters(level);
        this.maxInFlight = 2 * threads + 1;
        this.pool =
                Executors.newFixedThreadPool(
                        threads,
                        r -> {
                            Thread t = new Thread(r, "torch2nnef-deflate");
                            t.setDaemon(true);
                            return t;
                        });
        this.block = newBlock();
        writeFully(ByteBuffer.wrap(HEADER));
    }

    /** As many threads as the JVM sees processors. */
    ParallelGzipOutputStream(WritableByteChannel out, int level) throws IOException {
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
            int n = Math.min(len, block.remaining());
            block.put(b, off, n);
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
            int n = Math.min(src.remaining(), block.remaining());
            block.put(block.position(), src, src.position(), n);
            block.position(block.position() + n);
            src.position(src.position() + n);
            submitIfFull();
        }
        return total;
    }

    /**
     * Appends {@code region}, read straight into the blocks by positional reads; {@code target}
     * names the output in errors.
     */
    void transferFrom(FileRegion region, String target) throws IOException {
        checkOpen();
        FileChannel source = region.channel();
        long at = region.position();
        long end = at + region.length();
        while (at < end) {
            int limit = block.limit();
            block.limit(block.position() + (int) Math.min(end - at, block.remaining()));
            try {
                while (block.hasRemaining()) {
                    int read = source.read(block, at);
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
                    at += read;
                }
            } finally {
                block.limit(limit);
            }
            submitIfFull();
        }
    }

    private void submitIfFull() throws IOException {
        if (!block.hasRemaining()) {
            submit();
        }
    }

    private void submit() throws IOException {
        ByteBuffer data = block.flip();
        ByteBuffer dictionary = previous;
        crc.update(data.duplicate());
        size += data.remaining();
        // stored blocks (float weights at the default level) are decided here: a coder thread
        // would only hand them back, and the hand-over cost more than the decision
        BlockCoding coding = deflaters.choose(data.duplicate());
        if (coding == BlockCoding.STORED) {
            inFlight.add(new Pending(data, null, null));
        } else {
            ByteBuffer output =
                    freeOutputs.isEmpty() ? BlockCoding.newOutput(BLOCK) : freeOutputs.poll();
            output.clear();
            Future<Boolean> task =
                    pool.submit(() -> coding.code(data.duplicate(), dictionary, deflaters, output));
            inFlight.add(new Pending(data, output, task));
        }
        previous = data;
        while (inFlight.size() >= maxInFlight) {
            writeOldest();
        }
        block = freeBlocks.isEmpty() ? newBlock() : freeBlocks.poll().clear();
    }

    private static ByteBuffer newBlock() {
        return ByteBuffer.allocateDirect(BLOCK);
    }

    private void writeOldest() throws IOException {
        Pending oldest = inFlight.poll();
        boolean deflated = oldest.deflated() != null && outcome(oldest.deflated());
        if (deflated) {
            writeFully(oldest.output().flip());
        } else {
            writeStored(oldest.input().duplicate());
        }
        if (oldest.output() != null) {
            freeOutputs.add(oldest.output());
        }
        // the block written before this one served as this one's dictionary: free now
        if (lastWritten != null) {
            freeBlocks.add(lastWritten);
        }
        lastWritten = oldest.input();
    }

    private static boolean outcome(Future<Boolean> task) throws IOException {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException("compressing failed: " + cause, cause);
        }
    }

    /** The block as deflate stored blocks: per 65535 bytes, a 5-byte header then the bytes. */
    private void writeStored(ByteBuffer data) throws IOException {
        int chunks =
                Math.max(
                        1,
                        (data.remaining() + BlockCoding.MAX_STORED - 1) / BlockCoding.MAX_STORED);
        ByteBuffer[] parts = new ByteBuffer[2 * chunks];
        for (int k = 0; k < chunks; k++) {
            int n = Math.min(BlockCoding.MAX_STORED, data.remaining());
            parts[2 * k] = ByteBuffer.wrap(BlockCoding.storedHeader(n));
            parts[2 * k + 1] = data.slice(data.position(), n);
            data.position(data.position() + n);
        }
        if (out instanceof GatheringByteChannel gathering) {
            long left = 0;
            for (ByteBuffer p : parts) {
                left += p.remaining();
            }
            while (left > 0) {
                left -= gathering.write(parts);
            }
        } else {
            for (ByteBuffer p : parts) {
                writeFully(p);
            }
        }
    }

    private void writeFully(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }

    /**
     * Codes what is left, ends the deflate stream and writes the gzip trailer; {@code out} stays
     * open.
     */
    void finish() throws IOException {
        checkOpen();
        if (block.position() > 0) {
            submit();
        }
        while (!inFlight.isEmpty()) {
            writeOldest();
        }
        ByteBuffer trailer = ByteBuffer.allocate(LAST_BLOCK.length + 8);
        trailer.put(LAST_BLOCK);
        trailer.order(ByteOrder.LITTLE_ENDIAN);
        trailer.putInt((int) crc.getValue());
        trailer.putInt((int) size); // ISIZE: the size modulo 2^32
        writeFully(trailer.flip());
        abandon();
    }

    private void checkOpen() throws IOException {
        if (!open) {
            throw new IOException("gzip stream already finished");
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Finishes the stream unless that was done. */
    @Override
    public void close() throws IOException {
        if (open) {
            finish();
        }
    }

    /** Stops the coders without writing the rest: for a write that failed. */
    void abandon() {
        open = false;
        pool.shutdownNow();
        try {
            // the Deflaters' native memory is freed once no coder can use them
            if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
                deflaters.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
