package org.torch2nnef.export.ops;

import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;

/**
 * A matrix applied along one axis of a batched tensor, as {@code --nnef-spec-strict} writes it: the
 * axis becomes the channels of a 1x..x1 {@code conv}. A {@code matmul} whose operands' batch axes
 * differ (a {@code [1, out, in]} weight against a {@code [B, S, in]} input) is valid NNEF, but
 * NNEF-Tools' runtime steps through both operands' batches alike and reads past the smaller one
 * (operations.h, {@code matmul}), so its results are wrong for {@code B > 1}.
 */
final class AxisProjection {
    /** The highest rank NNEF-Tools' runtime convolves (three spatial axes). */
    static final int MAX_RANK = 5;

    private AxisProjection() {}

    /**
     * @return whether a product of a rank-{@code rank} input with a broadcast matrix is written as
     *     a convolution: under {@code --nnef-spec-strict}, for ranks 3 to {@link #MAX_RANK}
     */
    static boolean applies(TranslationContext ctx, int rank) {
        return ctx.tract().isStrict() && rank >= 3 && rank <= MAX_RANK;
    }

    /**
     * {@code y} with {@code y[..., o at axis, ...] = sum_i filter[o, i] x[..., i at axis, ...] +
     * bias[o]}.
     *
     * @param ctx the translation
     * @param x the input, of rank {@code rank}
     * @param rank its rank
     * @param axis the axis the matrix applies along
     * @param filter the matrix as a conv filter {@code [out, in, 1, ...]} of rank {@code rank}
     * @param bias {@code [1, out]}, or {@code 0.0}
     * @return the last invocation
     */
    static Invocation along(
            TranslationContext ctx, Expr x, int rank, int axis, Expr filter, Expr bias) {
        long[] perm = new long[rank];
        long[] inverse = new long[rank];
        perm[0] = 0;
        perm[1] = axis;
        for (int i = 1, j = 2; i < rank; i++) {
            if (i != axis) {
                perm[j++] = i;
            }
        }
        for (int i = 0; i < rank; i++) {
            inverse[(int) perm[i]] = i;
        }
        Expr channels =
                ctx.nnef()
                        .temp(
                                "channels",
                                Invocation.builder("transpose")
                                        .arg(x)
                                        .arg("axes", Expr.ints(perm))
                                        .build());
        Expr conv =
                ctx.nnef()
                        .temp(
                                "projected",
                                Invocation.builder("conv")
                                        .arg(channels)
                                        .arg(filter)
                                        .arg(bias)
                                        .arg("border", "constant")
                                        .build());
        return Invocation.builder("transpose").arg(conv).arg("axes", Expr.ints(inverse)).build();
    }

    /**
     * A broadcast matrix {@code [1, ..., rows, cols]} of rank {@code rank} as a conv filter: {@code
     * [rows, cols, 1, ...]}, or {@code [cols, rows, 1, ...]} when {@code transposed}.
     */
    static Expr filter(TranslationContext ctx, Expr matrix, int rank, boolean transposed) {
        long[] axes = new long[rank];
        axes[0] = transposed ? rank - 1 : rank - 2;
        axes[1] = transposed ? rank - 2 : rank - 1;
        for (int i = 2; i < rank; i++) {
            axes[i] = i - 2;
        }
        return ctx.nnef()
                .temp(
                        "filter",
                        Invocation.builder("transpose")
                                .arg(matrix)
                                .arg("axes", Expr.ints(axes))
                                .build());
    }
}
