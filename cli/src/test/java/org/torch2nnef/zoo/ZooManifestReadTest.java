package org.torch2nnef.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.check.compare.StepTolerance;
import org.torch2nnef.check.torch.SeededInputs;
import org.torch2nnef.nnef.contract.DType;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;

/** {@link ZooManifest} on the committed zoo and on broken entries; {@link ZooInputs}. */
class ZooManifestReadTest {
    @TempDir Path tmp;

    @Test
    void theCommittedZooBecomesExporterAndCheckDeclarations() throws IOException {
        ZooManifest zoo = ZooManifest.read(ZooSuiteTest.ZOO);
        ZooModel bilstm = zoo.model("bilstm_text_classifier");
        assertEquals("[tokens=2,9:int64]", bilstm.declarations().toString());
        assertEquals("[tokens:0=B,1=S]", bilstm.dynamicAxesDeclarations().toString());
        assertEquals("[tokens=3,17:i64]", bilstm.inputSpecs(bilstm.checks().get(1)).toString());
        assertEquals("batch=3 seq=17", bilstm.checks().get(1).describe());
        assertEquals(List.of("LSTM"), bilstm.recurrentModules());

        ZooModel tensorAlgebra = zoo.model("tensor_algebra");
        assertEquals("[a:0=B, b:0=B]", tensorAlgebra.dynamicAxesDeclarations().toString());
        assertEquals("trace shapes", zoo.model("gru_cell_loop").checks().get(0).describe());
        assertTrue(zoo.model("resnet18").archive().endsWith("samples/zoo/cache/resnet18.pt"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> zoo.model("resnet"));
        assertTrue(e.getMessage().contains("no model 'resnet'"), e.getMessage());
    }

    /** The quantized samples join the zoo from samples/quantized/quantized.json. */
    @Test
    void theQuantizedSamplesJoinTheZooWithTheirEngineAndStepTolerance() throws IOException {
        ZooManifest zoo = ZooManifest.read(ZooSuiteTest.ZOO);
        List<ZooModel> quantized =
                zoo.models().stream().filter(m -> m.family().equals("quantized")).toList();
        assertEquals(
                List.of(
                        "dynamic_gru_linear",
                        "dynamic_lstm_linear",
                        "mobilenet_v2_quantized",
                        "ptq_per_channel_fused",
                        "ptq_per_tensor_cnn"),
                quantized.stream().map(ZooModel::name).toList());
        assertTrue(quantized.stream().allMatch(m -> m.quantization().engine().equals("x86")));
        ZooModel mobilenet = zoo.model("mobilenet_v2_quantized");
        // bit-identical at the zoo's input since the export computes as torch's kernels do
        assertEquals(StepTolerance.DEFAULT, mobilenet.quantization().steps());
        assertEquals("", mobilenet.quantization().reason());
        assertTrue(
                mobilenet.archive().endsWith("samples/quantized/cache/mobilenet_v2_quantized.pt"));
        ZooModel cnn = zoo.model("ptq_per_tensor_cnn");
        assertEquals(StepTolerance.DEFAULT, cnn.quantization().steps());
        assertEquals("[x=2,3,16,16:float32]", cnn.declarations().toString());
        assertTrue(cnn.archive().endsWith("samples/quantized/models/ptq_per_tensor_cnn.pt"));
        assertEquals(null, zoo.model("resnet18").quantization());
    }

    private String entry(String inputs, String axes) {
        return """
        {"torch_version": "1.13", "models": [{"name": "m", "family": "f", "description": "d",
          "file": "m.pt", "committed": true, "parameter_count": 1, "inputs": %s,
          "dynamic_axes": %s, "outputs": ["y"],
          "checks": [{"lengths": {}, "inputs": {"x": [1, 2]}}], "ops": {},
          "recurrent_modules": [], "recurrent_module_ops": []}]}
        """
                .formatted(inputs, axes);
    }

    private IllegalArgumentException broken(String json) throws IOException {
        Files.writeString(tmp.resolve(ZooManifest.FILE), json);
        return assertThrows(IllegalArgumentException.class, () -> ZooManifest.read(tmp));
    }

    @Test
    void brokenEntriesNameTheModelAndTheField() throws IOException {
        String x = "[{\"name\": \"x\", \"shape\": [1, 2], \"dtype\": \"float32\"}]";
        IllegalArgumentException e =
                broken(
                        entry(
                                x,
                                """
        [{"spec": "x:0=batch", "input": "x", "axis": 0, "symbol": "batch", "test_lengths": [1, 3]},
         {"spec": "x:1=bins", "input": "x", "axis": 1, "symbol": "bins", "test_lengths": [2, 4]}]
        """));
        assertTrue(
                e.getMessage().contains("models[0] (m)")
                        && e.getMessage()
                                .contains("'batch' and 'bins' would both become tract symbol B"),
                e.getMessage());

        e = broken(entry("[{\"name\": \"x\", \"shape\": [1, 2], \"dtype\": \"int64\"}]", "[]"));
        assertTrue(
                e.getMessage().contains("input x: a int64 input needs a value_range"),
                e.getMessage());

        e =
                broken(
                        entry(
                                x,
                                "[{\"spec\": \"y:0=b\", \"input\": \"y\", \"axis\": 0, \"symbol\": \"b\","
                                        + " \"test_lengths\": [1, 3]}]"));
        assertTrue(e.getMessage().contains("no input named 'y'"), e.getMessage());

        e = broken(entry("[{\"name\": \"x\", \"shape\": [1, 2.5], \"dtype\": \"float32\"}]", "[]"));
        assertTrue(
                e.getMessage().contains("input x shape: '2.5' is not a whole number"),
                e.getMessage());

        e = broken(entry(x, "[]").replace("\"outputs\": [\"y\"],", ""));
        assertTrue(e.getMessage().contains("(m): missing 'outputs'"), e.getMessage());
    }

    @Test
    void integerInputsAreDrawnFromTheirValueRangeAndFloatsAreTheSeededOnes() throws IOException {
        Files.writeString(
                tmp.resolve(ZooManifest.FILE),
                entry(
                                """
        [{"name": "x", "shape": [1, 2], "dtype": "float32"},
         {"name": "ids", "shape": [40, 50], "dtype": "int64", "value_range": [200, 203]}]
        """,
                                "[]")
                        .replace("{\"x\": [1, 2]}", "{\"x\": [1, 2], \"ids\": [40, 50]}"));
        ZooModel m = ZooManifest.read(tmp).models().get(0);
        Path npz = tmp.resolve("in.npz");
        ZooInputs.write(m, m.checks().get(0), 7, npz);
        TensorBundle b = Npz.read(npz);

        assertEquals(List.of("x", "ids"), b.names());
        HostTensor ids = b.get("ids");
        assertEquals(DType.I64, ids.dtype());
        ByteBuffer data = ids.data().order(ByteOrder.LITTLE_ENDIAN);
        long[] seen = new long[3];
        for (int i = 0; i < ids.elementCount(); i++) {
            long v = data.getLong(i * 8);
            assertTrue(v >= 200 && v < 203, "id " + v + " outside [200, 203)");
            seen[(int) (v - 200)]++;
        }
        assertTrue(
                seen[0] > 0 && seen[1] > 0 && seen[2] > 0,
                "every id drawn: " + Arrays.toString(seen));
        HostTensor x = b.get("x");
        assertEquals(
                x.getDouble(1),
                SeededInputs.generate(m.inputSpecs(m.checks().get(0)), 7).get("x").getDouble(1));
    }
}
