package org.torch2nnef.export.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.ObjIntConsumer;
import org.torch2nnef.export.OpDefinition;
import org.torch2nnef.export.OpFamily;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType.TensorType;
import org.torch2nnef.graph.shapes.NodeTypes;
import org.torch2nnef.graph.shapes.ShapeInferenceException;
import org.torch2nnef.nnef.model.ElementType;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.TensorData;
import org.torch2nnef.torchscript.TorchDType;

/**
 * Pooling: {@code max_pool1d/2d} (and their {@code _with_indices} forms, values only), {@code
 * avg_pool1d/2d} and {@code adaptive_avg/max_pool1d/2d} as NNEF {@code max_pool}, {@code avg_pool},
 * {@code box} and reductions, on batched {@code (N, C, ...)} or unbatched {@code (C, ...)} inputs.
 * tract reads pooling windows as {@code [1, 1, k...]} over NCHW inputs.
 *
 * <p>{@code ceil_mode} becomes extra end padding that the window ignores (border {@code ignore}).
 * For an average that counts the padding, torch divides by the part of the window inside the padded
 * input but not inside the ceil extension: the padding is written out with {@code pad} and the
 * window ignores only the extension (tract 0.22.3 also divides border {@code constant} windows by
 * their inner part only, against the NNEF spec, so {@code constant} is never used). {@code
 * divisor_override} is the mean over the zero-padded input scaled by volume / divisor ({@code box}
 * without {@code normalize} returns garbage in tract 0.22.3). Adaptive pooling with output sizes
 * that divide the input is a regular pool, output size 1 a reduction, otherwise one slice per
 * output row. Averages of quantized tensors sum the codes and round as torch's kernels do ({@link
 * QuantizedAverage}).
 */
public final class PoolingOps implements OpFamily {

    @Override
    public void register(OpRegistry r) {
        spatialOps(
                r,
                PoolingOps::poolShape,
                PoolingOps::maxPool,
                "aten::max_pool1d(Tensor self, int[1] kernel_size, int[1] stride=[], int[1] padding=0, int[1] dilation=1, bool ceil_mode=False) -> Tensor",
                "aten::max_pool2d(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0, int[2] dilation=1, bool ceil_mode=False) -> Tensor",
                "aten::max_pool1d_with_indices(Tensor self, int[1] kernel_size, int[1] stride=[], int[1] padding=0, int[1] dilation=1, bool ceil_mode=False) -> (Tensor, Tensor)",
                "aten::max_pool2d_with_indices(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0, int[2] dilation=1, bool ceil_mode=False) -> (Tensor, Tensor)");
        // tract_core_round_even: torch's rounding of a quantized average (QuantizedAverage)
        roundingOps(
                r,
                PoolingOps::poolShape,
                PoolingOps::avgPool,
                "aten::avg_pool1d(Tensor self, int[1] kernel_size, int[1] stride=[], int[1] padding=0, bool ceil_mode=False, bool count_include_pad=True) -> Tensor",
                "aten::avg_pool2d(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0, bool ceil_mode=False, bool count_include_pad=True, int? divisor_override=None) -> Tensor");
        roundingOps(
                r,
                PoolingOps::adaptiveShape,
                (node, ctx, d) -> adaptive(node, ctx, d, false),
                "aten::adaptive_avg_pool1d(Tensor self, int[1] output_size) -> Tensor",
                "aten::adaptive_avg_pool2d(Tensor self, int[2] output_size) -> Tensor");
        spatialOps(
                r,
                PoolingOps::adaptiveShape,
                (node, ctx, d) -> adaptive(node, ctx, d, true),
                "aten::adaptive_max_pool1d(Tensor self, int[1] output_size) -> (Tensor, Tensor)",
                "aten::adaptive_max_pool2d(Tensor self, int[2] output_size) -> (Tensor, Tensor)");
    }

