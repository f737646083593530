package org.torch2nnef.torchscript;

import java.util.List;
import java.util.regex.Pattern;
import org.torch2nnef.torchscript.pickle.PickleException;
import org.torch2nnef.torchscript.pickle.PickleTuple;
import org.torch2nnef.torchscript.pickle.RestrictedUnpickler;

/**
 * The pickled state of torch.ao's quantized convolution modules ({@code Conv1d}..{@code Conv3d},
 * the fused {@code ConvReLU*d}, their {@code ConvTranspose*d}): torch saves them through their
 * {@code __getstate__}, a 15-tuple {@code (in_channels, out_channels, kernel_size, stride, padding,
 * dilation, transposed, output_padding, groups, padding_mode, weight, bias, scale, zero_point,
 * training)} (torch 1.13 and 2.x), and their {@code __setstate__} rebuilds the attributes and packs
 * weight and bias with {@code quantized::conv*_prepack}. That code is module set-up, not traced
 * code, so the state is turned into the attributes it sets here, with {@code _packed_params} an
 * object of {@code torch.classes.quantized.Conv<N>dPackedParamsBase} whose state is {@code (weight,
 * bias, stride, padding, dilation, groups, transposed, output_padding)}.
 */
final class QuantizedModuleState {
    private static final Pattern CONV_CLASS =
            Pattern.compile(
                    "torch\\.(ao\\.)?nn\\.(intrinsic\\.)?quantized\\.modules\\.\\w+\\.Conv\\w*");
    private static final List<String> NAMES =
            List.of(
                    "in_channels",
                    "out_channels",
                    "kernel_size",
                    "stride",
                    "padding",
                    "dilation",
                    "transposed",
                    "output_padding",
                    "groups",
                    "padding_mode");
    private static final int WEIGHT = 10;
    private static final int STATE_SIZE = 15;

    private QuantizedModuleState() {}

    /**
     * Sets the attributes a quantized convolution's {@code __setstate__} sets; other objects are
     * left alone.
     *
     * @throws PickleException if the state of such a module is not the tuple torch writes
     */
    static void apply(ScriptObject o, Object state) throws PickleException {
        if (!CONV_CLASS.matcher(o.torchClassName()).matches()
                || !(state instanceof PickleTuple t)) {
            return;
        }
        if (t.size() != STATE_SIZE) {
            throw malformed(o, "a " + t.size() + "-tuple, not the 15-tuple of torch 1.13 and 2.x");
        }
        if (!(t.get(WEIGHT) instanceof TorchTensor weight) || weight.quantization().isEmpty()) {
            throw malformed(o, "item 10 (weight) is not a quantized tensor");
        }
        Object bias = t.get(WEIGHT + 1);
        if (bias != null && !(bias instanceof TorchTensor)) {
            throw malformed(o, "item 11 (bias) is neither a tensor nor None");
        }
        for (int i = 0; i < NAMES.size(); i++) {
            o.setAttribute(NAMES.get(i), t.get(i));
        }
        o.setAttribute("scale", t.get(12));
        o.setAttribute("zero_point", t.get(13));
        o.setAttribute("training", t.get(14));
        int spatial = weight.rank() - 2;
        ScriptObject packed =
                new ScriptObject(
                        "__torch__.torch.classes.quantized.Conv" + spatial + "dPackedParamsBase");
        packed.setState(
                PickleTuple.of(
                        weight, bias, t.get(3), t.get(4), t.get(5), t.get(8), t.get(6), t.get(7)));
        o.setAttribute("_packed_params", packed);
    }

    private static PickleException malformed(ScriptObject o, String problem) {
        return new PickleException(
                "state of "
                        + o.torchClassName()
                        + " is "
                        + problem
                        + ": "
                        + RestrictedUnpickler.brief(o.state().orElse(null)));
    }
}
