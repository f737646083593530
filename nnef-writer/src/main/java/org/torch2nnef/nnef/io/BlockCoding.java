package org.torch2nnef.nnef.io;

import java.util.Arrays;
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

    private static final int MAX_STORED = 65535;
    private static final int DICTIONARY = 32 * 1024;

    // one Deflater per thread and kind, reset between blocks: creating one allocates native state
    private static final ThreadLocal<Deflater[]> DEFLATERS =
            ThreadLocal.withInitial(() -> new Deflater[10 + 1]);

    /** The coding of {@code data[0, length)} at {@code level} (0..9). */
    static BlockCoding choose(byte[] data, int length, int level) {
        if (level == 0) {
            return STORED;
        }
        double bits = entropyBits(data, length);
        if (bits > RANDOM_BITS || (bits > DENSE_BITS && level == 1)) {
            return STORED;
        }
        return bits > DENSE_BITS ? HUFFMAN : DEFLATE;
    }

    /** Order-0 entropy of the bytes in bits per byte (0 for no bytes). */
    static double entropyBits(byte[] data, int length) {
        // four tables: successive bytes that are equal do not wait on each other's increment
        int[] c0 = new int[256];
        int[] c1 = new int[256];
        int[] c2 = new int[256];
        int[] c3 = new int[256];
        int i = 0;
        for (; i + 4 <= length; i += 4) {
            c0[data[i] & 0xff]++;
            c1[data[i + 1] & 0xff]++;
            c2[data[i + 2] & 0xff]++;
            c3[data[i + 3] & 0xff]++;
        }
        for (; i < length; i++) {
            c0[data[i] & 0xff]++;
        }
        double bits = 0;
        for (int b = 0; b < 256; b++) {
            int n = c0[b] + c1[b] + c2[b] + c3[b];
            if (n > 0) {
                double p = (double) n / length;
                bits -= p * Math.log(p);
            }
        }
        return bits / Math.log(2);
    }

    /**
     * The raw deflate bytes of {@code data[0, length)} as the continuation of a stream whose last
     * 32 KiB of input are the end of {@code dictionary} (null for the first block): not final,
     * ending on a byte boundary.
     */
    static byte[] code(byte[] data, int length, byte[] dictionary, int level) {
        BlockCoding coding = choose(data, length, level);
        return coding == STORED
                ? stored(data, length)
                : coding.deflate(data, length, dictionary, level);
    }

    private static byte[] stored(byte[] data, int length) {
        int blocks = Math.max(1, (length + MAX_STORED - 1) / MAX_STORED);
        byte[] out = new byte[length + 5 * blocks];
        int in = 0;
        int at = 0;
        for (int k = 0; k < blocks; k++) {
            int n = Math.min(MAX_STORED, length - in);
            out[at] = 0; // BFINAL 0, BTYPE 00; the previous block ended byte-aligned
            out[at + 1] = (byte) n;
            out[at + 2] = (byte) (n >>> 8);
            out[at + 3] = (byte) ~n;
            out[at + 4] = (byte) (~n >>> 8);
            System.arraycopy(data, in, out, at + 5, n);
            at += 5 + n;
            in += n;
        }
        return out;
    }

    private byte[] deflate(byte[] data, int length, byte[] dictionary, int level) {
        Deflater[] mine = DEFLATERS.get();
        int slot = this == HUFFMAN ? 0 : level;
        Deflater d = mine[slot];
        if (d == null) {
            d = new Deflater(this == HUFFMAN ? Deflater.BEST_SPEED : level, true);
            if (this == HUFFMAN) {
                d.setStrategy(Deflater.HUFFMAN_ONLY);
            }
            mine[slot] = d;
        } else {
            d.reset();
        }
        if (dictionary != null && this == DEFLATE) {
            d.setDictionary(dictionary, dictionary.length - DICTIONARY, DICTIONARY);
        }
        d.setInput(data, 0, length);
        // deflate's worst case is a few bytes per 16 KiB over the input
        byte[] out = new byte[length + length / 1000 + 64];
        int n = 0;
        while (true) {
            n += d.deflate(out, n, out.length - n, Deflater.SYNC_FLUSH);
            if (n == out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            } else if (d.needsInput()) {
                // all input taken, and a sync flush that did not fill the buffer emitted it all;
                // (a first call after setStrategy only applies it, taking no input)
                break;
            }
        }
        return Arrays.copyOf(out, n);
    }
}
