package org.torch2nnef.export.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.torch2nnef.export.OpFamily;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.Value;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;

/**
 * Convolutions: {@code _convolution}, {@code conv1d/2d/3d}, {@code _convolution_mode} ({@code padding='same'/'valid'})
 * and {@code conv_transpose1d/2d/3d} as NNEF {@code conv} / {@code deconv} with explicit padding,
 * stride, dilation and groups. Biases become {@code [1, C]} as NNEF requires.
 *
 * <p>Transposed weights: torch stores {@code [C_in, C_out/g, k...]}; tract's {@code deconv} reads
 * {@code [C_out, C_in/g, k...]}, so the weight is regrouped in the graph (tract folds it).
 * {@code output_padding} (extra rows at the end) becomes a smaller end padding {@code p - op}; beyond
 * the full output, the extra rows are appended with {@code pad} and the bias added afterwards.
 */
public final class ConvolutionOps implements OpFamily {

    /** Where each argument sits in one op's schema. */
    private record Layout(int stride, int padding, int dilation, int transposed, int outputPadding, int groups) {
    }

    private static final Layout CONVOLUTION = new Layout(3, 4, 5, 6, 7, 8);
    private static final Layout CONV = new Layout(3, 4, 5, -1, -1, 6);
    private static final Layout CONV_TRANSPOSE = new Layout(3, 4, 7, -1, 5, 6);

    @Override
    public void register(OpRegistry r) {
        r.register("aten::_convolution", (node, ctx) -> convolution(node, ctx, CONVOLUTION, false));
        // _convolution_mode is what nn.Conv traces to with padding='same' / 'valid'
        r.register((node, ctx) -> convolution(node, ctx, CONV, false),
                "aten::conv1d", "aten::conv2d", "aten::conv3d", "aten::_convolution_mode");
        r.register((node, ctx) -> convolution(node, ctx, CONV_TRANSPOSE, true),
                "aten::conv_transpose1d", "aten::conv_transpose2d", "aten::conv_transpose3d");
    }

    private static void convolution(Node node, TranslationContext ctx, Layout layout, boolean transposedOp)
            throws TranslationException {
        Value x = Args.get(node, "input", 0);
        Value w = Args.get(node, "weight", 1);
        Optional<Value> bias = Args.optional(node, "bias", 2).filter(b -> !ctx.isNone(b));
        Shape wShape = ctx.shape(w);
        int spatial = wShape.rank() - 2;
        if (spatial < 1 || ctx.rank(x) != wShape.rank()) {
            throw new TranslationException("convolution of a rank-" + ctx.rank(x) + " input with a rank-" + wShape.rank()
                    + " weight; only batched inputs (N, C, ...) are supported");
        }
        boolean transposed = transposedOp
                || (layout.transposed >= 0 && ctx.boolArg(Args.get(node, "transposed", layout.transposed)));
        long[] stride = ctx.intList(Args.get(node, "stride", layout.stride), spatial);
        long[] dilation = ctx.intList(Args.get(node, "dilation", layout.dilation), spatial);
        long groups = ctx.intArg(Args.get(node, "groups", layout.groups));
        long[] outputPadding = layout.outputPadding >= 0
                ? ctx.intList(Args.get(node, "output_padding", layout.outputPadding), spatial) : new long[spatial];
        Padding padding = padding(node, ctx, layout, wShape, spatial, dilation, outputPadding, transposed);

        Expr filter = transposed ? regroupTransposedWeight(ctx, w, wShape, groups) : ctx.tensor(w);
        // output rows beyond the full transposed convolution get no input: they hold only the bias,
        // so the bias is added after padding them with zeros
        boolean biasAfter = bias.isPresent() && padding.extendsOutput();
        Expr b = bias.isPresent() && !biasAfter
                ? ctx.temp("bias", Invocation.builder("unsqueeze").arg(ctx.tensor(bias.get())).arg("axes", Expr.ints(0)).build())
                : Expr.of(0.0f);
        Invocation conv = Invocation.builder(transposed ? "deconv" : "conv")
                .arg(ctx.tensor(x)).arg(filter).arg(b)
                .arg("border", "constant")
                .arg("padding", Expr.array(padding.pairs()))
                .arg("stride", Expr.ints(stride))
                .arg("dilation", Expr.ints(dilation))
                .arg("groups", groups)
                .build();
        if (!padding.extendsOutput()) {
            ctx.define(node.output(0), conv);
            return;
        }
        List<Expr> extension = new ArrayList<>(List.of(Expr.tuple(Expr.of(0), Expr.of(0)), Expr.tuple(Expr.of(0), Expr.of(0))));
        for (long e : padding.extraEnd()) {
            extension.add(Expr.tuple(Expr.of(0), Expr.of(e)));
        }
        Invocation padded = Invocation.builder("pad").arg(ctx.temp("deconv", conv)).arg("padding", Expr.array(extension))
                .arg("border", "constant").arg("value", Expr.of(0.0f)).build();
        if (!biasAfter) {
            ctx.define(node.output(0), padded);
            return;
        }
        long[] biasShape = new long[spatial + 2];
        java.util.Arrays.fill(biasShape, 1);
        biasShape[1] = -1;
        Expr channelBias = ctx.temp("bias", Invocation.builder("reshape").arg(ctx.tensor(bias.get()))
                .arg("shape", Expr.ints(biasShape)).build());
        ctx.define(node.output(0), Invocation.of("add", ctx.temp("padded", padded), channelBias));
    }

