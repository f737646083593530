package org.torch2nnef.export.spi;

import java.util.List;
import java.util.Optional;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.graph.Value;
import org.torch2nnef.torchscript.ScriptObject;
import org.torch2nnef.torchscript.TorchTensor;

/**
 * The weights of one layer and direction of a dynamically quantized {@code nn.LSTM}/{@code nn.GRU}
 * ({@code quantize_dynamic(..., dtype=torch.qint8)}): a {@code
 * __torch__.torch.classes.rnn.CellParamsBase} whose {@code __setstate__} state is torch's
 * CellParamsSerializationType ({@code aten/src/ATen/native/RNN.cpp}): {@code ("quantized_dynamic",
 * [b_ih, b_hh], [], [reduce_range], [packed w_ih, packed w_hh])}, each packed {@code
 * LinearPackedParamsBase} holding {@code (qint8 weight, float bias)}. torch computes {@code
 * linear_ih} and {@code linear_hh} with the packed weights and their biases ({@code apply_dynamic},
 * the same kernel as {@code quantized::linear_dynamic}); the separate biases serve CUDA only.
 *
 * @param wIh {@code [gates*hidden, input]}, qint8
 * @param bIh its float bias, if the layer has biases
 * @param wHh {@code [gates*hidden, hidden]}, qint8
 * @param bHh its float bias, if the layer has biases
 * @param reduceRange whether activations are quantized to 127 levels, not 255
 */
public record DynamicCellParams(
        TorchTensor wIh,
        Optional<TorchTensor> bIh,
        TorchTensor wHh,
        Optional<TorchTensor> bHh,
        boolean reduceRange) {

    /** The state type of int8 dynamic quantization; {@code quantized_fp16} is float16's. */
    public static final String DYNAMIC = "quantized_dynamic";

    /**
     * @param v a cell-params value of the graph
     * @return the type string of its state, e.g. {@code quantized_dynamic}, if it is known
     */
    public static Optional<String> type(Value v) {
        return state(v).filter(s -> s.get(0) instanceof String).map(s -> (String) s.get(0));
    }

    /**
     * @param v a cell-params value of the graph
     * @return its weights
     * @throws TranslationException if its state is not int8 dynamic quantization's
     */
    public static DynamicCellParams of(Value v) throws TranslationException {
        List<?> state = state(v).orElse(null);
        if (state == null
                || state.size() != 5
                || !DYNAMIC.equals(state.get(0))
                || !(state.get(3) instanceof List<?> longs)
                || !(state.get(4) instanceof List<?> packed)
                || packed.size() != 2) {
            throw new TranslationException(
                    "cell parameters "
                            + v.describe()
                            + " are not the (\""
                            + DYNAMIC
                            + "\", tensors, doubles, longs, [packed w_ih, packed w_hh]) state of"
                            + " int8 dynamic quantization");
        }
        boolean reduceRange =
                !longs.isEmpty() && longs.get(0) instanceof Number n && n.longValue() != 0;
        TorchTensor[] ih = packed(packed.get(0), v);
        TorchTensor[] hh = packed(packed.get(1), v);
        return new DynamicCellParams(
                ih[0], Optional.ofNullable(ih[1]), hh[0], Optional.ofNullable(hh[1]), reduceRange);
    }

    /**
     * @return the largest code of the activations' dynamic quantization: 127 with {@code
     *     reduce_range} (torch's x86 and fbgemm engines), else 255
     */
    public int levels() {
        return reduceRange ? 127 : 255;
    }

    private static Optional<List<?>> state(Value v) {
        if (v.known().orElse(null) instanceof ScriptObject o
                && o.state().orElse(null) instanceof List<?> s
                && !s.isEmpty()) {
            return Optional.of(s);
        }
        return Optional.empty();
    }

    /** {weight, bias or null} of a LinearPackedParamsBase state {@code (weight, bias, ...)}. */
    private static TorchTensor[] packed(Object o, Value v) throws TranslationException {
        if (o instanceof ScriptObject p
                && p.state().orElse(null) instanceof List<?> s
                && !s.isEmpty()
                && s.get(0) instanceof TorchTensor w) {
            return new TorchTensor[] {
                w, s.size() > 1 && s.get(1) instanceof TorchTensor b ? b : null
            };
        }
        throw new TranslationException(
                "packed weights of "
                        + v.describe()
                        + " are not the (weight, bias) state torch 1.13 and 2.x write");
    }
}
