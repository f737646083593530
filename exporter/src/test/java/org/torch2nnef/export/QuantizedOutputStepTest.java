package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.torch2nnef.check.NnefSignature;
import org.torch2nnef.nnef.contract.OutputQuantization;
import org.torch2nnef.torchscript.TorchDType;

/**
 * An output that is torch's dequantization of an 8-bit tensor is recorded in the model's {@code
 * output_quantization} property with the scale and zero point torch gave that tensor (as
 * samples/quantized/generate_quantized.py read them from the DeQuantStub's input).
 */
class QuantizedOutputStepTest {
    private static final Path SAMPLES = Path.of("../samples/quantized");

    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"ptq_per_tensor_cnn", "ptq_per_channel_fused"})
    void recordsTorchsOutputQuantization(String name) throws Exception {
        JsonNode sample =
                new ObjectMapper()
                        .readTree(SAMPLES.resolve("quantized.json").toFile())
                        .get("samples")
                        .get(name);
        JsonNode shape = sample.get("inputs").get(0);
        long[] dims = new long[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shape.get(i).asLong();
        }
        ExportResult r =
                new Exporter()
                        .export(
                                SAMPLES.resolve("models/" + name + ".pt"),
                                TractUnderTest.options(tmp.resolve(name + ".nnef.tgz"))
                                        .inputs(
                                                List.of(
                                                        new InputDeclaration(
                                                                "x", dims, TorchDType.FLOAT32)))
                                        .outputNames(List.of("y"))
                                        .build());
        JsonNode torch = sample.get("output_quantization").get(0);
        Map<String, OutputQuantization.Step> steps = NnefSignature.read(r.output()).outputSteps();
        assertEquals(List.of("y"), List.copyOf(steps.keySet()));
        // graph.quant holds f32 scales, as tract reads them
        assertEquals((float) torch.get("scale").asDouble(), (float) steps.get("y").scale());
        assertEquals(torch.get("zero_point").asLong(), steps.get("y").zeroPoint());
    }
}
