package org.torch2nnef.export.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
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

/**
 * Upsampling as {@code F.interpolate} traces it: {@code upsample_nearest1d/2d}, {@code
 * upsample_linear1d}, {@code upsample_bilinear2d}, by output size or scale factors, with {@code
 * align_corners} true or false; all in standard NNEF.
 *
 * <p>Nearest upsampling by integer factors repeats every item: {@code unsqueeze}, {@code tile},
 * {@code reshape} (exact, and the spatial sizes may be symbolic). Every other case is separable
 * interpolation by a constant matrix per spatial axis (a variable), applied with {@code matmul}:
 * the matrix holds torch's sampling positions and weights, computed here in float32 as torch's CPU
 * kernels do. Linear upsampling by an integer factor (without align_corners) along an axis of
 * symbolic size is a grouped convolution with one filter per phase ({@link LinearPhases}). NNEF's
 * own {@code nearest_upsample} / {@code multilinear_upsample} are not used: tract 0.21 and 0.22
 * declare them without implementing them, and they only cover integer factors.
 */
public final class ResizeOps implements OpFamily {
    /** The highest rank NNEF-Tools' runtime tiles ({@code nnef-infer}: "tile with rank = 6"). */
    private static final int KHRONOS_MAX_TILE_RANK = 5;

    @Override
    public void register(OpRegistry r) {
        r.op(
                        "aten::upsample_nearest1d.vec(Tensor input, int[]? output_size, float[]? scale_factors) -> Tensor")
                .overload(
                        "aten::upsample_nearest1d(Tensor self, int[1] output_size, float? scales=None) -> Tensor")
                .shape(ResizeOps::upsampleShape)
                .translate((node, ctx) -> resize(node, ctx, false));
        r.op(
                        "aten::upsample_nearest2d.vec(Tensor input, int[]? output_size, float[]? scale_factors) -> Tensor")
                .overload(
                        "aten::upsample_nearest2d(Tensor self, int[2] output_size, float? scales_h=None, float? scales_w=None) -> Tensor")
                .shape(ResizeOps::upsampleShape)
                .translate((node, ctx) -> resize(node, ctx, false));
        r.op(
                        "aten::upsample_linear1d.vec(Tensor input, int[]? output_size, bool align_corners, float[]? scale_factors) -> Tensor")
                .overload(
                        "aten::upsample_linear1d(Tensor self, int[1] output_size, bool align_corners, float? scales=None) -> Tensor")
                .shape(ResizeOps::upsampleShape)
                .translate((node, ctx) -> resize(node, ctx, true));
        r.op(
                        "aten::upsample_bilinear2d.vec(Tensor input, int[]? output_size, bool align_corners, float[]? scale_factors) -> Tensor")
                .overload(
                        "aten::upsample_bilinear2d(Tensor self, int[2] output_size, bool align_corners, float? scales_h=None, float? scales_w=None) -> Tensor")
                .shape(ResizeOps::upsampleShape)
                .translate((node, ctx) -> resize(node, ctx, true));
    }

    /**
     * Upsampling by output size or scale factor (the {@code .vec} overloads, as {@code
     * F.interpolate} traces).
     */
    private static void upsampleShape(NodeTypes n) {
        TensorType t = n.tensor(0);
        String kind = n.node().kind();
        int spatial = kind.endsWith("2d") ? 2 : 1;
        if (t.rank() != spatial + 2) {
            throw new ShapeInferenceException(
                    kind + " needs a rank " + (spatial + 2) + " input, got " + t.shape());
        }
        List<Dim> out = new ArrayList<>(t.shape().dims().subList(0, 2));
        int sizeArg = n.at("output_size");
        boolean vec = n.has("scale_factors");
        if (!n.isNone(sizeArg)) {
            List<Dim> size = n.dims(sizeArg);
            if (size.size() != spatial) {
                throw new ShapeInferenceException(
                        "output_size " + size + " for " + spatial + " axes");
            }
            out.addAll(size);
        } else if (vec && !n.isNone(n.at("scale_factors"))) {
            int scaleArg = n.at("scale_factors");
            List<Object> scales =
                    n.input(scaleArg)
                            .knownList()
                            .orElseThrow(
                                    () ->
                                            new ShapeInferenceException(
                                                    "scale_factors "
                                                            + n.input(scaleArg).name()
                                                            + " are not known"));
            for (int i = 0; i < spatial; i++) {
                Object s = scales.get(scales.size() == 1 ? 0 : i);
                out.add(scaled(t.shape().dims().get(2 + i), s));
            }
        } else {
            throw new ShapeInferenceException(kind + " has neither output_size nor scale_factors");
        }
        n.output(0, t.dtype(), new Shape(out));
    }

