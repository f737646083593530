package org.torch2nnef.nnef.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.nnef.model.ItemType;
import org.torch2nnef.nnef.model.TensorData;
import org.torch2nnef.nnef.model.TensorValues;

class DatFileTest {

    private static byte[] bytes(TensorData t) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DatWriter.write(t, out, "test");
        return out.toByteArray();
    }

    /** Builds the expected header the way the Khronos spec lays it out, field by field. */
    private static byte[] header(int dataLength, int[] shape, int bits, int code) {
        ByteBuffer b = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x4E).put((byte) 0xEF); // magic
        b.put((byte) 1).put((byte) 0); // version 1.0
        b.putInt(dataLength); // offset 4
        b.putInt(shape.length); // offset 8
        for (int i = 0; i < 8; i++) { // offsets 12..43
            b.putInt(i < shape.length ? shape[i] : 0);
        }
        b.putInt(bits); // offset 44
        b.putInt(code); // offset 48, vendor half 0; offsets 52..127 stay zero
        return b.array();
    }

    @Test
    void float32HeaderMatchesTheSpecByteForByte() throws IOException {
        byte[] file = bytes(TensorData.ofFloats(new long[] {2, 3}, 1, 2, 3, 4, 5, 6));
        // 6 floats = 24 bytes; rank 2; extents 2, 3; 32 bits; code 0 (float)
        byte[] expected = {
            0x4E,
            (byte) 0xEF,
            0x01,
            0x00, // magic, version 1.0
            0x18,
            0x00,
            0x00,
            0x00, // data length 24
            0x02,
            0x00,
            0x00,
            0x00, // rank 2
            0x02,
            0x00,
            0x00,
            0x00,
            0x03,
            0x00,
            0x00,
            0x00, // extents 2, 3
        };
        assertArrayEquals(expected, Arrays.copyOf(file, expected.length));
        for (int i = 20; i < 44; i++) {
            assertEquals(0, file[i], "unused extent byte " + i);
        }
        assertArrayEquals(
                new byte[] {0x20, 0, 0, 0, 0, 0, 0, 0},
                Arrays.copyOfRange(file, 44, 52)); // 32 bits, code 0
        for (int i = 52; i < 128; i++) {
            assertEquals(0, file[i], "reserved byte " + i);
        }
        assertEquals(128 + 24, file.length);
        assertArrayEquals(
                new byte[] {0, 0, (byte) 0x80, 0x3F},
                Arrays.copyOfRange(file, 128, 132)); // 1.0f LE
    }

    @Test
    void headersOfOtherTypesFollowTheSpecCodes() throws IOException {
        // bool: 10 items at 1 bit = 2 bytes, code 5
        byte[] bool = bytes(TensorData.ofBooleans(new long[] {10}, new boolean[10]));
        assertArrayEquals(header(2, new int[] {10}, 1, 5), Arrays.copyOf(bool, 128));
        // int64: code 4 (signed integer), 64 bits
        assertArrayEquals(
                header(16, new int[] {2}, 64, 4),
                Arrays.copyOf(bytes(TensorData.ofLongs(new long[] {2}, 1, 2)), 128));
        // uint8: code 1; quantized uint8: code 2; quantized int32: code 3
        assertArrayEquals(
                header(3, new int[] {3}, 8, 1),
                Arrays.copyOf(
                        bytes(TensorData.ofBytes(ItemType.UINT8, new long[] {3}, new byte[3])),
                        128));
        assertArrayEquals(
                header(3, new int[] {3}, 8, 2),
                Arrays.copyOf(
                        bytes(TensorData.ofBytes(ItemType.QUINT8, new long[] {3}, new byte[3])),
                        128));
        assertArrayEquals(
                header(4, new int[] {}, 32, 3),
                Arrays.copyOf(bytes(TensorData.ofInts(ItemType.QINT32, new long[] {}, 7)), 128));
        // float16: code 0 at 16 bits; 8-bit bool: code 5 at 8 bits
        assertArrayEquals(
                header(2, new int[] {1}, 16, 0),
                Arrays.copyOf(
                        bytes(
                                TensorData.ofShorts(
                                        ItemType.FLOAT16, new long[] {1}, (short) 0x3C00)),
                        128));
        assertArrayEquals(
                header(1, new int[] {1}, 8, 5),
                Arrays.copyOf(
                        bytes(TensorData.ofBooleans(ItemType.BOOL8, new long[] {1}, true)), 128));
    }

    @Test
    void everyItemTypeRoundTrips() throws IOException {
        for (TensorData t : SampleModels.everyItemType().tensors().values()) {
            byte[] file = bytes(t);
            TensorData back = DatReader.read(new ByteArrayInputStream(file), "test");
            assertEquals(t.itemType(), back.itemType());
            assertArrayEquals(t.shape(), back.shape());
            assertArrayEquals(t.readPayload(), back.readPayload(), t.itemType().name());
        }
    }

    @Test
    void lazyFileTensorStreamsTheSamePayload(@TempDir Path dir) throws IOException {
        TensorData t = TensorData.ofDoubles(new long[] {3}, 1.5, -2.25, 1e300);
        Path file = dir.resolve("t.dat");
        DatWriter.write(t, file);
        TensorData opened = DatReader.open(file);
        assertEquals(ItemType.FLOAT64, opened.itemType());
        assertArrayEquals(new double[] {1.5, -2.25, 1e300}, TensorValues.toDoubles(opened));
        assertArrayEquals(
                new double[] {1.5, -2.25, 1e300}, TensorValues.toDoubles(DatReader.read(file)));
    }

    @Test
    void legacySignedFlagTurnsUnsignedIntoSigned() throws IOException {
        byte[] file = bytes(TensorData.ofBytes(ItemType.UINT8, new long[] {1}, (byte) -1));
        file[52] = 1; // pre-1.0.3 writers flagged signed integers in the first reserved word
        TensorData back = DatReader.read(new ByteArrayInputStream(file), "old.dat");
        assertEquals(ItemType.INT8, back.itemType());
        assertArrayEquals(new long[] {-1}, TensorValues.toLongs(back));
    }

    @Test
    void badFilesAreRefusedWithTheirName() throws IOException {
        byte[] good = bytes(TensorData.ofFloats(new long[] {2}, 1, 2));
        assertMessage(patched(good, 1, 0), "w.dat: not an NNEF tensor file (magic 4e 00");
        assertMessage(patched(good, 2, 2), "unsupported .dat version 2.0");
        assertMessage(patched(good, 8, 9), "rank 9 exceeds");
        assertMessage(
                patched(good, 4, 9), "data length 9 does not match shape [2] of FLOAT32 (8 bytes)");
        assertMessage(patched(patched(good, 50, 'R'), 51, 'T'), "tract vendor item type");
        assertMessage(patched(good, 44, 24), "unsupported item type code 0 with 24 bits");
        assertMessage(Arrays.copyOf(good, 100), "truncated header, got 100 of 128 bytes");
        assertMessage(Arrays.copyOf(good, 132), "truncated payload, got 4 of 8 bytes");
    }

    @Test
    void aShortStreamAnnouncingGigabytesFailsBeforeAllocatingThem() {
        // 128 header bytes announcing almost 2^29 floats (2 GiB, the most read() takes) and no
        // payload, read with the module's 64 MB test heap: allocating what the header says would
        // end in an OutOfMemoryError
        long floats = (1L << 29) - 4;
        byte[] header = header((int) (floats * 4), new int[] {(int) floats}, 32, 0);
        long start = System.nanoTime();
        assertMessage(
                header,
                "w.dat: truncated payload, got 0 of " + floats * 4 + " bytes the header announces");
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "fails fast");
    }

    @Test
    void openChecksTheFileSize(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("x.dat");
        byte[] good = bytes(TensorData.ofFloats(new long[] {2}, 1, 2));
        Files.write(file, Arrays.copyOf(good, good.length + 1));
        NnefFormatException e = assertThrows(NnefFormatException.class, () -> DatReader.open(file));
        assertTrue(
                e.getMessage().contains("file has 137 bytes, header announces 136"),
                e.getMessage());
    }

    @Test
    void payloadOfTheWrongLengthIsAnError() {
        TensorData shortOne =
                TensorData.lazy(ItemType.FLOAT32, new long[] {4}, out -> out.write(new byte[12]));
        IOException e = assertThrows(IOException.class, () -> bytes(shortOne));
        assertTrue(
                e.getMessage()
                        .contains(
                                "test: tensor payload has 12 bytes, but its item type and shape announce 16"),
                e.getMessage());
        TensorData longOne =
                TensorData.lazy(ItemType.FLOAT32, new long[] {1}, out -> out.write(new byte[5]));
        e = assertThrows(IOException.class, () -> bytes(longOne));
        assertTrue(e.getMessage().contains("longer than the 4 bytes"), e.getMessage());
    }

    private static byte[] patched(byte[] file, int offset, int value) {
        byte[] copy = file.clone();
        copy[offset] = (byte) value;
        return copy;
    }

    private static void assertMessage(byte[] file, String expected) {
        NnefFormatException e =
                assertThrows(
                        NnefFormatException.class,
                        () -> DatReader.read(new ByteArrayInputStream(file), "w.dat"));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
