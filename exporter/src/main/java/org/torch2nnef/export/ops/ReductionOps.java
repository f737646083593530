package org.torch2nnef.export.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.torch2nnef.export.FragmentText;
import org.torch2nnef.export.OpFamily;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.OpSchema;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType.TensorType;
import org.torch2nnef.graph.shapes.Broadcast;
import org.torch2nnef.graph.shapes.NodeTypes;
import org.torch2nnef.graph.shapes.ShapeInferenceException;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.torchscript.TorchDType;

/**
 * Reductions: {@code sum}, {@code mean}, {@code amax}, {@code amin}, {@code max}/{@code min} (all
 * items, along a dim with indices, or element-wise against a second tensor; {@code maximum} and
 * {@code minimum} are {@link ComparisonOps}'), {@code argmax}/{@code argmin} (along a dim, or over
 * the flattened tensor), {@code var}/{@code std} and the 1-, 2- and infinity norms ({@code norm},
 * {@code linalg_vector_norm}, {@code frobenius_norm}) as NNEF {@code *_reduce} ops, with {@code
 * squeeze} unless {@code keepdim}; {@code prod} through the tract extension {@code
 * tract_core_product_reduce}. An absent or empty dim list reduces every axis.
 */
public final class ReductionOps implements OpFamily {
    // the mean of squared deviations, scaled by n / (n - correction)
    private static final FragmentText.Lazy VARIANCE =
            FragmentText.lazy(
                    """
            fragment t2n_variance( x: tensor<scalar>, axes: integer[], factor: scalar ) -> ( v: tensor<scalar> )
            {
                d = x - mean_reduce(x, axes = axes);
                v = factor * mean_reduce(d * d, axes = axes);
            }""");