    /** {@code floor(L * scale)}, exact when the scale is an integer. */
    private static Dim scaled(Dim l, Object scale) {
        double s =
                scale instanceof Double d
                        ? d
                        : scale instanceof Dim d && d.isConstant() ? d.constant() : Double.NaN;
        if (Double.isNaN(s) || scale == Value.UNKNOWN_ELEMENT) {
            throw new ShapeInferenceException("scale factor " + scale + " is not a known number");
        }
        if (s == Math.rint(s)) {
            return l.times((long) s);
        }
        if (l.isConstant()) {
            return Dim.of((long) Math.floor(l.constant() * s));
        }
        throw new ShapeInferenceException(
                "the symbolic size "
                        + l
                        + " scaled by the non-integer "
                        + s
                        + " has no exact formula");
    }

    private static void resize(Node node, TranslationContext ctx, boolean linear)
            throws TranslationException {
        Value x = node.input(0);
        Shape in = ctx.types().shape(x);
        Shape out = ctx.types().shape(node.output(0));
        int spatial = node.kind().endsWith("2d") ? 2 : 1;
        if (in.rank() != spatial + 2) {
            throw new TranslationException(
                    node.kind()
                            + " needs a rank-"
                            + (spatial + 2)
                            + " input (N, C, ...), got "
                            + in);
        }
        boolean alignCorners = linear && ctx.values().boolArg(Args.get(node, "align_corners", 2));
        Optional<double[]> factors = scaleFactors(node, ctx, spatial, linear);
        if (!linear) {
            Optional<long[]> repeats = integerFactors(in, out, factors, spatial);
            if (repeats.isPresent()) {
                repeatItems(node, ctx, x, in, out, repeats.get());
                return;
            }
        }
        List<Integer> axes = new ArrayList<>();
        for (int i = spatial - 1; i >= 0; i--) {
            int axis = 2 + i;
            if (!in.dims().get(axis).equals(out.dims().get(axis))
                    || factors.map(f -> f[axisIndex(f, spatial, axis)] != 1.0).orElse(false)) {
                axes.add(axis);
            }
        }
        if (axes.isEmpty()) {
            ctx.nnef().alias(node.output(0), x);
            return;
        }
        Expr y = ctx.nnef().tensor(x);
        List<Dim> dims = new ArrayList<>(in.dims());
        // last axis first: right-multiplied by [in, out]; the axis before it left-multiplied by
        // [out, in]
        for (int axis : axes) {
            Dim inSize = in.dims().get(axis);
            Dim outSize = out.dims().get(axis);
            Optional<Double> factor = factors.map(f -> f[axisIndex(f, spatial, axis)]);
            Invocation step;
            if (inSize.isConstant() && outSize.isConstant()) {
                step =
                        byMatrix(
                                ctx,
                                y,
                                in.rank(),
                                axis,
                                (int) inSize.constant(),
                                (int) outSize.constant(),
                                factor,
                                linear,
                                alignCorners);
            } else {
                Optional<Long> r = integerFactor(inSize, outSize, factor);
                if (!linear || alignCorners || r.isEmpty()) {
                    throw new TranslationException(
                            node.kind()
                                    + " of the symbolic size "
                                    + inSize
                                    + " -> "
                                    + outSize
                                    + " on axis "
                                    + axis
                                    + ": only upsampling by integer factors (nearest, or linear without"
                                    + " align_corners) keeps spatial sizes dynamic");
                }
                step = LinearPhases.upsample(ctx, y, dims, axis, Math.toIntExact(r.get()));
            }
            dims.set(axis, outSize);
            if (axis == axes.get(axes.size() - 1)) {
                ctx.nnef().define(node.output(0), step);
                return;
            }
            y = ctx.nnef().temp("resized", step);
        }
    }

