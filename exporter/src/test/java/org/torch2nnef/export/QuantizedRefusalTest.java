package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.torchscript.TorchDType;

/**
 * Quantization schemes that are not exported (make_quantized_refusals.py) are refused all at once,
 * each op naming its scheme, module path and source line, and nothing is written.
 */
class QuantizedRefusalTest {
    @TempDir Path tmp;

    private List<OpProblem> refused(String model, InputDeclaration... inputs) {
        return refused(model, List.of(), inputs);
    }

    private List<OpProblem> refused(
            String model, List<DynamicAxes> dynamic, InputDeclaration... inputs) {
        Path out = tmp.resolve(model + ".nnef.tgz");
        UnsupportedOpsException e =
                assertThrows(
                        UnsupportedOpsException.class,
                        () ->
                                new Exporter()
                                        .export(
                                                OpModel.DIR.resolve(model + ".pt"),
                                                ExportOptions.builder(out)
                                                        .inputs(List.of(inputs))
                                                        .dynamicAxes(dynamic)
                                                        .build()));
        assertFalse(Files.exists(out));
        return e.problems();
    }

    private static void assertProblem(
            OpProblem p, String kind, String module, String sourceLine, String scheme) {
        assertEquals(kind, p.kind());
        assertEquals(module, p.module());
        assertTrue(p.location().endsWith("(" + sourceLine + ")"), p.location());
        assertEquals(scheme + ": not exported", p.reason());
    }

    @Test
    void eagerSchemesAreRefusedTogether() {
        List<OpProblem> p =
                refused(
                        "quantized_schemes",
                        new InputDeclaration("x", new long[] {2, 4, 3, 3}, TorchDType.FLOAT32),
                        new InputDeclaration("ids", new long[] {4}, TorchDType.INT64));
        String script = "exporter/src/test/resources/ops/make_quantized_refusals.py:";
        assertEquals(4, p.size(), p.toString());
        assertProblem(
                p.get(0),
                "quantized::linear_dynamic_fp16",
                "fp16 (torch.ao.nn.quantized.dynamic.modules.linear.Linear)",
                script + 47,
                "float16 dynamic quantization (quantize_dynamic, dtype=torch.float16)");
        assertProblem(
                p.get(1),
                "quantized::embedding_bag_4bit",
                "bag4 (torch.ao.nn.quantized.modules.embedding_ops.EmbeddingBag)",
                script + 48,
                "4-bit weights (torch.quint4x2)");
        assertProblem(
                p.get(2),
                "aten::quantize_per_channel",
                "<root> (Schemes)",
                script + 49,
                "per-channel quantization of an activation (only weights are exported per"
                        + " channel, along axis 0)");
        assertProblem(
                p.get(3),
                "quantized::conv_transpose2d",
                "deconv (torch.ao.nn.quantized.modules.conv.ConvTranspose2d)",
                script + 50,
                "quantized ConvTranspose (per-channel weights along axis 1)");
    }

    /** FX's generated forward is torch's {@code <eval_with_key>} code: its lines are those. */
    @Test
    void fxGraphModePatternsAreRefusedTogether() {
        List<OpProblem> p =
                refused(
                        "quantized_fx",
                        new InputDeclaration("x", new long[] {3, 4}, TorchDType.FLOAT32));
        assertEquals(
                List.of(
                        "aten::quantize_per_tensor",
                        "aten::sigmoid",
                        "quantized::mul",
                        "quantized::add",
                        "quantized::layer_norm"),
                p.stream().map(OpProblem::kind).toList());
        assertEquals(
                "FX graph-mode quantization pattern (scale and zero point as tensors): not"
                        + " exported",
                p.get(0).reason());
        assertEquals(
                "FX graph-mode quantization pattern (aten::sigmoid of a quantized tensor, with its"
                        + " fixed output quantization): not exported",
                p.get(1).reason());
        assertEquals(
                "FX graph-mode quantization pattern (quantized::mul of a scalar): not exported",
                p.get(2).reason());
        assertTrue(p.get(4).reason().contains("FX graph-mode"), p.get(4).reason());
        assertEquals(
                "ln (torch.ao.nn.quantized.modules.normalization.LayerNorm)", p.get(4).module());
        assertTrue(p.stream().allMatch(o -> o.location().contains(":")), p.toString());
    }

    /**
     * A quantized average pooling whose border windows torch divides by their own sizes
     * (count_include_pad=False with padding) over a symbolic size: refused, naming the op, its
     * module and source line, and nothing is written.
     */
    @Test
    void quantizedAveragesOfSymbolicBorderWindowsAreRefused() {
        List<OpProblem> p =
                refused(
                        "quantized_avg_pool_border",
                        List.of(DynamicAxes.parse("x:3=W")),
                        new InputDeclaration("x", new long[] {2, 3, 8, 8}, TorchDType.FLOAT32));
        assertEquals(1, p.size(), p.toString());
        assertEquals("aten::avg_pool2d", p.get(0).kind());
        assertEquals("<root> (BorderAverages)", p.get(0).module());
        assertTrue(
                p.get(0)
                        .location()
                        .endsWith(
                                "(exporter/src/test/resources/ops/make_quantized_refusals.py:103)"),
                p.get(0).location());
        assertTrue(
                p.get(0)
                        .reason()
                        .startsWith(
                                "aten::avg_pool2d of a quantized tensor with"
                                        + " count_include_pad=False and padding over the symbolic"
                                        + " size W"),
                p.get(0).reason());
    }

    /** A float16 dynamically quantized nn.LSTM stays refused (int8 ones are exported). */
    @Test
    void float16RecurrentLayersAreRefused() {
        List<OpProblem> p =
                refused(
                        "quantized_lstm_fp16",
                        new InputDeclaration("x", new long[] {5, 2, 4}, TorchDType.FLOAT32));
        assertEquals(1, p.size(), p.toString());
        assertProblem(
                p.get(0),
                "aten::quantized_lstm",
                "lstm (torch.ao.nn.quantized.dynamic.modules.rnn.LSTM)",
                "exporter/src/test/resources/ops/make_quantized_refusals.py:77",
                "float16 dynamic quantization (quantize_dynamic, dtype=torch.float16)");
    }

    /**
     * Dynamically quantized LSTMCell and GRUCell (traced as {@code quantized::*_cell_dynamic}) are
     * refused naming the scheme; whole nn.LSTM/nn.GRU layers are what is exported.
     */
    @Test
    void quantizedCellsAreRefusedNamingTheScheme() {
        List<OpProblem> p =
                refused(
                        "quantized_cells",
                        new InputDeclaration("x", new long[] {2, 4}, TorchDType.FLOAT32));
        assertEquals(
                List.of(
                        "quantized::quantized_lstm_cell_dynamic",
                        "quantized::quantized_gru_cell_dynamic"),
                p.stream().map(OpProblem::kind).toList());
        String scheme =
                "quantized recurrent cell (torch.ao.nn.quantized.dynamic LSTMCell, GRUCell,"
                        + " RNNCell; only whole nn.LSTM and nn.GRU layers are exported)";
        assertTrue(
                p.stream().allMatch(o -> o.reason().equals(scheme + ": not exported")),
                p.toString());
        assertEquals(
                "lstm_cell (torch.ao.nn.quantized.dynamic.modules.rnn.LSTMCell)",
                p.get(0).module());
        assertTrue(p.stream().allMatch(o -> o.location().contains(":")), p.toString());
    }
}
