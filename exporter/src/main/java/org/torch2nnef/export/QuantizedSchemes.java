package org.torch2nnef.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.torch2nnef.export.spi.DynamicCellParams;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.TorchGraph;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType;
import org.torch2nnef.graph.shapes.ScalarTypes;
import org.torch2nnef.torchscript.TorchDType;

/**
 * Quantization schemes and patterns the exporter does not export, recognized by their ops before
 * the graph is typed, so that an export refuses every one of them at once, naming the scheme with
 * the module path and source line of each op: float16 dynamic quantization, 4-bit and 2-bit (and
 * row-wise 8-bit embedding) weights, activations quantized per channel, quantized ConvTranspose
 * (its per-channel weights lie along axis 1; torch quantizes no other weight along another axis
 * than 0), float16 dynamically quantized recurrent layers and quantized recurrent cells, and FX
 * graph-mode patterns (scale and zero point as tensors, quantized ops of a scalar,
 * fixed-quantization activations, other {@code quantized::} kernels).
 */
final class QuantizedSchemes {
    /** Float ops torch runs on quantized tensors with fixed output quantization (FX, eager). */
    private static final Set<String> FIXED_QUANTIZATION =
            Set.of("aten::sigmoid", "aten::tanh", "aten::hardsigmoid");

    private QuantizedSchemes() {}

    /** Every refused node of {@code graph}, in graph order, with its scheme as the reason. */
    static List<OpProblem> refusals(TorchGraph graph, OpRegistry registry) {
        List<OpProblem> out = new ArrayList<>();
        for (Node n : graph.nodes()) {
            scheme(n, registry).ifPresent(s -> out.add(OpProblem.at(n, s + ": not exported")));
        }
        return out;
    }

    /** The unsupported scheme {@code node} belongs to, if any. */
    static Optional<String> scheme(Node node, OpRegistry registry) {
        String kind = node.kind();
        if (kind.startsWith("quantized::") && kind.contains("fp16")) {
            return Optional.of(
                    "float16 dynamic quantization (quantize_dynamic, dtype=torch.float16)");
        }
        if (kind.contains("4bit")) {
            return Optional.of("4-bit weights (torch.quint4x2)");
        }
        if (kind.contains("2bit")) {
            return Optional.of("2-bit weights (torch.quint2x4)");
        }
        if (kind.startsWith("quantized::embedding")) {
            return Optional.of(
                    "row-wise 8-bit embedding weights (float scale and zero point per row)");
        }
        if (kind.equals("aten::quantize_per_channel")) {
            return Optional.of(
                    "per-channel quantization of an activation (only weights are exported per"
                            + " channel, along axis 0)");
        }
        if (kind.startsWith("quantized::conv_transpose")) {
            return Optional.of("quantized ConvTranspose (per-channel weights along axis 1)");
        }
        if (kind.equals("aten::quantized_lstm") || kind.equals("aten::quantized_gru")) {
            return recurrentScheme(node);
        }
        // eager dynamic cells trace to quantized::quantized_{lstm,gru,rnn_*}_cell_dynamic; the
        // aten::quantized_*_cell ops are the older API's
        if (kind.startsWith("aten::quantized_")
                || (kind.startsWith("quantized::quantized_") && kind.endsWith("_cell_dynamic"))) {
            return Optional.of(
                    "quantized recurrent cell (torch.ao.nn.quantized.dynamic LSTMCell, GRUCell,"
                            + " RNNCell; only whole nn.LSTM and nn.GRU layers are exported)");
        }
        if (kind.equals("aten::quantize_per_tensor")
                && node.inputs().size() > 1
                && (node.input(1).type() instanceof ValueType.TensorType
                        || node.input(1).type() instanceof ValueType.UntypedTensor)) {
            return Optional.of(
                    "FX graph-mode quantization pattern (scale and zero point as tensors)");
        }
        if ((kind.equals("quantized::add") || kind.equals("quantized::mul"))
                && node.inputs().size() == 2) {
            return Optional.of("FX graph-mode quantization pattern (" + kind + " of a scalar)");
        }
        if (FIXED_QUANTIZATION.contains(kind)
                && !node.inputs().isEmpty()
                && quantized(node.input(0))) {
            return Optional.of(
                    "FX graph-mode quantization pattern ("
                            + kind
                            + " of a quantized tensor, with its fixed output quantization)");
        }
        if (kind.startsWith("quantized::") && registry.find(kind).isEmpty()) {
            return Optional.of(
                    "quantized kernel outside eager-mode static and dynamic quantization's"
                            + " conv, linear, add, mul and cat (e.g. an FX graph-mode pattern)");
        }
        return Optional.empty();
    }

    /**
     * A dynamically quantized LSTM or GRU layer is exported with int8 weights ({@code
     * "quantized_dynamic"} cell parameters); float16 ones ({@code "quantized_fp16"}, or the LSTM's
     * {@code dtype} argument float16) are not.
     */
    private static Optional<String> recurrentScheme(Node node) {
        String fp16 = "float16 dynamic quantization (quantize_dynamic, dtype=torch.float16)";
        Optional<Value> dtype =
                node.kind().equals("aten::quantized_lstm") && node.inputs().size() > 9
                        ? Optional.of(node.input(9))
                        : Optional.empty();
        if (dtype.flatMap(Value::knownDim)
                .filter(d -> d.isConstant() && d.constant() == ScalarTypes.code(TorchDType.FLOAT16))
                .isPresent()) {
            return Optional.of(fp16);
        }
        Value params = node.input(2);
        List<Value> cells =
                params.producer()
                        .filter(p -> p.kind().equals("prim::ListConstruct"))
                        .map(Node::inputs)
                        .orElse(List.of());
        for (Value cell : cells) {
            Optional<String> type = DynamicCellParams.type(cell);
            if (type.isPresent() && !type.get().equals(DynamicCellParams.DYNAMIC)) {
                return Optional.of(
                        type.get().equals("quantized_fp16")
                                ? fp16
                                : "recurrent cell parameters of type '"
                                        + type.get()
                                        + "' (only int8 dynamic quantization, 'quantized_dynamic')");
            }
        }
        return Optional.empty();
    }

    /** Whether torch computes {@code v} quantized: made by a quantizing op. */
    private static boolean quantized(Value v) {
        return v.producer()
                .map(
                        p ->
                                p.kind().startsWith("quantized::")
                                        || p.kind().startsWith("aten::quantize_per"))
                .orElse(false);
    }
}