    /** A pooling translator, given the number of pooled axes. */
    private interface SpatialTranslator {
        void translate(Node node, TranslationContext ctx, int spatial) throws TranslationException;
    }

    /**
     * Registers ops of 1 or 2 pooled axes (2 for the {@code 2d} kinds) sharing a shape rule and
     * translator.
     */
    private static void spatialOps(
            OpRegistry r,
            ObjIntConsumer<NodeTypes> shape,
            SpatialTranslator translator,
            String... signatures) {
        for (String signature : signatures) {
            spatialOp(r, shape, translator, signature);
        }
    }

    /** {@link #spatialOps} of averages, which round as torch on quantized tensors. */
    private static void roundingOps(
            OpRegistry r,
            ObjIntConsumer<NodeTypes> shape,
            SpatialTranslator translator,
            String... signatures) {
        for (String signature : signatures) {
            spatialOp(r, shape, translator, signature).tract("tract_core_round_even");
        }
    }

    private static OpDefinition.Builder spatialOp(
            OpRegistry r,
            ObjIntConsumer<NodeTypes> shape,
            SpatialTranslator translator,
            String signature) {
        int d = spatialAxes(signature);
        return r.op(signature)
                .shape(n -> shape.accept(n, d))
                .translate((node, ctx) -> translator.translate(node, ctx, d));
    }

    /**
     * @return 2 for the 2d ops of a signature, else 1
     */
    private static int spatialAxes(String signature) {
        return signature.substring(0, signature.indexOf('(')).contains("2d") ? 2 : 1;
    }

    /**
     * Max and average pooling (1d/2d, with {@code ceil_mode}). Sizes follow aten's {@code
     * pooling_output_shape}: {@code (L + 2p - d*(k-1) - 1 (+ s-1 if ceil)) // s + 1}, minus one
     * when ceil mode would start the last window inside the right padding.
     *
     * @param spatial number of pooled axes
     */
    private static void poolShape(NodeTypes n, int spatial) {
        TensorType t = n.tensor(0);
        requireSpatial(t, spatial, n);
        long[] kernel =
                ConvolutionOps.expand(n.integers(n.at("kernel_size")), spatial, "kernel_size");
        long[] strideGiven = n.integers(n.at("stride"));
        long[] stride =
                strideGiven.length == 0
                        ? kernel
                        : ConvolutionOps.expand(strideGiven, spatial, "stride");
        long[] padding = ConvolutionOps.expand(n.integers(n.at("padding")), spatial, "padding");
        // average pooling has no dilation
        long[] dilation = n.has("dilation") ? n.integers(n.at("dilation")) : new long[] {1};
        dilation = ConvolutionOps.expand(dilation, spatial, "dilation");
        boolean ceil = n.bool(n.at("ceil_mode"));
        List<Dim> out = new ArrayList<>(t.shape().dims().subList(0, t.rank() - spatial));
        for (int i = 0; i < spatial; i++) {
            Dim l = t.shape().dims().get(t.rank() - spatial + i);
            out.add(outputSize(l, kernel[i], stride[i], padding[i], dilation[i], ceil));
        }
        pooled(n, t, new Shape(out));
    }

    /** The pooled values, and their indices when the op returns them. */
    private static void pooled(NodeTypes n, TensorType t, Shape s) {
        n.output(0, t.dtype(), s);
        if (n.outputCount() > 1) {
            n.output(1, TorchDType.INT64, s);
        }
    }

    private static void requireSpatial(TensorType t, int spatial, NodeTypes n) {
        if (t.rank() != spatial + 1 && t.rank() != spatial + 2) {
            throw new ShapeInferenceException(
                    n.node().kind()
                            + " needs a rank "
                            + (spatial + 1)
                            + " or "
                            + (spatial + 2)
                            + " input, got "
                            + t.shape());
        }
    }