    /**
     * Resampling along a constant-size axis: a product with the {@code [n, m]} sampling matrix
     * torch's kernel computes.
     */
    private static Invocation byMatrix(
            TranslationContext ctx,
            Expr y,
            int rank,
            int axis,
            int n,
            int m,
            Optional<Double> factor,
            boolean linear,
            boolean alignCorners) {
        float scale = sourceScale(n, m, factor, alignCorners);
        float[] weights =
                linear ? linearWeights(n, m, scale, alignCorners) : nearestWeights(n, m, scale);
        boolean last = axis == rank - 1;
        long[] shape = new long[rank];
        Arrays.fill(shape, 1);
        shape[rank - 2] = last ? n : m;
        shape[rank - 1] = last ? m : n;
        Expr matrix =
                ctx.nnef()
                        .computedVariable(
                                "weights",
                                ElementType.SCALAR,
                                TensorData.ofFloats(
                                        shape, last ? weights : transpose(weights, n, m)));
        if (AxisProjection.applies(ctx, rank)) {
            return AxisProjection.along(
                    ctx,
                    y,
                    rank,
                    axis,
                    AxisProjection.filter(ctx, matrix, rank, last),
                    Expr.of(0.0f));
        }
        return Invocation.builder("matmul").arg(last ? y : matrix).arg(last ? matrix : y).build();
    }

    private static int axisIndex(double[] factors, int spatial, int axis) {
        return factors.length == 1 ? 0 : axis - 2;
    }

    /**
     * The scale factors given to the op ({@code scale_factors}, or {@code scales_*} of the old
     * overloads).
     */
    private static Optional<double[]> scaleFactors(
            Node node, TranslationContext ctx, int spatial, boolean linear)
            throws TranslationException {
        if (node.argNames().contains("scale_factors") || !node.schemaApplied()) {
            Optional<Value> sf = Args.optional(node, "scale_factors", linear ? 3 : 2);
            if (sf.isEmpty() || ctx.values().isNone(sf.get())) {
                return Optional.empty();
            }
            Object known =
                    ctx.values()
                            .known(sf.get())
                            .orElseThrow(
                                    () ->
                                            new TranslationException(
                                                    "scale_factors "
                                                            + sf.get().describe()
                                                            + " are not known at export time"));
            List<?> list = known instanceof List<?> l ? l : List.of(known);
            double[] out = new double[list.size()];
            for (int i = 0; i < out.length; i++) {
                Object o = list.get(i);
                out[i] =
                        o instanceof Double d
                                ? d
                                : o instanceof Dim d && d.isConstant() ? d.constant() : Double.NaN;
                if (Double.isNaN(out[i]) || out[i] <= 0) {
                    throw new TranslationException(
                            "scale factor " + o + " is not a known positive number");
                }
            }
            return Optional.of(out);
        }
        String[] names =
                spatial == 1 ? new String[] {"scales"} : new String[] {"scales_h", "scales_w"};
        double[] out = new double[spatial];
        for (int i = 0; i < spatial; i++) {
            Optional<Value> s = node.input(names[i]);
            if (s.isEmpty() || ctx.values().isNone(s.get())) {
                return Optional.empty();
            }
            out[i] = ctx.values().doubleArg(s.get());
        }
        return Optional.of(out);
    }

    /** Per-axis integer factors when nearest upsampling repeats every item exactly. */
    private static Optional<long[]> integerFactors(
            Shape in, Shape out, Optional<double[]> factors, int spatial) {
        long[] repeats = new long[spatial];
        for (int i = 0; i < spatial; i++) {
            int axis = 2 + i;
            Optional<Long> r =
                    integerFactor(
                            in.dims().get(axis),
                            out.dims().get(axis),
                            factors.map(f -> f[axisIndex(f, spatial, axis)]));
            if (r.isEmpty()) {
                return Optional.empty();
            }
            repeats[i] = r.get();
        }
        return Optional.of(repeats);
    }

