package org.torch2nnef.nnef.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.torch2nnef.nnef.model.FileRegion;

class ParallelGzipOutputStreamTest {

    /**
     * Text, zeros, float weights and random bytes, each spanning several blocks, and a tail that
     * ends mid-block.
     */
    static byte[] mixedInput() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] text =
                "conv = conv(input, filter, bias, stride = [1, 1]);\n"
                        .repeat(6000)
                        .getBytes(StandardCharsets.UTF_8);
        all.writeBytes(text);
        all.writeBytes(new byte[3 * ParallelGzipOutputStream.BLOCK + 17]);
        all.writeBytes(floats(300_000, 1));
        byte[] random = new byte[2 * ParallelGzipOutputStream.BLOCK + 5];
        new Random(2).nextBytes(random);
        all.writeBytes(random);
        all.write(text, 0, 1000);
        return all.toByteArray();
    }

    /** Normal-distributed float32 values, little-endian, as trained weights look. */
    static byte[] floats(int count, long seed) {
        Random r = new Random(seed);
        ByteBuffer b = ByteBuffer.allocate(4 * count).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            b.putFloat((float) (r.nextGaussian() * 0.05));
        }
        return b.array();
    }

    static byte[] gzip(byte[] input, int level, int threads, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ParallelGzipOutputStream gz =
                new ParallelGzipOutputStream(Channels.newChannel(out), level, threads)) {
            for (int off = 0; off < input.length; off += chunk) {
                gz.write(input, off, Math.min(chunk, input.length - off));
            }
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 6, 9})
    void everyLevelReadsBackWithTheJdkAndCommonsCompress(int level) throws IOException {
        byte[] input = mixedInput();
        byte[] gz = gzip(input, level, 3, 70_001);
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            assertArrayEquals(input, in.readAllBytes(), "java.util.zip");
        }
        // one member: commons-compress without decompressConcatenated stops after the first
        try (InputStream in = new GzipCompressorInputStream(new ByteArrayInputStream(gz), false)) {
            assertArrayEquals(input, in.readAllBytes(), "commons-compress, first member only");
        }
    }

    @Test
    void bytesDependOnTheInputOnlyNotOnThreadsOrWriteSizes() throws IOException {
        byte[] input = mixedInput();
        for (int level : new int[] {1, 6}) {
            byte[] reference = gzip(input, level, 1, input.length);
            assertArrayEquals(reference, gzip(input, level, 2, 1000), "level " + level);
            assertArrayEquals(reference, gzip(input, level, 5, 131_073), "level " + level);
        }
    }

    @Test
    void trailerHoldsCrcAndSizeOfAllBytes() throws IOException {
        byte[] input = mixedInput();
        byte[] gz = gzip(input, 1, 2, 4096);
        ByteBuffer tail = ByteBuffer.wrap(gz, gz.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN);
        CRC32 crc = new CRC32();
        crc.update(input);
        assertEquals((int) crc.getValue(), tail.getInt());
        assertEquals(input.length, tail.getInt());
    }

    @Test
    void defaultLevelStoresFloatWeightsAndDeflatesTextAndZeros() throws IOException {
        byte[] weights = floats(4 * ParallelGzipOutputStream.BLOCK, 3);
        byte[] stored = gzip(weights, 1, 2, weights.length);
        assertTrue(
                stored.length >= weights.length,
                "level 1 stores float weights: " + stored.length + " of " + weights.length);
        byte[] huffman = gzip(weights, 2, 2, weights.length);
        assertTrue(
                huffman.length < weights.length * 0.95,
                "level 2 Huffman-codes them: " + huffman.length + " of " + weights.length);
        byte[] zeros = new byte[weights.length];
        assertTrue(gzip(zeros, 1, 2, zeros.length).length < zeros.length / 100, "zeros deflate");
        byte[] text =
                "external input: tensor<scalar>;\n".repeat(20_000).getBytes(StandardCharsets.UTF_8);
        assertTrue(gzip(text, 1, 2, text.length).length < text.length / 10, "text deflates");
    }

    @Test
    void blockCodingFollowsByteEntropy() {
        byte[] weights = floats(ParallelGzipOutputStream.BLOCK / 4, 4);
        byte[] random = new byte[ParallelGzipOutputStream.BLOCK];
        new Random(5).nextBytes(random);
        byte[] text = "relu(x);\n".repeat(10_000).getBytes(StandardCharsets.UTF_8);
        assertEquals(BlockCoding.STORED, BlockCoding.choose(ByteBuffer.wrap(weights), 1));
        assertEquals(BlockCoding.HUFFMAN, BlockCoding.choose(ByteBuffer.wrap(weights), 9));
        assertEquals(BlockCoding.STORED, BlockCoding.choose(ByteBuffer.wrap(random), 9));
        assertEquals(BlockCoding.DEFLATE, BlockCoding.choose(ByteBuffer.wrap(text), 1));
        assertEquals(BlockCoding.STORED, BlockCoding.choose(ByteBuffer.wrap(text), 0));
        assertEquals(
                3.0,
                BlockCoding.sampledEntropyBits(
                        ByteBuffer.wrap(new byte[] {0, 1, 2, 3, 4, 5, 6, 7})),
                1e-9);
    }

    @Test
    void fileRegionsAreReadIntoBlocks(@TempDir Path dir) throws IOException {
        byte[] input = mixedInput();
        Path file = dir.resolve("source.bin");
        Files.write(file, input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int from = 1234;
        try (FileChannel ch = FileChannel.open(file);
                ParallelGzipOutputStream gz =
                        new ParallelGzipOutputStream(Channels.newChannel(out), 1, 2)) {
            gz.write(input, 0, from);
            gz.transferFrom(new FileRegion(ch, from, input.length - from), "t");
        }
        assertArrayEquals(gzip(input, 1, 2, input.length), out.toByteArray());
        try (FileChannel ch = FileChannel.open(file);
                ParallelGzipOutputStream gz =
                        new ParallelGzipOutputStream(
                                Channels.newChannel(OutputStream.nullOutputStream()), 1, 2)) {
            IOException e =
                    assertThrows(
                            IOException.class,
                            () -> gz.transferFrom(new FileRegion(ch, 10, input.length), "t"));
            assertTrue(e.getMessage().contains("the source file ends"), e.getMessage());
            gz.abandon();
        }
    }

    @Test
    void emptyInputIsAValidGzip() throws IOException {
        byte[] gz = gzip(new byte[0], 1, 2, 1);
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            assertEquals(0, in.readAllBytes().length);
        }
    }
}