    private static Dim outputSize(Dim l, long k, long s, long p, long d, boolean ceil) {
        long span = d * (k - 1) + 1;
        Dim numerator = l.plus(2 * p - span);
        if (!ceil) {
            return numerator.floorDiv(s).plus(1);
        }
        Dim out = numerator.plus(s - 1).floorDiv(s).plus(1);
        // ceil mode must not start a window in the right padding: if (out-1)*s >= L + p, drop it
        Dim lastStart = out.minus(1).times(s);
        Dim limit = l.plus(p);
        if (lastStart.minus(limit).isConstant()) {
            return lastStart.minus(limit).constant() >= 0 ? out.minus(1) : out;
        }
        if (lastStart.isConstant() && limit.isConstant()) {
            return lastStart.constant() >= limit.constant() ? out.minus(1) : out;
        }
        if (p == 0 && s <= span) {
            return out; // ceil((L-span)/s)*s < L - span + s <= L: the last window always starts
            // inside
        }
        if (l.isConstant()) {
            return out;
        }
        throw new ShapeInferenceException(
                "ceil_mode pooling of the symbolic size "
                        + l
                        + " with stride "
                        + s
                        + " and padding "
                        + p
                        + " has no single formula");
    }

    private static void adaptiveShape(NodeTypes n, int spatial) {
        TensorType t = n.tensor(0);
        requireSpatial(t, spatial, n);
        List<Dim> size = n.dims(n.at("output_size"));
        if (size.size() == 1 && spatial > 1) {
            size = Collections.nCopies(spatial, size.get(0));
        }
        if (size.size() != spatial) {
            throw new ShapeInferenceException(
                    "output_size " + size + " for " + spatial + " pooled axes");
        }
        List<Dim> out = new ArrayList<>(t.shape().dims().subList(0, t.rank() - spatial));
        out.addAll(size);
        pooled(n, t, new Shape(out));
    }

    /**
     * Windows of one pooling node on its spatial axes; {@code extra} is the end padding ceil mode
     * adds.
     */
    private record Window(
            long[] kernel, long[] stride, long[] padding, long[] dilation, long[] extra) {
        long volume() {
            return Arrays.stream(kernel).reduce(1, (a, b) -> a * b);
        }
    }

    private static Window window(
            Node node, TranslationContext ctx, int spatial, int dilationArg, int ceilArg)
            throws TranslationException {
        Value x = node.input(0);
        long[] kernel = ctx.values().intList(Args.get(node, "kernel_size", 1), spatial);
        Value strideArg = Args.get(node, "stride", 2);
        long[] stride =
                ctx.values().dimList(strideArg).isEmpty()
                        ? kernel
                        : ctx.values().intList(strideArg, spatial);
        long[] padding = ctx.values().intList(Args.get(node, "padding", 3), spatial);
        long[] dilation = new long[spatial];
        Arrays.fill(dilation, 1);
        if (dilationArg >= 0) {
            dilation = ctx.values().intList(Args.get(node, "dilation", dilationArg), spatial);
        }
        boolean ceil = ctx.values().boolArg(Args.get(node, "ceil_mode", ceilArg));
        long[] extra = new long[spatial];
        if (ceil) {
            Shape in = ctx.types().shape(x);
            Shape out = ctx.types().shape(node.output(0));
            for (int i = 0; i < spatial; i++) {
                Dim length = in.dims().get(in.rank() - spatial + i);
                Dim count = out.dims().get(out.rank() - spatial + i);
                long span = dilation[i] * (kernel[i] - 1) + 1;
                // the padded length the output windows cover, beyond the input and its padding
                Dim needed =
                        count.minus(1)
                                .times(stride[i])
                                .plus(span)
                                .minus(length)
                                .minus(2 * padding[i]);
                // a symbolic length: shape inference only allows ceil mode when no window is
                // dropped,
                // and stride-1 extra items give exactly the ceil count of windows
                extra[i] = needed.isConstant() ? Math.max(0, needed.constant()) : stride[i] - 1;
            }
        }
        return new Window(kernel, stride, padding, dilation, extra);
    }

