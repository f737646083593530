package org.torch2nnef.check.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.torch2nnef.nnef.io.NnefParser;
import org.torch2nnef.nnef.model.ItemType;
import org.torch2nnef.nnef.model.NnefModel;
import org.torch2nnef.nnef.model.TensorData;

/**
 * Tensors made from Java data must own their memory: the run frees a tensor once no later step
 * names it, while an engine view of it (unsqueeze, reshape) may still be read. The variable {@code
 * collect} forces a garbage collection between the release and the read, so any tensor still
 * aliasing a collected Java buffer reads freed memory.
 */
class ViewLifetimeTest extends ManagedTest {
    private static final String GRAPH =
            """
            version 1.0;
            extension tract_registry tract_core;

            graph G() -> (y, dims)
            {
                w = variable<scalar>(shape = [2, 8], label = 'w');
                v = unsqueeze(w, axes = [0]);
                shape = tract_core_shape_of(v);
                dims = reshape(shape, shape = [1, 3]);
                collect = variable<scalar>(shape = [1], label = 'collect');
                y = add(v, collect);
            }
            """;

    private static final int RUNS = 10;

    @Test
    void viewsOutliveTheTensorsTheyWereTakenFrom() throws IOException {
        float[] w = new float[16];
        float[] expected = new float[16];
        for (int i = 0; i < w.length; i++) {
            w[i] = i + 1;
            expected[i] = i + 1.5f; // by hand: w + 0.5, broadcast over the unsqueezed [1, 2, 8]
        }
        NnefModel model =
                NnefParser.parse(GRAPH, "views").toBuilder()
                        .tensor("w", TensorData.ofFloats(new long[] {2, 8}, w))
                        .tensor(
                                "collect",
                                TensorData.lazy(
                                        ItemType.FLOAT32,
                                        new long[] {1},
                                        out -> {
                                            DirectMemory.collect();
                                            out.write(
                                                    ByteBuffer.allocate(4)
                                                            .order(ByteOrder.LITTLE_ENDIAN)
                                                            .putFloat(0.5f)
                                                            .array());
                                        }))
                        .build();
        NnefInterpreter interpreter = NnefInterpreter.of(model, "views");
        for (int run = 0; run < RUNS; run++) {
            Map<String, NDArray> out = interpreter.run(Map.of(), manager);
            assertArrayEquals(expected, out.get("y").toFloatArray(), "y, run " + run);
            assertArrayEquals(
                    new long[] {1, 2, 8}, out.get("dims").toLongArray(), "dims, run " + run);
            out.values().forEach(NDArray::close);
        }
    }
}
