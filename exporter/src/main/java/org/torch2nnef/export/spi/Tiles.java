package org.torch2nnef.export.spi;

import java.util.ArrayList;
import java.util.List;
import org.torch2nnef.export.NnefEmitter;
import org.torch2nnef.export.TractGate;
import org.torch2nnef.export.TractTarget;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;

/**
 * The standard {@code tile} with repeats that may be dynamic, in a form the target tract reads:
 * tract before 0.21.2 reads symbols in shape arguments only ({@link
 * TractTarget#SYMBOLS_IN_EXPRESSIONS}), so a dynamic repeat is then a {@code tract_core_broadcast}
 * of a size-1 axis, whose shape may hold symbols, after a {@code tile} by the constant repeats. A
 * dynamic repeat of a larger axis has no such form and is refused, naming the release that reads
 * it.
 */
public final class Tiles {
    private Tiles() {}

    /**
     * @param ctx the translation
     * @param x the tensor to repeat
     * @param shape its sizes
     * @param repeats how often each axis repeats (as many as {@code shape})
     * @return the repeated tensor's expression
     * @throws TranslationException when the target reads no form of it
     */
    public static Expr tile(
            NnefEmitter nnef, TractGate tract, Expr x, List<Dim> shape, List<Dim> repeats)
            throws TranslationException {
        boolean dynamic = repeats.stream().anyMatch(r -> !r.isConstant());
        if (!dynamic || tract.isStrict() || tract.tractAllows(TractTarget.SYMBOLS_IN_EXPRESSIONS)) {
            return Invocation.builder("tile").arg(x).arg("repeats", nnef.dims(repeats)).build();
        }
        List<Dim> constant = new ArrayList<>();
        List<Dim> out = new ArrayList<>();
        boolean tiles = false;
        for (int i = 0; i < repeats.size(); i++) {
            Dim r = repeats.get(i);
            if (r.isConstant()) {
                tiles |= r.constant() != 1;
                constant.add(r);
                out.add(shape.get(i).times(r.constant()));
            } else if (shape.get(i).equals(Dim.of(1))) {
                constant.add(Dim.of(1));
                out.add(r);
            } else {
                // the target lacks it, so this throws, naming the release that has it
                tract.requireTractForm(TractTarget.SYMBOLS_IN_EXPRESSIONS);
            }
        }
        Expr base =
                tiles
                        ? nnef.temp(
                                "tiled",
                                Invocation.builder("tile")
                                        .arg(x)
                                        .arg("repeats", nnef.dims(constant))
                                        .build())
                        : x;
        tract.requireTractForm(TractTarget.SYMBOLIC_BROADCAST);
        return Invocation.builder(tract.tractOp("tract_core_broadcast"))
                .arg(base)
                .arg("shape", nnef.dims(out))
                .build();
    }
}