    private static void maxPool(Node node, TranslationContext ctx, int spatial)
            throws TranslationException {
        requireIndicesUnused(node, ctx);
        Window w = window(node, ctx, spatial, 4, 5);
        Batched in = Batched.of(ctx, node.input(0), spatial);
        finish(
                ctx,
                node,
                in,
                pool(
                        "max_pool",
                        in.expr,
                        w.kernel,
                        "ignore",
                        pairs(w.padding, w.extra),
                        w.stride,
                        w.dilation));
    }

    private static void avgPool(Node node, TranslationContext ctx, int spatial)
            throws TranslationException {
        Window w = window(node, ctx, spatial, -1, 4);
        boolean countPadding = ctx.values().boolArg(Args.get(node, "count_include_pad", 5));
        Optional<Value> divisor =
                Args.optional(node, "divisor_override", 6).filter(v -> !ctx.values().isNone(v));
        Batched in = Batched.of(ctx, node.input(0), spatial);
        Optional<QuantizedAverage> integer = QuantizedAverage.pooling(ctx, node.input(0), spatial);
        if (integer.isPresent()) {
            quantizedAvgPool(node, ctx, w, countPadding, divisor, in, integer.get());
            return;
        }
        long[] none = new long[spatial];
        if (divisor.isPresent()) {
            long d = ctx.values().intArg(divisor.get()); // never 0: torch rejects it when tracing
            // the window sum, as the mean over a zero-padded input times the window volume
            Expr mean = ctx.nnef().temp("mean", fullWindows(ctx, in.expr, w));
            finish(ctx, node, in, Invocation.of("mul", mean, Expr.of((float) w.volume() / d)));
        } else if (countPadding) {
            Expr padded = zeroPadded(ctx, in.expr, w.padding, none);
            finish(
                    ctx,
                    node,
                    in,
                    pool(
                            "avg_pool",
                            padded,
                            w.kernel,
                            "ignore",
                            pairs(none, w.extra),
                            w.stride,
                            w.dilation));
        } else {
            finish(
                    ctx,
                    node,
                    in,
                    pool(
                            "avg_pool",
                            in.expr,
                            w.kernel,
                            "ignore",
                            pairs(w.padding, w.extra),
                            w.stride,
                            w.dilation));
        }
    }

    /**
     * Average pooling of a quantized tensor as torch's kernels compute it ({@link
     * QuantizedAverage}): each window's sum of codes over the zero-padded input (padding and the
     * ceil extension add nothing, as torch sums only the items inside the input), times the
     * multiplier of the window's divisor: {@code divisor_override}, else the window's part inside
     * the padded input ({@code count_include_pad}) or inside the input.
     */
    private static void quantizedAvgPool(
            Node node,
            TranslationContext ctx,
            Window w,
            boolean countPadding,
            Optional<Value> divisor,
            Batched in,
            QuantizedAverage integer)
            throws TranslationException {
        Expr sum = integer.sum(ctx, fullWindows(ctx, integer.codes(ctx, in.expr), w), w.volume());
        Expr multiplier =
                divisor.isPresent()
                        ? Expr.of(integer.multiplier(ctx.values().intArg(divisor.get())))
                        : multipliers(node, ctx, w, countPadding, integer);
        finish(ctx, node, in, integer.requantized(ctx, sum, multiplier));
    }

    /**
     * The mean of each whole window over {@code x} zero-padded (padding and ceil extension): the
     * window sums divided by the window volume.
     */
    private static Invocation fullWindows(TranslationContext ctx, Expr x, Window w) {
        long[] none = new long[w.kernel.length];
        return pool(
                "avg_pool",
                zeroPadded(ctx, x, w.padding, w.extra),
                w.kernel,
                "ignore",
                pairs(none, none),
                w.stride,
                w.dilation);
    }