    @Override
    public void register(OpRegistry r) {
        // core ATen's masked softmax (torch.export of MultiheadAttention) asks whether any is set
        r.op("aten::any.dim(Tensor self, int dim, bool keepdim=False) -> Tensor")
                .shape(n -> reduceShape(n, TorchDType.BOOL))
                .translate(ReductionOps::any);
        r.op("aten::sum(Tensor self, *, ScalarType? dtype=None) -> Tensor")
                .overload(
                        "aten::sum.dim_IntList(Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor")
                .shape(n -> reduceShape(n, accumulate(n)))
                .translate((node, ctx) -> reduce(node, ctx, "sum_reduce"));
        r.op("aten::mean(Tensor self, *, ScalarType? dtype=None) -> Tensor")
                .overload(
                        "aten::mean.dim(Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor")
                .shape(n -> reduceShape(n, dtype(n).orElse(n.tensor(0).dtype())))
                .translate((node, ctx) -> reduce(node, ctx, "mean_reduce"));
        r.op("aten::prod(Tensor self, *, ScalarType? dtype=None) -> Tensor")
                .overload(
                        "aten::prod.dim_int(Tensor self, int dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor")
                .shape(n -> reduceShape(n, accumulate(n)))
                .translate(
                        (node, ctx) ->
                                reduce(node, ctx, ctx.tract().tractOp("tract_core_product_reduce")))
                .tract("tract_core_product_reduce");
        r.op("aten::amax(Tensor self, int[1] dim=[], bool keepdim=False) -> Tensor")
                .shape(n -> reduceShape(n, n.tensor(0).dtype()))
                .translate((node, ctx) -> reduce(node, ctx, "max_reduce"));
        r.op("aten::amin(Tensor self, int[1] dim=[], bool keepdim=False) -> Tensor")
                .shape(n -> reduceShape(n, n.tensor(0).dtype()))
                .translate((node, ctx) -> reduce(node, ctx, "min_reduce"));
        r.op("aten::max(Tensor self) -> Tensor")
                .overload(
                        "aten::max.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor, Tensor)")
                .overload("aten::max.other(Tensor self, Tensor other) -> Tensor")
                .shape(ReductionOps::maxMinShape)
                .translate((node, ctx) -> maxMin(node, ctx, "max"));
        r.op("aten::min(Tensor self) -> Tensor")
                .overload(
                        "aten::min.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor, Tensor)")
                .overload("aten::min.other(Tensor self, Tensor other) -> Tensor")
                .shape(ReductionOps::maxMinShape)
                .translate((node, ctx) -> maxMin(node, ctx, "min"));
        r.op("aten::argmax(Tensor self, int? dim=None, bool keepdim=False) -> Tensor")
                .shape(ReductionOps::argMaxMinShape)
                .translate((node, ctx) -> argReduce(node, ctx, "argmax_reduce"));
        r.op("aten::argmin(Tensor self, int? dim=None, bool keepdim=False) -> Tensor")
                .shape(ReductionOps::argMaxMinShape)
                .translate((node, ctx) -> argReduce(node, ctx, "argmin_reduce"));
        r.op("aten::var(Tensor self, bool unbiased=True) -> Tensor")
                .overload(
                        "aten::var.dim(Tensor self, int[1]? dim, bool unbiased=True, bool keepdim=False) -> Tensor")
                .overload(
                        "aten::var.correction(Tensor self, int[1]? dim=None, *, Scalar? correction=None, bool keepdim=False) -> Tensor")
                .shape(n -> reduceShape(n, n.tensor(0).dtype()))
                .translate((node, ctx) -> variance(node, ctx, false));
        r.op("aten::std(Tensor self, bool unbiased=True) -> Tensor")
                .overload(
                        "aten::std.dim(Tensor self, int[1]? dim, bool unbiased=True, bool keepdim=False) -> Tensor")
                .overload(
                        "aten::std.correction(Tensor self, int[1]? dim=None, *, Scalar? correction=None, bool keepdim=False) -> Tensor")
                .shape(n -> reduceShape(n, n.tensor(0).dtype()))
                .translate((node, ctx) -> variance(node, ctx, true));
        r.op("aten::norm.Scalar(Tensor self, Scalar p=2) -> Tensor")
                .overload(
                        "aten::norm.ScalarOpt_dim(Tensor self, Scalar? p, int[1] dim, bool keepdim=False) -> Tensor")
                .shape(n -> reduceShape(n, n.tensor(0).dtype()))
                .translate((node, ctx) -> norm(node, ctx, "p"));
        r.op("aten::frobenius_norm(Tensor self) -> Tensor")
                .overload(
                        "aten::frobenius_norm.dim(Tensor self, int[1] dim, bool keepdim=False) -> Tensor")
                .shape(n -> reduceShape(n, n.tensor(0).dtype()))
                .translate((node, ctx) -> norm(node, ctx, null));
        r.op(
                        "aten::linalg_vector_norm(Tensor self, Scalar ord=2, int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor")
                .shape(n -> reduceShape(n, n.tensor(0).dtype()))
                .translate((node, ctx) -> norm(node, ctx, "ord"));
    }

    /**
     * @return the dtype argument of overloads that have one, when not None
     */
    private static Optional<TorchDType> dtype(NodeTypes n) {
        return n.has("dtype") ? n.dtype(n.at("dtype")) : Optional.empty();
    }

    /** Sum-like ops accumulate integers and bools in int64 unless a dtype is given. */
    private static TorchDType accumulate(NodeTypes n) {
        TorchDType in = n.tensor(0).dtype();
        TorchDType natural = in.isFloatingPoint() ? in : TorchDType.INT64;
        return dtype(n).orElse(natural);
    }

    /**
     * Reduces the axes {@code dim} (all of them when the overload has none, or it is None), keeping
     * them with {@code keepdim}.
     */
    private static void reduceShape(NodeTypes n, TorchDType dtype) {
        TensorType t = n.tensor(0);
        boolean hasDims = n.has("dim");
        List<Dim> dims = !hasDims || n.isNone(n.at("dim")) ? List.of() : n.dims(n.at("dim"));
        boolean keepdim = hasDims && n.has("keepdim") && n.bool(n.at("keepdim"));
        n.output(0, dtype, reduced(t.shape(), dims, keepdim));
    }

