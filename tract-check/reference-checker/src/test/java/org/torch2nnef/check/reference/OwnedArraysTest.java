package org.torch2nnef.check.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.torch2nnef.check.torch.OwnedArrays;

/** Arrays made from Java data: values, types, shapes, and memory that outlives the Java side. */
class OwnedArraysTest extends ManagedTest {
    @Test
    void eachKindOfJavaDataKeepsItsValuesTypeAndShape() {
        NDArray longs =
                OwnedArrays.of(
                        manager,
                        new long[] {Long.MIN_VALUE, 0, 7, Long.MAX_VALUE},
                        new Shape(2, 2));
        assertEquals(DataType.INT64, longs.getDataType());
        assertEquals(new Shape(2, 2), longs.getShape());
        assertArrayEquals(new long[] {Long.MIN_VALUE, 0, 7, Long.MAX_VALUE}, longs.toLongArray());

        NDArray doubles = OwnedArrays.of(manager, new double[] {0.1, -2.5e300}, new Shape(2));
        assertEquals(DataType.FLOAT64, doubles.getDataType());
        assertArrayEquals(new double[] {0.1, -2.5e300}, doubles.toDoubleArray());

        NDArray floats = OwnedArrays.of(manager, new float[] {1.5f}, new Shape());
        assertEquals(DataType.FLOAT32, floats.getDataType());
        assertEquals(new Shape(), floats.getShape());
        assertArrayEquals(new float[] {1.5f}, floats.toFloatArray());

        NDArray bools = OwnedArrays.of(manager, new boolean[] {true, false, true}, new Shape(3, 1));
        assertEquals(DataType.BOOLEAN, bools.getDataType());
        assertArrayEquals(new boolean[] {true, false, true}, bools.toBooleanArray());

        // int32 -3 and 258 as little-endian bytes, by hand
        ByteBuffer bytes =
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(-3).putInt(258).flip();
        NDArray ints = OwnedArrays.of(manager, bytes, new Shape(2), DataType.INT32);
        assertArrayEquals(new int[] {-3, 258}, ints.toIntArray());
        assertEquals(0, bytes.position(), "the caller's buffer is not consumed");

        NDArray empty = OwnedArrays.of(manager, new float[0], new Shape(0, 3));
        assertEquals(new Shape(0, 3), empty.getShape());
    }

    /**
     * The bug this class exists for: a view read after its source array was closed and collected.
     */
    @Test
    void viewsKeepTheMemoryAliveAfterTheArrayIsClosed() {
        float[] values = new float[32];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.25f;
        }
        NDArray source = OwnedArrays.of(manager, values, new Shape(4, 8));
        NDArray view = source.reshape(new Shape(1, 32));
        source.close();
        DirectMemory.collect();
        assertArrayEquals(values, view.toFloatArray());
    }

    @Test
    void shortOrLongDataIsAnErrorAndLeavesNoArray() {
        int before = manager.getManagedArrays().size();
        IllegalStateException shortData =
                assertThrows(
                        IllegalStateException.class,
                        () -> OwnedArrays.of(manager, new long[] {1, 2}, new Shape(3)));
        assertTrue(
                shortData.getMessage().contains("16 bytes, expected 24"), shortData.getMessage());
        assertThrows(
                BufferOverflowException.class,
                () -> OwnedArrays.of(manager, new float[] {1, 2, 3}, new Shape(2)));
        IOException failure = new IOException("disk gone");
        IOException thrown =
                assertThrows(
                        IOException.class,
                        () ->
                                OwnedArrays.fill(
                                        manager,
                                        new Shape(2),
                                        DataType.INT8,
                                        target -> {
                                            throw failure;
                                        }));
        assertEquals(failure, thrown);
        assertEquals(before, manager.getManagedArrays().size(), "failed arrays are closed");
    }
}