    /**
     * The multiplier of each output position: one scalar when every window has the same divisor,
     * else a {@code [1, 1, out...]} variable (torch divides border windows by their own sizes under
     * {@code count_include_pad=False}, and windows cut short by {@code ceil_mode}).
     */
    private static Expr multipliers(
            Node node,
            TranslationContext ctx,
            Window w,
            boolean countPadding,
            QuantizedAverage integer)
            throws TranslationException {
        int spatial = w.kernel.length;
        Shape in = ctx.types().shape(node.input(0));
        Shape out = ctx.types().shape(node.output(0));
        long[][] divisors = new long[spatial][];
        boolean uniform = true;
        for (int i = 0; i < spatial; i++) {
            Dim length = in.dims().get(in.rank() - spatial + i);
            Dim count = out.dims().get(out.rank() - spatial + i);
            boolean full = countPadding || w.padding[i] == 0;
            if (!length.isConstant() || !count.isConstant()) {
                if (ctx.values().boolArg(Args.get(node, "ceil_mode", 4)) || !full) {
                    throw new TranslationException(
                            node.kind()
                                    + " of a quantized tensor with "
                                    + (full ? "ceil_mode" : "count_include_pad=False and padding")
                                    + " over the symbolic size "
                                    + length
                                    + ": torch divides each border window by its own size, known"
                                    + " only for a fixed size");
                }
                divisors[i] = new long[] {w.kernel[i]};
                continue;
            }
            divisors[i] = new long[(int) count.constant()];
            for (int o = 0; o < divisors[i].length; o++) {
                // aten's window: [o*s - p, min(o*s - p + k, L + p)), then clipped to the input
                long start = o * w.stride[i] - w.padding[i];
                long end = Math.min(start + w.kernel[i], length.constant() + w.padding[i]);
                divisors[i][o] =
                        countPadding
                                ? end - start
                                : Math.min(end, length.constant()) - Math.max(start, 0);
                uniform &= divisors[i][o] == divisors[i][0];
            }
        }
        if (uniform) {
            long d = 1;
            for (long[] axis : divisors) {
                d *= axis[0];
            }
            return Expr.of(integer.multiplier(d));
        }
        long[] shape = new long[spatial + 2];
        shape[0] = 1;
        shape[1] = 1;
        int n = 1;
        for (int i = 0; i < spatial; i++) {
            shape[2 + i] = divisors[i].length;
            n *= divisors[i].length;
        }
        float[] values = new float[n];
        for (int j = 0; j < n; j++) {
            long d = 1;
            for (int i = spatial - 1, rest = j; i >= 0; i--) {
                d *= divisors[i][rest % divisors[i].length];
                rest /= divisors[i].length;
            }
            values[j] = integer.multiplier(d);
        }
        return ctx.nnef()
                .computedVariable(
                        "multiplier", ElementType.SCALAR, TensorData.ofFloats(shape, values));
    }

    /**
     * {@code x} with zeros written out (tract's pooling does not count border {@code constant}
     * padding).
     */
    private static Expr zeroPadded(TranslationContext ctx, Expr x, long[] padding, long[] extra) {
        if (Arrays.stream(padding).allMatch(p -> p == 0)
                && Arrays.stream(extra).allMatch(e -> e == 0)) {
            return x;
        }
        return ctx.nnef()
                .temp(
                        "padded",
                        Invocation.builder("pad")
                                .arg(x)
                                .arg("padding", Expr.array(pairs(padding, extra)))
                                .arg("border", "constant")
                                .arg("value", Expr.of(0.0f))
                                .build());
    }

