package org.torch2nnef.check.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.torch2nnef.nnef.io.NnefArchiveWriter;
import org.torch2nnef.nnef.io.NnefParser;
import org.torch2nnef.nnef.model.NnefModel;
import org.torch2nnef.nnef.model.TensorData;

/**
 * One torch-computed fixture ({@code reference/<case>.npz} written by make_fixtures.py): {@code
 * in_*} graph inputs, {@code var_*} variables, {@code out_*} expected outputs. It writes an NNEF
 * graph text with those variables to disk, reads it back through {@link NnefInterpreter}, runs it
 * and compares every graph output with torch's.
 */
final class Fixture {
    private final Map<String, NDArray> arrays = new LinkedHashMap<>();

    Fixture(NDManager manager, String name) {
        try (InputStream in = Fixture.class.getResourceAsStream("/reference/" + name + ".npz")) {
            assertNotNull(in, "fixture " + name + ".npz (run make_fixtures.py)");
            NDList list = NDList.decode(manager, in);
            for (NDArray a : list) {
                arrays.put(a.getName(), a);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    NDArray get(String key) {
        NDArray a = arrays.get(key);
        assertNotNull(a, "fixture array " + key + " (have " + arrays.keySet() + ")");
        return a;
    }

    /**
     * Writes {@code graphText} with this fixture's variables to {@code target} and loads it back.
     */
    NnefInterpreter write(String graphText, Path target) throws IOException {
        NnefModel.Builder b = NnefParser.parse(graphText, "test graph").toBuilder();
        for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
            if (e.getKey().startsWith("var_")) {
                b.tensor(e.getKey().substring(4), tensorData(e.getValue()));
            }
        }
        NnefArchiveWriter.write(b.build(), target);
        return NnefInterpreter.load(target);
    }

    static TensorData tensorData(NDArray a) {
        long[] shape = a.getShape().getShape();
        if (a.getDataType() == DataType.FLOAT32) {
            return TensorData.ofFloats(shape, a.toFloatArray());
        }
        if (a.getDataType() == DataType.INT64) {
            return TensorData.ofLongs(shape, a.toLongArray());
        }
        if (a.getDataType() == DataType.BOOLEAN) {
            return TensorData.ofBooleans(shape, a.toBooleanArray());
        }
        throw new IllegalArgumentException("no .dat mapping for " + a.getDataType());
    }

    /** Runs the graph with the fixture's {@code in_*} arrays and checks every output. */
    Map<String, NDArray> runAndCheck(NnefInterpreter model, NDManager manager) {
        Map<String, NDArray> inputs = new LinkedHashMap<>();
        for (String name : model.inputNames()) {
            inputs.put(name, get("in_" + name));
        }
        Map<String, NDArray> out = model.run(inputs, manager);
        assertEquals(model.outputNames(), List.copyOf(out.keySet()));
        for (Map.Entry<String, NDArray> e : out.entrySet()) {
            assertClose(get("out_" + e.getKey()), e.getValue(), e.getKey());
        }
        return out;
    }

    /** Same shape; booleans and integers equal; floats within 1e-4 relative + 1e-5 absolute. */
    static void assertClose(NDArray expected, NDArray actual, String what) {
        assertArrayEquals(
                expected.getShape().getShape(),
                actual.getShape().getShape(),
                what + ": shape " + actual.getShape() + ", torch " + expected.getShape());
        if (expected.getDataType() == DataType.BOOLEAN) {
            assertEquals(DataType.BOOLEAN, actual.getDataType(), what + ": type");
            assertArrayEquals(expected.toBooleanArray(), actual.toBooleanArray(), what);
            return;
        }
        if (!expected.getDataType().isFloating()) {
            assertTrue(
                    !actual.getDataType().isFloating(),
                    what + ": type " + actual.getDataType() + ", torch integer");
            assertArrayEquals(
                    expected.toType(DataType.INT64, false).toLongArray(),
                    actual.toType(DataType.INT64, false).toLongArray(),
                    what);
            return;
        }
        float[] e = expected.toType(DataType.FLOAT32, false).toFloatArray();
        float[] a = actual.toType(DataType.FLOAT32, false).toFloatArray();
        for (int i = 0; i < e.length; i++) {
            float tol = 1e-5f + 1e-4f * Math.abs(e[i]);
            if (!(Math.abs(e[i] - a[i]) <= tol)) {
                throw new AssertionError(
                        what + ": item " + i + " is " + a[i] + ", torch computes " + e[i]);
            }
        }
    }
}
