package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.torch2nnef.check.reference.NnefInterpreter;
import org.torch2nnef.check.tensor.HostTensor;
import org.torch2nnef.check.torch.TorchReference;
import org.torch2nnef.check.torch.TorchReferenceRequest;
import org.torch2nnef.torchscript.TorchDType;

/**
 * Exports an op model of {@code src/test/resources/ops} and checks that the NNEF model, read back
 * from disk and run by the reference interpreter, computes what libtorch computes for the .pt
 * (seeded random inputs, every output within {@code 1e-4} absolute plus {@code 1e-4} relative).
 */
final class OpNumerics {
    static final double TOLERANCE = 1e-4;

    private OpNumerics() {
    }

    /** Input shapes as make_op_models.py recorded them. */
    static List<long[]> inputShapes(String model) throws IOException {
        JsonNode json = new ObjectMapper().readTree(OpModel.DIR.resolve(model + ".json").toFile());
        List<long[]> shapes = new ArrayList<>();
        for (JsonNode in : json.get("inputs")) {
            long[] s = new long[in.get("shape").size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = in.get("shape").get(i).asLong();
            }
            shapes.add(s);
        }
        return shapes;
    }

    /** Declarations {@code in0, in1, ...} of the given shapes, float32. */
    static List<InputDeclaration> declarations(List<long[]> shapes) {
        List<InputDeclaration> out = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            out.add(new InputDeclaration("in" + i, shapes.get(i), TorchDType.FLOAT32));
        }
        return out;
    }

    static List<HostTensor> randomInputs(List<long[]> shapes, long seed) {
        Random random = new Random(seed);
        List<HostTensor> out = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            float[] values = new float[(int) HostTensor.elementCount(shapes.get(i))];
            for (int j = 0; j < values.length; j++) {
                values[j] = (float) random.nextGaussian();
            }
            out.add(HostTensor.ofFloats("in" + i, shapes.get(i), values));
        }
        return out;
    }

    /**
     * Exports {@code model} with {@code options} (inputs declared {@code in0...}), runs torch and
     * the exported model on {@code inputs}, and asserts equal outputs.
     *
     * @return the export result
     */
    static ExportResult exportAndCompare(String model, ExportOptions options, List<HostTensor> inputs) throws Exception {
        ExportResult result = new Exporter().export(OpModel.DIR.resolve(model + ".pt"), options);
        compare(model, result.output(), inputs);
        return result;
    }

    static void compare(String model, Path nnef, List<HostTensor> inputs) throws Exception {
        compare(OpModel.DIR.resolve(model + ".pt"), nnef, inputs);
    }

    static void compare(Path torchScript, Path nnef, List<HostTensor> inputs) throws Exception {
        String model = torchScript.getFileName().toString();
        List<HostTensor> expected = TorchReference.run(new TorchReferenceRequest(torchScript, inputs, List.of())).outputs();
        NnefInterpreter interpreter = NnefInterpreter.load(nnef);
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Map<String, NDArray> feed = new LinkedHashMap<>();
            for (int i = 0; i < inputs.size(); i++) {
                HostTensor in = inputs.get(i);
                feed.put(interpreter.inputNames().get(i), manager.create(floats(in), new Shape(in.shape())));
            }
            assertOutputs(model, expected, interpreter.run(feed, manager));
        }
    }

    /** Every output of the NNEF run equals torch's within {@link #TOLERANCE}, in order. */
    static void assertOutputs(String model, List<HostTensor> expected, Map<String, NDArray> actual) {
        assertEquals(expected.size(), actual.size(), model + ": output count");
        int i = 0;
        for (Map.Entry<String, NDArray> e : actual.entrySet()) {
            HostTensor want = expected.get(i++);
            NDArray got = e.getValue();
            assertArrayEquals(want.shape(), got.getShape().getShape(), model + " output " + e.getKey() + " shape");
            double[] g = got.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
            for (int j = 0; j < g.length; j++) {
                double w = want.getDouble(j);
                double diff = Math.abs(g[j] - w);
                assertTrue(diff <= TOLERANCE + TOLERANCE * Math.abs(w), model + " output " + e.getKey() + "[" + j
                        + "]: NNEF " + g[j] + ", torch " + w);
            }
        }
    }

    private static float[] floats(HostTensor t) {
        ByteBuffer b = t.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[t.elementCount()];
        b.asFloatBuffer().get(out);
        return out;
    }
}
