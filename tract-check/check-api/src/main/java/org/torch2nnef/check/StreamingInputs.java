package org.torch2nnef.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.torch2nnef.nnef.model.Expr;

/**
 * What a pulsed check needs of the model's inputs: tract streams a model only when every input has
 * exactly one axis along the pulse symbol. It cuts each input into chunks along that axis and feeds
 * one chunk of every input per step ({@code tract_pulse}'s {@code
 * PulsedFact::from_tensor_fact_pulse} fails on an input without one: "Can not pulse a tensor with
 * no streaming dim").
 */
public final class StreamingInputs {
    private StreamingInputs() {}

    /**
     * @param signature the model's inputs
     * @param pulse the requested pulse
     * @return the streaming axis of each input, in input order
     * @throws IllegalArgumentException explaining which inputs cannot stream and why
     */
    public static List<Integer> axes(NnefSignature signature, TractLoading.Pulse pulse) {
        Set<String> symbols = new TreeSet<>();
        signature.inputs().forEach(in -> in.dims().forEach(d -> collectIds(d, symbols)));
        if (!symbols.contains(pulse.symbol())) {
            throw new IllegalArgumentException(
                    "--pulse "
                            + pulse.spec()
                            + ": no input of the model has a size "
                            + pulse.symbol()
                            + (symbols.isEmpty()
                                    ? " (its inputs have no symbolic size: export it with"
                                            + " --dynamic-axes NAME:AXIS="
                                            + pulse.symbol()
                                            + " on the streaming axis)"
                                    : "; its symbols are " + String.join(", ", symbols)));
        }
        List<Integer> axes = new ArrayList<>();
        List<String> without = new ArrayList<>();
        for (ExternalInput in : signature.inputs()) {
            List<Integer> along = new ArrayList<>();
            for (int i = 0; i < in.dims().size(); i++) {
                Set<String> ids = new TreeSet<>();
                collectIds(in.dims().get(i), ids);
                if (ids.contains(pulse.symbol())) {
                    along.add(i);
                }
            }
            if (along.size() > 1) {
                throw new IllegalArgumentException(
                        "--pulse "
                                + pulse.spec()
                                + ": input '"
                                + in.name()
                                + "' "
                                + in.shapeText()
                                + " has "
                                + along.size()
                                + " axes along "
                                + pulse.symbol()
                                + "; tract streams each input along one axis");
            }
            if (along.isEmpty()) {
                without.add("'" + in.name() + "' " + in.shapeText());
            } else {
                axes.add(along.get(0));
            }
        }
        if (!without.isEmpty()) {
            throw new IllegalArgumentException(
                    "--pulse "
                            + pulse.spec()
                            + ": input"
                            + (without.size() > 1 ? "s " : " ")
                            + String.join(", ", without)
                            + (without.size() > 1 ? " have" : " has")
                            + " no axis along "
                            + pulse.symbol()
                            + ". tract streams a model only when every input streams along the"
                            + " pulse symbol: it feeds each input "
                            + pulse.size()
                            + " items at a time along that axis, so an input given once for the"
                            + " whole sequence (a conditioning vector as in FiLM, an initial"
                            + " state) has nothing to feed per chunk, and tract refuses to pulse"
                            + " the model (\"Can not pulse a tensor with no streaming dim\")."
                            + " Stream a model whose every input has a "
                            + pulse.symbol()
                            + " axis, e.g. with that input folded into the model as a constant"
                            + " before tracing, or repeated along "
                            + pulse.symbol()
                            + ".");
        }
        return axes;
    }

    private static void collectIds(Expr e, Set<String> out) {
        if (e instanceof Expr.Id id) {
            out.add(id.name());
        } else if (e instanceof Expr.Binary b) {
            collectIds(b.left(), out);
            collectIds(b.right(), out);
        } else if (e instanceof Expr.Unary u) {
            collectIds(u.operand(), out);
        }
    }
}