    /**
     * Separable: each spatial axis is pooled on its own (a mean or max of rows of means or maxes).
     */
    private static void adaptive(Node node, TranslationContext ctx, int spatial, boolean max)
            throws TranslationException {
        requireIndicesUnused(node, ctx);
        Value x = node.input(0);
        Shape in = ctx.types().shape(x);
        Shape out = ctx.types().shape(node.output(0));
        Batched batched = Batched.of(ctx, x, spatial);
        String reduce = max ? "max_reduce" : "mean_reduce";
        int first = 2;
        long[] lengths = new long[spatial];
        long[] counts = new long[spatial];
        boolean global = true;
        boolean divisible = true;
        for (int i = 0; i < spatial; i++) {
            Dim length = in.dims().get(in.rank() - spatial + i);
            Dim count = out.dims().get(out.rank() - spatial + i);
            if (!count.isConstant()) {
                throw new TranslationException("adaptive pooling to the symbolic size " + count);
            }
            counts[i] = count.constant();
            global &= counts[i] == 1;
            if (counts[i] != 1 && !length.isConstant()) {
                throw new TranslationException(
                        "adaptive pooling of the symbolic size "
                                + length
                                + " to "
                                + counts[i]
                                + "; only output size 1 (global pooling) is supported for dynamic axes");
            }
            lengths[i] = length.isConstant() ? length.constant() : -1;
            divisible &= length.isConstant() && lengths[i] % counts[i] == 0;
        }
        boolean constantLengths = Arrays.stream(lengths).allMatch(l -> l >= 0);
        Optional<QuantizedAverage> integer =
                max || !(divisible || (global && constantLengths))
                        ? Optional.empty()
                        : QuantizedAverage.pooling(ctx, x, spatial);
        Expr pooled = integer.isPresent() ? integer.get().codes(ctx, batched.expr) : batched.expr;
        if (global || divisible) {
            long[] kernel = new long[spatial];
            for (int i = 0; i < spatial; i++) {
                kernel[i] = global ? lengths[i] : lengths[i] / counts[i];
            }
            long[] none = new long[spatial];
            long[] ones = new long[spatial];
            Arrays.fill(ones, 1);
            Invocation result =
                    global
                            ? Invocation.builder(reduce)
                                    .arg(pooled)
                                    .arg("axes", Axes.range(first, first + spatial))
                                    .build()
                            : pool(
                                    max ? "max_pool" : "avg_pool",
                                    pooled,
                                    kernel,
                                    "ignore",
                                    pairs(none, none),
                                    kernel,
                                    ones);
            if (integer.isPresent()) {
                long size = Arrays.stream(kernel).reduce(1, (a, b) -> a * b);
                result = integer.get().average(ctx, result, size);
            }
            finish(ctx, node, batched, result);
            return;
        }
        Expr current = batched.expr;
        Invocation pending = null;
        for (int i = 0; i < spatial; i++) {
            if (lengths[i] == counts[i]) {
                continue;
            }
            if (pending != null) {
                current = ctx.nnef().temp("rows", pending);
            }
            pending = adaptiveAxis(ctx, current, first + i, lengths[i], counts[i], reduce);
        }
        finish(ctx, node, batched, pending);
    }

    /**
     * One axis of an adaptive pooling: row {@code j} reduces {@code [floor(j*L/n),
     * ceil((j+1)*L/n))}.
     */
    private static Invocation adaptiveAxis(
            TranslationContext ctx, Expr x, int axis, long length, long count, String reduce) {
        Expr axes = Expr.ints(axis);
        if (count == 1) {
            return Invocation.builder(reduce).arg(x).arg("axes", axes).build();
        }
        List<Expr> rows = new ArrayList<>((int) count);
        for (long j = 0; j < count; j++) {
            long begin = Math.floorDiv(j * length, count);
            long end = -Math.floorDiv(-(j + 1) * length, count);
            Expr slice =
                    ctx.nnef()
                            .temp(
                                    "window",
                                    Invocation.builder("slice")
                                            .arg(x)
                                            .arg("axes", axes)
                                            .arg("begin", Expr.ints(begin))
                                            .arg("end", Expr.ints(end))
                                            .build());
            rows.add(
                    ctx.nnef()
                            .temp(
                                    "row",
                                    Invocation.builder(reduce)
                                            .arg(slice)
                                            .arg("axes", axes)
                                            .build()));
        }
        return Invocation.builder("concat").arg(Expr.array(rows)).arg("axis", axis).build();
    }

