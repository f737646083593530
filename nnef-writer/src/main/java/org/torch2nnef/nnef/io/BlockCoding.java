package org.torch2nnef.nnef.io;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.zip.Deflater;

/**
 * How one block of a {@link ParallelGzipOutputStream} is coded, chosen from its bytes and the
 * compression level, and the coding itself (raw deflate ending byte-aligned, so that blocks
 * concatenate).
 *
 * <p>Float weights hardly compress: their byte entropy is about 7.4 bits, and deflate saves 7 to 8%
 * on them at any level while LZ77 match search costs 3 to 4 times more than the Huffman coding that
 * earns the saving. So the block's byte entropy (order 0, which is what Huffman coding can reach)
 * decides:
 *
 * <ul>
 *   <li>{@link #STORED} at level 0, for near-random blocks (over {@value #RANDOM_BITS} bits a byte)
 *       at any level, and for blocks Huffman coding would shrink by less than 10% (over {@value
 *       #DENSE_BITS} bits a byte) at level 1, the default: {@code .nnef.tgz} then writes float
 *       weights at the speed of the disk;
 *   <li>{@link #HUFFMAN} for those dense blocks at levels 2 to 9: the saving of a full deflate at a
 *       third of its cost;
 *   <li>{@link #DEFLATE} at the level otherwise (text, zeros, small integers).
 * </ul>
 */
enum BlockCoding {
    /** Deflate stored blocks: the bytes as they are, 5 bytes of framing per 65535. */
    STORED,
    /** Deflate without string matching (strategy {@code HUFFMAN_ONLY}). */
    HUFFMAN,
    /** Deflate at the level. */
    DEFLATE;

    /** Bits per byte above which Huffman coding saves less than 10%. */
    static final double DENSE_BITS = 7.2;

    /** Bits per byte above which nothing is worth coding. */
    static final double RANDOM_BITS = 7.9;

    /** The most bytes one deflate stored block holds. */
    static final int MAX_STORED = 65535;

    private static final int DICTIONARY = 32 * 1024;
    // entropy is estimated on this many evenly spaced slices of this many bytes of a block
    private static final int SAMPLES = 8;
    private static final int SAMPLE = 2048;

    /**
     * The Deflaters of one stream, reused between its blocks (creating one allocates native state)
     * and ended with it: one per coding thread and kind at most.
     */
    static final class Deflaters implements AutoCloseable {
        private final int level;
        private final ConcurrentLinkedQueue<Deflater> huffman = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<Deflater> deflate = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<Deflater> all = new ConcurrentLinkedQueue<>();

        Deflaters(int level) {
            this.level = level;
        }

        /** The coding of {@code data}'s remaining bytes at this stream's level. */
        BlockCoding choose(ByteBuffer data) {
            return BlockCoding.choose(data, level);
        }

        private Deflater take(BlockCoding coding) {
            Deflater d = (coding == HUFFMAN ? huffman : deflate).poll();
            if (d != null) {
                d.reset();
                return d;
            }
            d = new Deflater(coding == HUFFMAN ? Deflater.BEST_SPEED : level, true);
            if (coding == HUFFMAN) {
                d.setStrategy(Deflater.HUFFMAN_ONLY);
            }
            all.add(d);
            return d;
        }

        private void give(BlockCoding coding, Deflater d) {
            (coding == HUFFMAN ? huffman : deflate).add(d);
        }

        /** Frees every Deflater's native memory; call once no block is being coded. */
        @Override
        public void close() {
            all.forEach(Deflater::end);
        }
    }

    /** The coding of {@code data}'s remaining bytes at {@code level} (0..9). */
    static BlockCoding choose(ByteBuffer data, int level) {
        if (level == 0) {
            return STORED;
        }
        double bits = sampledEntropyBits(data);
        if (bits > RANDOM_BITS || (bits > DENSE_BITS && level == 1)) {
            return STORED;
        }
        return bits > DENSE_BITS ? HUFFMAN : DEFLATE;
    }

    /** Order-0 entropy in bits per byte of {@code data}'s remaining bytes, on a fixed sample. */
    static double sampledEntropyBits(ByteBuffer data) {
        int from = data.position();
        int length = data.remaining();
        int[] counts = new int[256];
        int total = 0;
        if (length <= SAMPLES * SAMPLE) {
            total = count(data, from, length, counts);
        } else {
            for (int k = 0; k < SAMPLES; k++) {
                long at = from + (long) k * (length - SAMPLE) / (SAMPLES - 1);
                total += count(data, (int) at, SAMPLE, counts);
            }
        }
        double bits = 0;
        for (int n : counts) {
            if (n > 0) {
                double p = (double) n / total;
                bits -= p * Math.log(p);
            }
        }
        return total == 0 ? 0 : bits / Math.log(2);
    }

    // the slice is copied out in bulk first: get(i) on a direct buffer is a chain of checked calls,
    // and until C2 compiles it (most of a 100 MB export) it was the main cost of the sampling
    private static int count(ByteBuffer data, int from, int length, int[] counts) {
        byte[] slice = new byte[Math.min(length, SAMPLE)];
        for (int done = 0; done < length; done += slice.length) {
            int n = Math.min(slice.length, length - done);
            data.get(from + done, slice, 0, n);
            for (int i = 0; i < n; i++) {
                counts[slice[i] & 0xff]++;
            }
        }
        return length;
    }

    /** A buffer for {@link #code}'s output. */
    static ByteBuffer newOutput(int blockSize) {
        return ByteBuffer.allocateDirect(blockSize);
    }

    /**
     * Codes {@code data}'s remaining bytes with this coding (not {@link #STORED}, which needs no
     * coding) at the level of {@code deflaters}, the continuation of a stream whose previous input
     * ends with {@code dictionary}'s last 32 KiB (null for the first block), as raw deflate that is
     * not final and ends on a byte boundary.
     *
     * @return true when the coded bytes are in {@code output} (from 0 to its position), false when
     *     the block is to be stored as it is (see {@link #storedHeader}); a block whose deflate
     *     output would not fit in {@code output} is stored
     */
    boolean code(ByteBuffer data, ByteBuffer dictionary, Deflaters deflaters, ByteBuffer output) {
        if (this == STORED) {
            throw new IllegalStateException("a stored block is not coded");
        }
        Deflater d = deflaters.take(this);
        try {
            return deflate(d, data, dictionary, output);
        } finally {
            deflaters.give(this, d);
        }
    }

    /** Header of a non-final stored block of {@code n} bytes, after a byte-aligned block. */
    static byte[] storedHeader(int n) {
        return new byte[] {0, (byte) n, (byte) (n >>> 8), (byte) ~n, (byte) (~n >>> 8)};
    }

    private boolean deflate(Deflater d, ByteBuffer data, ByteBuffer dictionary, ByteBuffer output) {
        if (dictionary != null && this == DEFLATE) {
            d.setDictionary(dictionary.slice(dictionary.limit() - DICTIONARY, DICTIONARY));
        }
        d.setInput(data);
        while (true) {
            d.deflate(output, Deflater.SYNC_FLUSH);
            if (!output.hasRemaining()) {
                return false; // no smaller than the block: stored
            }
            if (d.needsInput()) {
                // all input taken, and a sync flush that did not fill the buffer emitted it all
                // (a first call after setStrategy only applies it, taking no input)
                return true;
            }
        }
    }
}
