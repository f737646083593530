package org.torch2nnef.export.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.nnef.model.ElementType;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.TensorData;

/**
 * Linear upsampling by an integer factor {@code s} along one axis of symbolic size, as torch
 * computes it with {@code align_corners=False}: output {@code s*i + k} reads input position {@code
 * i + d_k} with {@code d_k = (2k + 1 - s) / (2s)}, so it mixes items {@code i-1, i, i+1} with
 * weights that depend on the phase {@code k} only (positions before the first item or past the last
 * are clamped, which is what repeating the edge items gives).
 *
 * <p>So the result is a grouped convolution of the edge-padded input with {@code s} three-tap
 * filters per channel, whose {@code s} output channels per channel are interleaved along the axis
 * with {@code reshape}/{@code transpose}/{@code reshape}. The edges are cut with {@code
 * tract_core_dyn_slice}, whose size is exact in tract (NNEF's {@code slice} gives sizes with {@code
 * min}, which the final reshape could not match), and the convolution is unpadded, so every size
 * tract derives is the one written in the reshapes.
 */
final class LinearPhases {
    private LinearPhases() {}

    /**
     * @param ctx the translation
     * @param x the input
     * @param dims its shape (N, C, spatial...), the channel count known
     * @param axis the spatial axis to upsample
     * @param factor the integer factor, at least 2
     * @return the invocation computing the upsampled tensor (the last reshape)
     * @throws TranslationException if the channel count is symbolic or tract extensions are refused
     */
    static Invocation upsample(TranslationContext ctx, Expr x, List<Dim> dims, int axis, int factor)
            throws TranslationException {
        Dim channels = dims.get(1);
        if (!channels.isConstant()) {
            throw new TranslationException(
                    "linear upsampling of a symbolic size needs a known channel count, not "
                            + channels);
        }
        int rank = dims.size();
        int c = Math.toIntExact(channels.constant());
        Dim n = dims.get(axis);
        Expr first = edge(ctx, x, axis, Dim.of(0));
        Expr last = edge(ctx, x, axis, n.minus(1));
        Expr padded =
                ctx.nnef()
                        .temp(
                                "edged",
                                Invocation.builder("concat")
                                        .arg(Expr.array(first, x, last))
                                        .arg("axis", axis)
                                        .build());

        long[] filterShape = new long[rank];
        Arrays.fill(filterShape, 1);
        filterShape[0] = (long) c * factor;
        filterShape[axis] = 3;
        float[] taps = new float[c * factor * 3];
        for (int ch = 0; ch < c; ch++) {
            for (int k = 0; k < factor; k++) {
                float[] w = phase(k, factor);
                System.arraycopy(w, 0, taps, (ch * factor + k) * 3, 3);
            }
        }
        Expr filter =
                ctx.nnef()
                        .computedVariable(
                                "phases",
                                ElementType.SCALAR,
                                TensorData.ofFloats(filterShape, taps));
        List<Expr> noPadding = new ArrayList<>();
        for (int i = 2; i < rank; i++) {
            noPadding.add(Expr.tuple(Expr.of(0), Expr.of(0)));
        }
        long[] ones = new long[rank - 2];
        Arrays.fill(ones, 1);
        Expr phases =
                ctx.nnef()
                        .temp(
                                "phases",
                                Invocation.builder("conv")
                                        .arg(padded)
                                        .arg(filter)
                                        .arg(Expr.of(0.0f))
                                        .arg("border", "constant")
                                        .arg("padding", Expr.array(noPadding))
                                        .arg("stride", Expr.ints(ones))
                                        .arg("dilation", Expr.ints(ones))
                                        .arg("groups", c)
                                        .build());

        // [N, C*s, ...] -> [N, C, s, ...] -> the s axis moved right after the upsampled axis ->
        // merged into it
        List<Dim> split = new ArrayList<>(dims);
        split.add(2, Dim.of(factor));
        Expr grouped =
                ctx.nnef()
                        .temp(
                                "phases",
                                Invocation.builder("reshape")
                                        .arg(phases)
                                        .arg("shape", ctx.nnef().dims(split))
                                        .build());
        long[] order = new long[rank + 1];
        int o = 0;
        for (int i = 0; i <= rank; i++) {
            if (i != 2) {
                order[o++] = i;
            }
            if (i == axis + 1) {
                order[o++] = 2;
            }
        }
        Expr interleaved =
                ctx.nnef()
                        .temp(
                                "interleaved",
                                Invocation.builder("transpose")
                                        .arg(grouped)
                                        .arg("axes", Expr.ints(order))
                                        .build());
        List<Dim> out = new ArrayList<>(dims);
        out.set(axis, n.times(factor));
        return Invocation.builder("reshape")
                .arg(interleaved)
                .arg("shape", ctx.nnef().dims(out))
                .build();
    }

    /**
     * The weights of phase {@code k} on items {@code i-1, i, i+1}: {@code 1-d, d} on {@code i, i+1}
     * for {@code d >= 0}, {@code -d, 1+d} on {@code i-1, i} otherwise. {@code d} is exact for
     * factors that are powers of two; torch's float32 positions differ from it by rounding
     * otherwise.
     */
    static float[] phase(int k, int factor) {
        double d = (2.0 * k + 1 - factor) / (2.0 * factor);
        return d >= 0
                ? new float[] {0f, (float) (1 - d), (float) d}
                : new float[] {(float) -d, (float) (1 + d), 0f};
    }

    /** The item at {@code at} along {@code axis}, of exact size 1 in tract. */
    private static Expr edge(TranslationContext ctx, Expr x, int axis, Dim at)
            throws TranslationException {
        return ctx.nnef()
                .temp(
                        "edge",
                        Invocation.builder(ctx.tract().tractOp("tract_core_dyn_slice"))
                                .arg(x)
                                .arg("start", ctx.nnef().dim(at))
                                .arg("end", ctx.nnef().dim(at.plus(1)))
                                .arg("len", Expr.of(1))
                                .arg("axis", Expr.of(axis))
                                .build());
    }
}