    /**
     * The integer {@code r} with {@code out == r * in}, when there is one and the given factor
     * (which decides torch's sampling positions) is {@code r} itself.
     */
    private static Optional<Long> integerFactor(Dim in, Dim out, Optional<Double> factor) {
        if (factor.isPresent()) {
            double f = factor.get();
            return f >= 1 && f == Math.rint(f) && in.times((long) f).provablyEquals(out)
                    ? Optional.of((long) f)
                    : Optional.empty();
        }
        Optional<Dim> ratio = out.divideExactly(in);
        return ratio.filter(r -> r.isConstant() && r.constant() >= 1).map(Dim::constant);
    }

    private static void repeatItems(
            Node node, TranslationContext ctx, Value x, Shape in, Shape out, long[] repeats)
            throws TranslationException {
        if (Arrays.stream(repeats).allMatch(r -> r == 1)) {
            ctx.nnef().alias(node.output(0), x);
            return;
        }
        int spatial = repeats.length;
        Expr source = ctx.nnef().tensor(x);
        int first = 2;
        if (ctx.tract().isStrict() && in.rank() + spatial > KHRONOS_MAX_TILE_RANK) {
            // Khronos' runtime tiles up to rank 5: batch and channels become one axis
            List<Dim> merged = new ArrayList<>();
            merged.add(Dim.of(-1));
            merged.addAll(in.dims().subList(2, in.rank()));
            source =
                    ctx.nnef()
                            .temp(
                                    "planes",
                                    Invocation.builder("reshape")
                                            .arg(source)
                                            .arg("shape", ctx.nnef().dims(merged))
                                            .build());
            first = 1;
        }
        long[] axes = new long[spatial];
        long[] tiles = new long[first + 2 * spatial];
        Arrays.fill(tiles, 1);
        for (int i = 0; i < spatial; i++) {
            axes[i] = first + 2L * i + 1;
            tiles[(int) axes[i]] = repeats[i];
        }
        Expr unsqueezed =
                ctx.nnef()
                        .temp(
                                "items",
                                Invocation.builder("unsqueeze")
                                        .arg(source)
                                        .arg("axes", Expr.ints(axes))
                                        .build());
        Expr tiled =
                ctx.nnef()
                        .temp(
                                "repeated",
                                Invocation.builder("tile")
                                        .arg(unsqueezed)
                                        .arg("repeats", Expr.ints(tiles))
                                        .build());
        List<Dim> dims = new ArrayList<>(out.dims());
        ctx.nnef()
                .define(
                        node.output(0),
                        Invocation.builder("reshape")
                                .arg(tiled)
                                .arg("shape", ctx.nnef().dims(dims))
                                .build());
    }

    /**
     * torch's scale from output to input positions: {@code 1 / factor} when a factor is given, else
     * {@code in / out}; with align_corners {@code (in - 1) / (out - 1)}.
     */
    private static float sourceScale(int n, int m, Optional<Double> factor, boolean alignCorners) {
        if (alignCorners) {
            return m > 1 ? (float) (n - 1) / (float) (m - 1) : 0f;
        }
        return factor.isPresent() ? (float) (1.0 / factor.get()) : (float) n / (float) m;
    }

    /** {@code [n, m]}: output {@code o} takes input {@code floor(o * scale)}. */
    private static float[] nearestWeights(int n, int m, float scale) {
        float[] w = new float[n * m];
        for (int o = 0; o < m; o++) {
            int src = Math.min((int) Math.floor(o * scale), n - 1);
            w[src * m + o] = 1f;
        }
        return w;
    }

    /** {@code [n, m]}: output {@code o} mixes the two inputs around its source position. */
    private static float[] linearWeights(int n, int m, float scale, boolean alignCorners) {
        float[] w = new float[n * m];
        for (int o = 0; o < m; o++) {
            float src = alignCorners ? scale * o : Math.max(scale * (o + 0.5f) - 0.5f, 0f);
            int i0 = Math.min((int) src, n - 1);
            int i1 = i0 < n - 1 ? i0 + 1 : i0;
            float lambda = Math.min(src - i0, 1f);
            w[i0 * m + o] += 1f - lambda;
            w[i1 * m + o] += lambda;
        }
        return w;
    }

    private static float[] transpose(float[] w, int n, int m) {
        float[] t = new float[w.length];
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < m; o++) {
                t[o * n + i] = w[i * m + o];
            }
        }
        return t;
    }
}