    /** The shape after reducing {@code axes} (all axes when empty). */
    private static Shape reduced(Shape shape, List<Dim> axes, boolean keepdim) {
        boolean[] reduce = new boolean[shape.rank()];
        if (axes.isEmpty()) {
            Arrays.fill(reduce, true);
        }
        for (Dim a : axes) {
            reduce[Shape.normalizeAxis(a.constant(), Math.max(1, shape.rank()))] = shape.rank() > 0;
        }
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < shape.rank(); i++) {
            if (!reduce[i]) {
                out.add(shape.dims().get(i));
            } else if (keepdim) {
                out.add(Dim.of(1));
            }
        }
        return new Shape(out);
    }

    /** All values, along a dim with indices, or elementwise against another tensor. */
    private static void maxMinShape(NodeTypes n) {
        String overload = n.node().schema().map(OpSchema::overload).orElse("");
        TensorType t = n.tensor(0);
        switch (overload) {
            case "" -> n.output(0, t.dtype(), Shape.scalar());
            case "dim" -> {
                Shape s = reduced(t.shape(), List.of(n.dim(n.at("dim"))), n.bool(n.at("keepdim")));
                n.output(0, t.dtype(), s);
                n.output(1, TorchDType.INT64, s);
            }
            case "other" -> {
                TensorType other = n.tensor(n.at("other"));
                n.output(
                        0,
                        Broadcast.resultType(List.of(t, other)),
                        Broadcast.shapes(n, t.shape(), other.shape()));
            }
            default -> throw new ShapeInferenceException("unknown overload " + overload);
        }
    }

    private static void argMaxMinShape(NodeTypes n) {
        TensorType t = n.tensor(0);
        boolean keepdim = n.bool(n.at("keepdim"));
        Shape s;
        if (n.isNone(n.at("dim"))) {
            s = keepdim ? reduced(t.shape(), List.of(), true) : Shape.scalar();
        } else {
            s = reduced(t.shape(), List.of(n.dim(n.at("dim"))), keepdim);
        }
        n.output(0, TorchDType.INT64, s);
    }

    /**
     * The reduced axes and whether they are kept, of a node with (optional) {@code dim} and {@code
     * keepdim}.
     */
    private record Reduction(long[] axes, boolean keepdim) {
        Expr axesExpr() {
            return Expr.ints(axes);
        }
    }

    private static Reduction reduction(Node node, TranslationContext ctx, int dimPosition)
            throws TranslationException {
        int rank = ctx.types().rank(node.input(0));
        Optional<Value> dim =
                Args.optional(node, "dim", dimPosition).filter(v -> !ctx.values().isNone(v));
        List<Dim> dims = dim.isPresent() ? ctx.values().dimList(dim.get()) : List.of();
        long[] axes;
        if (dims.isEmpty()) {
            axes = new long[rank];
            Arrays.setAll(axes, i -> i);
        } else {
            boolean[] seen = new boolean[rank];
            for (Dim d : dims) {
                if (!d.isConstant()) {
                    throw new TranslationException("reduction over the symbolic axis " + d);
                }
                seen[Axes.normalize(d.constant(), rank)] = true;
            }
            axes = IntStream.range(0, rank).filter(i -> seen[i]).asLongStream().toArray();
        }
        Optional<Value> keep = Args.optional(node, "keepdim", dimPosition + 1);
        return new Reduction(axes, keep.isPresent() && ctx.values().boolArg(keep.get()));
    }

    private static void requireNoDtype(Node node, TranslationContext ctx)
            throws TranslationException {
        Optional<Value> dtype = node.input("dtype");
        if (dtype.isPresent() && !ctx.values().isNone(dtype.get())) {
            throw new TranslationException(
                    node.kind() + " with a dtype argument is not supported yet");
        }
    }

    private static void reduce(Node node, TranslationContext ctx, String op)
            throws TranslationException {
        requireNoDtype(node, ctx);
        Reduction r = reduction(node, ctx, 1);
        define(
                ctx,
                node.output(0),
                Invocation.builder(op)
                        .arg(ctx.nnef().tensor(node.input(0)))
                        .arg("axes", r.axesExpr())
                        .build(),
                r);
    }

    /** Whether any element along the axes is true: the max of the input as 0/1, above 0. */
    private static void any(Node node, TranslationContext ctx) throws TranslationException {
        Reduction r = reduction(node, ctx, 1);
        Expr asNumber =
                ctx.nnef()
                        .temp(
                                "as_number",
                                Invocation.builder("select")
                                        .arg(ctx.nnef().tensor(node.input(0)))
                                        .arg(Expr.of(1.0f))
                                        .arg(Expr.of(0.0f))
                                        .build());
        Expr most =
                ctx.nnef()
                        .temp(
                                "most",
                                Invocation.builder("max_reduce")
                                        .arg(asNumber)
                                        .arg("axes", r.axesExpr())
                                        .build());
        define(ctx, node.output(0), Invocation.of("gt", most, Expr.of(0.0f)), r);
    }

    /** Defines {@code out} as the kept-dims reduction {@code reduced}, squeezed unless keepdim. */
    private static void define(TranslationContext ctx, Value out, Invocation reduced, Reduction r) {
        if (r.axes.length == 0) {
            ctx.nnef().define(out, reduced); // a 0-d input: reducing no axes
        } else if (r.keepdim) {
            ctx.nnef().define(out, reduced);
        } else {
            ctx.nnef()
                    .define(
                            out,
                            Invocation.builder("squeeze")
                                    .arg(ctx.nnef().temp("reduced", reduced))
                                    .arg("axes", r.axesExpr())
                                    .build());
        }
    }

    /** {@code max(x)}, {@code max(x, dim, keepdim)} (values and indices), {@code max(x, other)}. */
    private static void maxMin(Node node, TranslationContext ctx, String op)
            throws TranslationException {
        switch (node.inputs().size()) {
            case 1 -> {
                Reduction r = reduction(node, ctx, 1);
                define(
                        ctx,
                        node.output(0),
                        Invocation.builder(op + "_reduce")
                                .arg(ctx.nnef().tensor(node.input(0)))
                                .arg("axes", r.axesExpr())
                                .build(),
                        r);
            }
            case 2 -> elementwise(node, ctx, op);
            case 3 -> {
                Reduction r = reduction(node, ctx, 1);
                Expr x = ctx.nnef().tensor(node.input(0));
                define(
                        ctx,
                        node.output(0),
                        Invocation.builder(op + "_reduce").arg(x).arg("axes", r.axesExpr()).build(),
                        r);
                if (ctx.nnef().isNeeded(node.output(1))) {
                    define(
                            ctx,
                            node.output(1),
                            Invocation.builder("arg" + op + "_reduce")
                                    .arg(x)
                                    .arg("axes", r.axesExpr())
                                    .build(),
                            r);
                }
            }
            default ->
                    throw new TranslationException(
                            node.kind() + " with " + node.inputs().size() + " arguments");
        }
    }

    private static void elementwise(Node node, TranslationContext ctx, String op)
            throws TranslationException {
        Expr[] operands = Operands.broadcast(ctx, node);
        ctx.nnef().define(node.output(0), Invocation.of(op, operands[0], operands[1]));
    }

    /** With no dim, torch reduces the flattened tensor (keepdim then keeps every axis as 1). */
    private static void argReduce(Node node, TranslationContext ctx, String op)
            throws TranslationException {
        Value x = node.input(0);
        Optional<Value> dim = Args.optional(node, "dim", 1).filter(v -> !ctx.values().isNone(v));
        if (dim.isPresent()) {
            Reduction r = reduction(node, ctx, 1);
            define(
                    ctx,
                    node.output(0),
                    Invocation.builder(op)
                            .arg(ctx.nnef().tensor(x))
                            .arg("axes", r.axesExpr())
                            .build(),
                    r);
            return;
        }
        boolean keepdim = ctx.values().boolArg(Args.get(node, "keepdim", 2));
        Expr flat =
                ctx.nnef()
                        .temp(
                                "flat",
                                Invocation.builder("reshape")
                                        .arg(ctx.nnef().tensor(x))
                                        .arg("shape", Expr.ints(-1))
                                        .build());
        Expr index =
                ctx.nnef()
                        .temp(
                                "index",
                                Invocation.builder(op).arg(flat).arg("axes", Expr.ints(0)).build());
        if (!keepdim) {
            // tract cannot reshape to the empty shape []: the index is squeezed to rank 0
            ctx.nnef()
                    .define(
                            node.output(0),
                            Invocation.builder("squeeze")
                                    .arg(index)
                                    .arg("axes", Expr.ints(0))
                                    .build());
            return;
        }
        long[] shape = new long[ctx.types().rank(x)];
        Arrays.fill(shape, 1);
        ctx.nnef()
                .define(
                        node.output(0),
                        Invocation.builder("reshape")
                                .arg(index)
                                .arg("shape", Expr.ints(shape))
                                .build());
    }

    /**
     * {@code var(x, unbiased)}, {@code var(x, dim, unbiased, keepdim)}, {@code var(x, dim,
     * correction=, keepdim)}; the correction needs the reduced item count at export time.
     */
    private static void variance(Node node, TranslationContext ctx, boolean std)
            throws TranslationException {
        Value x = node.input(0);
        Reduction r = reduction(node, ctx, 1);
        double correction = 1;
        Optional<Value> unbiased = node.input("unbiased");
        Optional<Value> corr = node.input("correction");
        if (unbiased.isPresent()) {
            correction = ctx.values().boolArg(unbiased.get()) ? 1 : 0;
        } else if (corr.isPresent() && !ctx.values().isNone(corr.get())) {
            correction = ctx.values().doubleArg(corr.get());
        }
        double factor = 1;
        if (correction != 0) {
            Shape shape = ctx.types().shape(x);
            long count = 1;
            for (long a : r.axes) {
                Dim d = shape.dims().get((int) a);
                if (!d.isConstant()) {
                    throw new TranslationException(
                            node.kind()
                                    + " with a correction over the symbolic size "
                                    + d
                                    + "; only correction=0 (unbiased=False) is supported over dynamic axes");
                }
                count *= d.constant();
            }
            factor = count / (count - correction);
        }
        Invocation v =
                Invocation.builder(ctx.nnef().fragment(VARIANCE.get()))
                        .arg(ctx.nnef().tensor(x))
                        .arg("axes", r.axesExpr())
                        .arg("factor", Expr.of((float) factor))
                        .build();
        define(
                ctx,
                node.output(0),
                std ? Invocation.of("sqrt", ctx.nnef().temp("variance", v)) : v,
                r);
    }

    /**
     * The p-norm for p = 1, 2 or infinity.
     *
     * @param orderArg the name of the order argument, or null for the Frobenius norm (p = 2)
     */
    private static void norm(Node node, TranslationContext ctx, String orderArg)
            throws TranslationException {
        requireNoDtype(node, ctx);
        double p = 2;
        int dimPosition = 1;
        if (orderArg != null) {
            Value order = Args.get(node, orderArg, 1);
            p = ctx.values().isNone(order) ? 2 : ctx.values().doubleArg(order);
            dimPosition = 2;
        }
        Reduction r = reduction(node, ctx, dimPosition);
        Expr x = ctx.nnef().tensor(node.input(0));
        Invocation reduced;
        if (p == 2) {
            Expr sum =
                    ctx.nnef()
                            .temp(
                                    "squares",
                                    Invocation.builder("sum_reduce")
                                            .arg(ctx.nnef().temp("square", Invocation.of("sqr", x)))
                                            .arg("axes", r.axesExpr())
                                            .build());
            reduced = Invocation.of("sqrt", sum);
        } else if (p == 1 || p == Double.POSITIVE_INFINITY) {
            reduced =
                    Invocation.builder(p == 1 ? "sum_reduce" : "max_reduce")
                            .arg(ctx.nnef().temp("abs", Invocation.of("abs", x)))
                            .arg("axes", r.axesExpr())
                            .build();
        } else {
            throw new TranslationException(
                    node.kind() + " of order " + p + "; only 1, 2 and infinity are supported");
        }
        define(ctx, node.output(0), reduced, r);
    }
}
