package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.torch2nnef.check.NnefSignature;
import org.torch2nnef.export.spi.ModuleExtractors;
import org.torch2nnef.nnef.contract.OutputQuantization;
import org.torch2nnef.nnef.model.ItemType;
import org.torch2nnef.nnef.model.TensorData;
import org.torch2nnef.torchscript.TorchDType;

/**
 * Exports of samples/quantized: an output that is torch's dequantization of an 8-bit tensor is
 * recorded in the model's {@code output_quantization} property with the scale and zero point torch
 * gave that tensor (as generate_quantized.py read them from the DeQuantStub's input); stored
 * weights and biases are streamed from the archive, never copied into memory.
 */
class QuantizedSampleExportTest {
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

    /**
     * Every i8 weight and f32 bias of the translation is written from the TorchScript archive when
     * the .dat is written (lazy data; a contiguous one as a region of the archive file, a
     * channels-last convolution weight through a strided copy); only the per-channel scales are
     * made at export time.
     */
    @Test
    void weightsAndBiasesAreStreamedFromTheArchive() throws Exception {
        Path pt = SAMPLES.resolve("models/ptq_per_channel_fused.pt");
        ExportOptions options =
                ExportOptions.builder(tmp.resolve("unused.nnef.tgz"))
                        .inputs(
                                List.of(
                                        new InputDeclaration(
                                                "x", new long[] {2, 4, 6, 6}, TorchDType.FLOAT32)))
                        .build();
        try (TypedModel typed =
                TypedModel.open(
                        pt, new ModelInputs(options.inputs(), Optional.empty(), List.of()))) {
            Translation t =
                    new GraphTranslator(
                                    OpRegistry.standard(),
                                    options.translationOptions(List.of("x")),
                                    ModuleExtractors.none())
                            .translate(typed.graph());
            Map<String, TensorData> tensors = t.model().tensors();
            List<String> streamed =
                    tensors.entrySet().stream()
                            // nnef-writer's lazy data, not an array built at export time
                            .filter(
                                    e ->
                                            e.getValue()
                                                    .getClass()
                                                    .getSimpleName()
                                                    .equals("LazyTensorData"))
                            .map(Map.Entry::getKey)
                            .toList();
            List<String> made =
                    tensors.keySet().stream().filter(k -> !streamed.contains(k)).toList();
            // conv1, conv2, conv1d and fc: weight and bias each
            assertEquals(8, streamed.size(), streamed.toString());
            assertEquals(
                    4,
                    streamed.stream()
                            .filter(k -> tensors.get(k).itemType() == ItemType.INT8)
                            .count());
            // per-channel scales, and the add's 256 dequantized values (QuantizedAdd)
            assertTrue(
                    made.stream()
                            .allMatch(
                                    k ->
                                            k.contains("scales")
                                                    || Arrays.equals(
                                                            tensors.get(k).shape(),
                                                            new long[] {256})),
                    made.toString());
        }
    }
}