    private static void requireIndicesUnused(Node node, TranslationContext ctx)
            throws TranslationException {
        if (node.outputs().size() > 1 && ctx.nnef().isNeeded(node.output(1))) {
            throw new TranslationException(
                    "the indices output of "
                            + node.kind()
                            + " is used; only the pooled values"
                            + " are exported");
        }
    }

    /** An NNEF pooling over the spatial axes of a batched {@code (N, C, ...)} input. */
    private static Invocation pool(
            String op,
            Expr x,
            long[] kernel,
            String border,
            List<Expr> padding,
            long[] stride,
            long[] dilation) {
        return poolBuilder(op, x, kernel, border, padding, stride, dilation).build();
    }

    private static Invocation.Builder poolBuilder(
            String op,
            Expr x,
            long[] kernel,
            String border,
            List<Expr> padding,
            long[] stride,
            long[] dilation) {
        return Invocation.builder(op)
                .arg(x)
                .arg("size", withBatchAxes(kernel))
                .arg("border", border)
                .arg("padding", Expr.array(padding))
                .arg("stride", withBatchAxes(stride))
                .arg("dilation", withBatchAxes(dilation));
    }

    private static Expr withBatchAxes(long[] spatial) {
        long[] out = new long[spatial.length + 2];
        out[0] = 1;
        out[1] = 1;
        System.arraycopy(spatial, 0, out, 2, spatial.length);
        return Expr.ints(out);
    }

    /** {@code (0, 0)} for N and C, then {@code (before, after + extra)} per spatial axis. */
    private static List<Expr> pairs(long[] symmetric, long[] extra) {
        return pairs(symmetric, symmetric, extra);
    }

    private static List<Expr> pairs(long[] before, long[] after, long[] extra) {
        List<Expr> out =
                new ArrayList<>(
                        List.of(
                                Expr.tuple(Expr.of(0), Expr.of(0)),
                                Expr.tuple(Expr.of(0), Expr.of(0))));
        for (int i = 0; i < before.length; i++) {
            out.add(Expr.tuple(Expr.of(before[i]), Expr.of(after[i] + extra[i])));
        }
        return out;
    }

    /**
     * The pooled input with a batch axis: unbatched {@code (C, ...)} inputs get a leading unit
     * axis.
     */
    private record Batched(Expr expr, boolean added) {
        static Batched of(TranslationContext ctx, Value x, int spatial)
                throws TranslationException {
            int rank = ctx.types().rank(x);
            if (rank == spatial + 2) {
                return new Batched(ctx.nnef().tensor(x), false);
            }
            if (rank != spatial + 1) {
                throw new TranslationException(
                        ctx.node().kind()
                                + " needs a rank "
                                + (spatial + 1)
                                + " or "
                                + (spatial + 2)
                                + " input, got "
                                + ctx.types().shape(x));
            }
            return new Batched(
                    ctx.nnef()
                            .temp(
                                    "batched",
                                    Invocation.builder("unsqueeze")
                                            .arg(ctx.nnef().tensor(x))
                                            .arg("axes", Expr.ints(0))
                                            .build()),
                    true);
        }
    }

    private static void finish(TranslationContext ctx, Node node, Batched in, Invocation pooled) {
        if (!in.added) {
            ctx.nnef().define(node.output(0), pooled);
            return;
        }
        ctx.nnef()
                .define(
                        node.output(0),
                        Invocation.builder("squeeze")
                                .arg(ctx.nnef().temp("pooled", pooled))
                                .arg("axes", Expr.ints(0))
                                .build());
    }
}
