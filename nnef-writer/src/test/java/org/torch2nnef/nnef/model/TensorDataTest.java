package org.torch2nnef.nnef.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class TensorDataTest {

    @Test
    void floatPayloadIsLittleEndianIeee() throws IOException {
        // 1.0f = 0x3F800000, -2.0f = 0xC0000000, little-endian byte order
        TensorData t = TensorData.ofFloats(new long[] {2}, 1.0f, -2.0f);
        assertArrayEquals(
                new byte[] {0, 0, (byte) 0x80, 0x3F, 0, 0, 0, (byte) 0xC0}, t.readPayload());
        assertEquals(8, t.payloadBytes());
    }

    @Test
    void longPayloadIsLittleEndianTwosComplement() throws IOException {
        TensorData t = TensorData.ofLongs(new long[] {2}, 1L, -1L);
        assertArrayEquals(
                new byte[] {1, 0, 0, 0, 0, 0, 0, 0, -1, -1, -1, -1, -1, -1, -1, -1},
                t.readPayload());
    }

    @Test
    void boolsPackMostSignificantBitFirst() throws IOException {
        boolean[] v = {true, false, true, true, false, false, false, false, true, true};
        // byte 0: items 0..7 -> 1011 0000; byte 1: items 8, 9 -> 11 then zero padding
        assertArrayEquals(
                new byte[] {(byte) 0xB0, (byte) 0xC0},
                TensorData.ofBooleans(new long[] {10}, v).readPayload());
        assertArrayEquals(
                new byte[] {1, 0, 1, 1, 0, 0, 0, 0, 1, 1},
                TensorData.ofBooleans(ItemType.BOOL8, new long[] {10}, v).readPayload());
    }

    @Test
    void chunkedEncodingCoversLargeArrays() throws IOException {
        float[] v = new float[70_001]; // more than one 64 KiB chunk, not a multiple of it
        for (int i = 0; i < v.length; i++) {
            v[i] = i * 0.5f;
        }
        float[] back = TensorValues.toFloats(TensorData.ofFloats(new long[] {v.length}, v));
        assertArrayEquals(v, back);
    }

    @Test
    void decodesEveryIntegerWidthWithItsSignedness() throws IOException {
        assertArrayEquals(
                new long[] {255, 1},
                TensorValues.toLongs(
                        TensorData.ofBytes(ItemType.UINT8, new long[] {2}, (byte) -1, (byte) 1)));
        assertArrayEquals(
                new long[] {-1, 1},
                TensorValues.toLongs(
                        TensorData.ofBytes(ItemType.INT8, new long[] {2}, (byte) -1, (byte) 1)));
        assertArrayEquals(
                new long[] {65535},
                TensorValues.toLongs(
                        TensorData.ofShorts(ItemType.UINT16, new long[] {1}, (short) -1)));
        assertArrayEquals(
                new long[] {-1},
                TensorValues.toLongs(
                        TensorData.ofShorts(ItemType.QINT16, new long[] {1}, (short) -1)));
        assertArrayEquals(
                new long[] {4294967295L},
                TensorValues.toLongs(TensorData.ofInts(ItemType.UINT32, new long[] {1}, -1)));
        assertArrayEquals(
                new long[] {-1}, TensorValues.toLongs(TensorData.ofInts(new long[] {1}, -1)));
        assertArrayEquals(
                new long[] {Long.MIN_VALUE},
                TensorValues.toLongs(
                        TensorData.ofLongs(ItemType.UINT64, new long[] {1}, Long.MIN_VALUE)));
        assertArrayEquals(
                new boolean[] {true, false, true},
                TensorValues.toBooleans(TensorData.ofBooleans(new long[] {3}, true, false, true)));
    }

    @Test
    void float16AndFloat64Decode() throws IOException {
        TensorData half =
                TensorData.ofShorts(
                        ItemType.FLOAT16, new long[] {2}, (short) 0x3C00, (short) 0xC000);
        assertArrayEquals(new float[] {1f, -2f}, TensorValues.toFloats(half));
        assertArrayEquals(
                new double[] {0.1, -3},
                TensorValues.toDoubles(TensorData.ofDoubles(new long[] {2}, 0.1, -3)));
    }

    @Test
    void rejectsMismatchedShapesTypesAndRanks() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TensorData.ofFloats(new long[] {2, 2}, 1f, 2f, 3f));
        assertTrue(e.getMessage().contains("holds 4 items but 3 float values"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TensorData.ofInts(ItemType.INT64, new long[] {1}, 1));
        assertTrue(e.getMessage().contains("INT64 cannot hold int values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TensorData.ofFloats(new long[9]));
        assertTrue(e.getMessage().contains("rank 9"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class, () -> TensorData.ofFloats(new long[] {-1}));
        assertTrue(e.getMessage().contains("extent -1"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TensorData.ofPayload(ItemType.INT32, new long[] {2}, new byte[7]));
        assertTrue(e.getMessage().contains("needs 8 payload bytes, got 7"), e.getMessage());
    }

    @Test
    void payloadSizesFollowBitsPerItem() {
        assertEquals(0, ItemType.BOOL.payloadBytes(0));
        assertEquals(1, ItemType.BOOL.payloadBytes(8));
        assertEquals(2, ItemType.BOOL.payloadBytes(9));
        assertEquals(9, ItemType.BOOL8.payloadBytes(9));
        assertEquals(18, ItemType.FLOAT16.payloadBytes(9));
        assertEquals(72, ItemType.QUINT64.payloadBytes(9));
        assertEquals(ItemType.QINT8, ItemType.INT8.quantized());
        assertEquals(ItemType.QUINT32, ItemType.UINT32.quantized());
    }
}
