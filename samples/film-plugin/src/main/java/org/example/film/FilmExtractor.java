package org.example.film;

import java.util.Set;
import org.torch2nnef.export.FragmentText;
import org.torch2nnef.export.NnefEmitter;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.export.spi.ModuleInfoExtractor;
import org.torch2nnef.export.spi.ModuleInvocation;
import org.torch2nnef.graph.Value;
import org.torch2nnef.nnef.model.Invocation;

/**
 * Exports the example model's {@code FiLM} module ({@code x * gamma(z)[..., None] + beta(z)[...,
 * None]}, x {@code [batch, channels, time]}, z {@code [batch, cond]}) as one call of the
 * hand-written fragment {@code film_modulate}, instead of its linear, unsqueeze, mul and add ops
 * one by one.
 */
public final class FilmExtractor implements ModuleInfoExtractor {

    /** Standard NNEF; the biases are {@code [channels]}, unsqueezed to broadcast over the batch. */
    private static final String FRAGMENT =
            """
            fragment film_modulate(x: tensor<scalar>, z: tensor<scalar>, wg: tensor<scalar>, bg: tensor<scalar>,
                wb: tensor<scalar>, bb: tensor<scalar>) -> (y: tensor<scalar>)
            {
                gamma = unsqueeze(add(matmul(z, wg, transposeB = true), unsqueeze(bg, axes = [0])), axes = [2]);
                beta = unsqueeze(add(matmul(z, wb, transposeB = true), unsqueeze(bb, axes = [0])), axes = [2]);
                y = add(mul(x, gamma), beta);
            }
            """;

    @Override
    public Set<String> moduleClasses() {
        // a class defined in the tracing script: named without its Python module, as `inspect`
        // shows it
        return Set.of("FiLM");
    }

    @Override
    public void extract(ModuleInvocation call) throws TranslationException {
        if (call.inputs().size() != 2 || call.outputs().size() != 1) {
            throw new TranslationException("FiLM.forward should take (x, z) and return one tensor");
        }
        // the trace orders a submodule's arguments by first use, so tell x and z apart by rank
        Value a = call.inputs().get(0);
        Value b = call.inputs().get(1);
        boolean aIsX = call.shape(a).rank() == 3;
        Value x = aIsX ? a : b;
        Value z = aIsX ? b : a;
        if (call.shape(x).rank() != 3 || call.shape(z).rank() != 2) {
            throw new TranslationException(
                    "FiLM expects x [batch, channels, time] and z [batch, cond], got "
                            + call.shape(a)
                            + " and "
                            + call.shape(b));
        }
        NnefEmitter nnef = call.nnef();
        String film = nnef.fragment(FragmentText.parse(FRAGMENT));
        nnef.define(
                call.outputs().get(0),
                Invocation.of(
                        film,
                        call.tensor(x),
                        call.tensor(z),
                        call.variable("gamma.weight"),
                        call.variable("gamma.bias"),
                        call.variable("beta.weight"),
                        call.variable("beta.bias")));
    }
}