    /**
     * NNEF padding per spatial axis, and how many rows to append after a transposed convolution
     * whose {@code output_padding} exceeds its end padding.
     */
    private record Padding(List<Expr> pairs, long[] extraEnd) {
        boolean extendsOutput() {
            return java.util.Arrays.stream(extraEnd).anyMatch(e -> e > 0);
        }
    }

    /** {@code (before, after)} per spatial axis: torch's symmetric padding, 'same', 'valid', or less at the end for output_padding. */
    private static Padding padding(Node node, TranslationContext ctx, Layout layout, Shape wShape, int spatial,
            long[] dilation, long[] outputPadding, boolean transposed) throws TranslationException {
        Value padArg = Args.get(node, "padding", layout.padding);
        Optional<Object> mode = ctx.known(padArg).filter(String.class::isInstance);
        long[] before = new long[spatial];
        long[] after = new long[spatial];
        if (mode.isPresent()) {
            if (mode.get().equals("same")) {
                for (int i = 0; i < spatial; i++) {
                    long k = wShape.dims().get(2 + i).constant();
                    long total = dilation[i] * (k - 1);
                    before[i] = total / 2; // torch pads the odd extra unit at the end
                    after[i] = total - before[i];
                }
            } else if (!mode.get().equals("valid")) {
                throw new TranslationException("unknown convolution padding mode '" + mode.get() + "'");
            }
        } else {
            long[] p = ctx.intList(padArg, spatial);
            for (int i = 0; i < spatial; i++) {
                before[i] = p[i];
                after[i] = p[i];
            }
        }
        List<Expr> out = new ArrayList<>(spatial);
        long[] extra = new long[spatial];
        for (int i = 0; i < spatial; i++) {
            long end = after[i];
            if (transposed) {
                end -= outputPadding[i];
                if (end < 0) {
                    extra[i] = -end;
                    end = 0;
                }
            } else if (outputPadding[i] != 0) {
                throw new TranslationException("output_padding on a non-transposed convolution");
            }
            out.add(Expr.tuple(Expr.of(before[i]), Expr.of(end)));
        }
        return new Padding(out, extra);
    }

    /** torch {@code [C_in, C_out/g, k...]} to {@code [C_out, C_in/g, k...]}, group by group. */
    private static Expr regroupTransposedWeight(TranslationContext ctx, Value w, Shape shape, long groups)
            throws TranslationException {
        if (!shape.isConcrete()) {
            throw new TranslationException("transposed convolution weight of symbolic shape " + shape);
        }
        long[] s = shape.toLongArray();
        int rank = s.length;
        Expr weight = ctx.tensor(w);
        if (groups == 1) {
            long[] perm = new long[rank];
            for (int i = 0; i < rank; i++) {
                perm[i] = i;
            }
            perm[0] = 1;
            perm[1] = 0;
            return ctx.temp("filter", Invocation.builder("transpose").arg(weight).arg("axes", Expr.ints(perm)).build());
        }
        long[] grouped = new long[rank + 1];
        grouped[0] = groups;
        grouped[1] = s[0] / groups;
        grouped[2] = s[1];
        System.arraycopy(s, 2, grouped, 3, rank - 2);
        long[] perm = new long[rank + 1];
        for (int i = 0; i <= rank; i++) {
            perm[i] = i;
        }
        perm[1] = 2;
        perm[2] = 1;
        long[] target = new long[rank];
        target[0] = s[1] * groups;
        target[1] = s[0] / groups;
        System.arraycopy(s, 2, target, 2, rank - 2);
        Expr g = ctx.temp("filter_groups", Invocation.builder("reshape").arg(weight).arg("shape", Expr.ints(grouped)).build());
        Expr t = ctx.temp("filter_swapped", Invocation.builder("transpose").arg(g).arg("axes", Expr.ints(perm)).build());
        return ctx.temp("filter", Invocation.builder("reshape").arg(t).arg("shape", Expr.ints(target)).build());
    }
}
