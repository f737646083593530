package org.torch2nnef.export.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
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
import org.torch2nnef.graph.shapes.KnownArithmetic;
import org.torch2nnef.graph.shapes.NodeTypes;
import org.torch2nnef.graph.shapes.ShapeInferenceException;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;

/**
 * Layout ops: {@code view}, {@code reshape}, {@code flatten}, {@code transpose}, {@code t}, {@code
 * permute}, {@code squeeze}, {@code unsqueeze} (NNEF {@code reshape}, {@code transpose}, {@code
 * squeeze}, {@code unsqueeze}), and the identities {@code contiguous}, {@code clone}, {@code
 * detach}, eval-mode {@code dropout}.
 */
public final class ShapeOps implements OpFamily {

    @Override
    public void register(OpRegistry r) {
        r.op("aten::view(Tensor self, int[] size) -> Tensor")
                .shape(
                        n ->
                                n.output(
                                        0,
                                        n.tensor(0).dtype(),
                                        reshapeShape(n.tensor(0).shape(), n.dims(n.at("size")))))
                .translate(ShapeOps::reshape);
        r.op("aten::reshape(Tensor self, int[] shape) -> Tensor")
                .shape(
                        n ->
                                n.output(
                                        0,
                                        n.tensor(0).dtype(),
                                        reshapeShape(n.tensor(0).shape(), n.dims(n.at("shape")))))
                .translate(ShapeOps::reshape);
        r.op("aten::view_as(Tensor self, Tensor other) -> Tensor")
                .shape(ShapeOps::reshapeAsShape)
                .translate(ShapeOps::reshape);
        r.op("aten::reshape_as(Tensor self, Tensor other) -> Tensor")
                .shape(ShapeOps::reshapeAsShape)
                .translate(ShapeOps::reshape);
        r.op("aten::flatten.using_ints(Tensor self, int start_dim=0, int end_dim=-1) -> Tensor")
                .shape(ShapeOps::flattenShape)
                .translate(ShapeOps::flatten);
        r.op("aten::transpose.int(Tensor self, int dim0, int dim1) -> Tensor")
                .shape(ShapeOps::transposeShape)
                .translate(ShapeOps::transpose);
        r.op("aten::t(Tensor self) -> Tensor")
                .shape(ShapeOps::matrixTransposeShape)
                .translate(ShapeOps::matrixTranspose);
        r.op("aten::permute(Tensor self, int[] dims) -> Tensor")
                .shape(ShapeOps::permuteShape)
                .translate(ShapeOps::permute);
        r.op("aten::squeeze(Tensor self) -> Tensor")
                .overload("aten::squeeze.dim(Tensor self, int dim) -> Tensor")
                .overload("aten::squeeze.dims(Tensor self, int[] dim) -> Tensor")
                .shape(ShapeOps::squeezeShape)
                .translate(ShapeOps::squeeze);
        // torch 2's MultiheadAttention (torch.export's pre-dispatch programs)
        r.op("aten::unflatten.int(Tensor self, int dim, int[] sizes) -> Tensor")
                .shape(ShapeOps::unflattenShape)
                .translate(ShapeOps::reshape);
        r.op("aten::unsqueeze(Tensor self, int dim) -> Tensor")
                .shape(ShapeOps::unsqueezeShape)
                .translate(ShapeOps::unsqueeze);
        r.op(
                        "aten::contiguous(Tensor self, *, MemoryFormat memory_format=contiguous_format) -> Tensor")
                .shape(ShapeOps::identityShape)
                .translate(ShapeOps::identity);
        r.op("aten::clone(Tensor self, *, MemoryFormat? memory_format=None) -> Tensor")
                .shape(ShapeOps::identityShape)
                .translate(ShapeOps::identity);
        r.op("aten::detach(Tensor self) -> Tensor")
                .shape(ShapeOps::identityShape)
                .translate(ShapeOps::identity);
        for (String dropout :
                List.of("dropout", "feature_dropout", "alpha_dropout", "feature_alpha_dropout")) {
            r.op("aten::" + dropout + "(Tensor input, float p, bool train) -> Tensor")
                    .shape(n -> n.output(0, n.tensor(0)))
                    .translate(ShapeOps::dropout);
        }
    }

    /** An identity keeps its input's known number (a size in a 0-d tensor). */
    private static void identityShape(NodeTypes n) {
        n.output(0, n.tensor(0));
        KnownArithmetic.number(n.input(0)).ifPresent(k -> n.known(0, k));
    }

    private static void reshapeAsShape(NodeTypes n) {
        Shape target = n.tensor(n.at("other")).shape();
        reshapeShape(n.tensor(0).shape(), target.dims());
        n.output(0, n.tensor(0).dtype(), target);
    }

    /**
     * @param in the input shape
     * @param target the requested sizes, at most one {@code -1}
     * @return the output shape
     */
    private static Shape reshapeShape(Shape in, List<Dim> target) {
        int unknown = -1;
        Dim known = Dim.of(1);
        for (int i = 0; i < target.size(); i++) {
            Dim d = target.get(i);
            if (d.equals(Dim.of(-1))) {
                if (unknown >= 0) {
                    throw new ShapeInferenceException(
                            "view/reshape to " + target + " has two -1 sizes");
                }
                unknown = i;
            } else {
                known = known.times(d);
            }
        }
        Dim total = in.volume();
        List<Dim> out = new ArrayList<>(target);
        if (unknown >= 0) {
            Dim missing =
                    total.divideExactly(known)
                            .orElseThrow(
                                    () ->
                                            new ShapeInferenceException(
                                                    "cannot view "
                                                            + in
                                                            + " as "
                                                            + target
                                                            + ": "
                                                            + in.volume()
                                                            + " elements are not a multiple of "
                                                            + "the known sizes' product"));
            out.set(unknown, missing);
        } else if (!known.equals(total) && known.minus(total).isConstant()) {
            throw new ShapeInferenceException(
                    "cannot view " + in + " (" + total + " elements) as " + target);
        }
        return new Shape(out);
    }

    private static void flattenShape(NodeTypes n) {
        TensorType t = n.tensor(0);
        if (t.rank() == 0) {
            n.output(0, t.dtype(), Shape.of(1));
            return;
        }
        int start = Shape.normalizeAxis(n.integer(n.at("start_dim")), t.rank());
        int end = Shape.normalizeAxis(n.integer(n.at("end_dim")), t.rank());
        if (start > end) {
            throw new ShapeInferenceException(
                    "flatten start_dim " + start + " is after end_dim " + end);
        }
        List<Dim> out = new ArrayList<>(t.shape().dims().subList(0, start));
        out.add(new Shape(t.shape().dims().subList(start, end + 1)).volume());
        out.addAll(t.shape().dims().subList(end + 1, t.rank()));
        n.output(0, t.dtype(), new Shape(out));
    }

    private static void squeezeShape(NodeTypes n) {
        TensorType t = n.tensor(0);
        List<Dim> out = new ArrayList<>();
        if (!n.has("dim")) {
            for (Dim d : t.shape().dims()) {
                if (!d.isConstant()) {
                    throw new ShapeInferenceException(
                            "squeeze() of "
                                    + t.shape()
                                    + ": whether the symbolic "
                                    + d
                                    + " is 1 is unknown");
                }
                if (d.constant() != 1) {
                    out.add(d);
                }
            }
        } else {
            List<Integer> axes = new ArrayList<>();
            for (Dim d : n.dims(n.at("dim"))) {
                axes.add(Shape.normalizeAxis(d.constant(), Math.max(1, t.rank())));
            }
            for (int i = 0; i < t.rank(); i++) {
                if (!axes.contains(i) || !t.shape().dims().get(i).equals(Dim.of(1))) {
                    out.add(t.shape().dims().get(i));
                }
            }
        }
        n.output(0, t.dtype(), new Shape(out));
    }

    /** {@code dim} split into {@code sizes} (one may be -1). */
    private static void unflattenShape(NodeTypes n) {
        TensorType t = n.tensor(0);
        int axis = Shape.normalizeAxis(n.integer(n.at("dim")), Math.max(1, t.rank()));
        List<Dim> target = new ArrayList<>(t.shape().dims().subList(0, axis));
        target.addAll(n.dims(n.at("sizes")));
        target.addAll(t.shape().dims().subList(axis + 1, t.rank()));
        n.output(0, t.dtype(), reshapeShape(t.shape(), target));
    }

    private static void unsqueezeShape(NodeTypes n) {
        TensorType t = n.tensor(0);
        int axis = Shape.normalizeAxis(n.integer(n.at("dim")), t.rank() + 1);
        List<Dim> out = new ArrayList<>(t.shape().dims());
        out.add(axis, Dim.of(1));
        n.output(0, t.dtype(), new Shape(out));
    }

    private static void permuteShape(NodeTypes n) {
        TensorType t = n.tensor(0);
        long[] perm = n.integers(n.at("dims"));
        if (perm.length != t.rank()) {
            throw new ShapeInferenceException(
                    "permutation " + Arrays.toString(perm) + " for " + t.shape());
        }
        List<Dim> out = new ArrayList<>();
        boolean[] seen = new boolean[perm.length];
        for (long p : perm) {
            int a = Shape.normalizeAxis(p, t.rank());
            if (seen[a]) {
                throw new ShapeInferenceException(
                        "axis " + a + " repeats in permutation " + Arrays.toString(perm));
            }
            seen[a] = true;
            out.add(t.shape().dims().get(a));
        }
        n.output(0, t.dtype(), new Shape(out));
    }

    private static void transposeShape(NodeTypes n) {
        TensorType t = n.tensor(0);
        int a = Shape.normalizeAxis(n.integer(n.at("dim0")), Math.max(1, t.rank()));
        int b = Shape.normalizeAxis(n.integer(n.at("dim1")), Math.max(1, t.rank()));
        List<Dim> out = new ArrayList<>(t.shape().dims());
        if (t.rank() > 0) {
            out.set(a, t.shape().dims().get(b));
            out.set(b, t.shape().dims().get(a));
        }
        n.output(0, t.dtype(), new Shape(out));
    }

    private static void matrixTransposeShape(NodeTypes n) {
        TensorType t = n.tensor(0);
        if (t.rank() > 2) {
            throw new ShapeInferenceException("t() of rank " + t.rank() + " input " + t.shape());
        }
        List<Dim> d = new ArrayList<>(t.shape().dims());
        Collections.reverse(d);
        n.output(0, t.dtype(), new Shape(d));
    }

    /**
     * The target shape: the inferred output shape (symbolic sizes as tract expressions, merged ones
     * as products: {@link ReshapeShapes}) or the literal sizes.
     */
    private static void reshape(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        Optional<Shape> inferred = node.output(0).tensorType().map(t -> t.shape());
        Expr shape =
                inferred.isPresent()
                        ? ReshapeShapes.of(ctx, ctx.types().shape(x).dims(), inferred.get().dims())
                        : ctx.nnef()
                                .dims(
                                        node.kind().endsWith("_as")
                                                ? ctx.types().shape(node.input(1)).dims()
                                                : ctx.values().dimList(node.input(1)));
        ctx.nnef()
                .define(
                        node.output(0),
                        Invocation.builder("reshape")
                                .arg(ctx.nnef().tensor(x))
                                .arg("shape", shape)
                                .build());
    }

    private static void flatten(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        int rank = ctx.types().rank(x);
        if (rank == 0) {
            ctx.nnef()
                    .define(
                            node.output(0),
                            Invocation.builder("reshape")
                                    .arg(ctx.nnef().tensor(x))
                                    .arg("shape", Expr.ints(1))
                                    .build());
            return;
        }
        int start = Axes.normalize(ctx.values().intArg(Args.get(node, "start_dim", 1)), rank);
        int end = Axes.normalize(ctx.values().intArg(Args.get(node, "end_dim", 2)), rank);
        if (end < start) {
            throw new TranslationException(
                    "flatten end_dim " + end + " is before start_dim " + start);
        }
        if (end == start) {
            ctx.nnef().alias(node.output(0), x);
            return;
        }
        // tract resolves -1 to a form of the merged size its reshape check rejects when one is
        // symbolic
        List<Dim> merged = ctx.types().shape(x).dims().subList(start, end + 1);
        Dim size = merged.stream().reduce(Dim.of(1), Dim::times);
        Expr shape =
                size.isConstant()
                        ? Expr.ints(-1)
                        : Expr.array(ReshapeShapes.product(ctx, merged, size));
        ctx.nnef()
                .define(
                        node.output(0),
                        Invocation.builder("reshape")
                                .arg(ctx.nnef().tensor(x))
                                .arg("shape", shape)
                                .arg("axis_start", start)
                                .arg("axis_count", end - start + 1)
                                .build());
    }

    private static void transpose(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        int rank = ctx.types().rank(x);
        int a = Axes.normalize(ctx.values().intArg(Args.get(node, "dim0", 1)), rank);
        int b = Axes.normalize(ctx.values().intArg(Args.get(node, "dim1", 2)), rank);
        long[] perm = identity(rank);
        perm[a] = b;
        perm[b] = a;
        permuteTo(node, ctx, x, perm);
    }

    private static void matrixTranspose(Node node, TranslationContext ctx)
            throws TranslationException {
        Value x = node.input(0);
        int rank = ctx.types().rank(x);
        permuteTo(node, ctx, x, rank < 2 ? identity(rank) : new long[] {1, 0});
    }

    private static void permute(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        int rank = ctx.types().rank(x);
        long[] given = ctx.values().intList(Args.get(node, "dims", 1), rank);
        long[] perm = new long[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = Axes.normalize(given[i], rank);
        }
        permuteTo(node, ctx, x, perm);
    }

    private static void permuteTo(Node node, TranslationContext ctx, Value x, long[] perm)
            throws TranslationException {
        boolean isIdentity = true;
        for (int i = 0; i < perm.length; i++) {
            isIdentity &= perm[i] == i;
        }
        if (isIdentity) {
            ctx.nnef().alias(node.output(0), x);
            return;
        }
        ctx.nnef()
                .define(
                        node.output(0),
                        Invocation.builder("transpose")
                                .arg(ctx.nnef().tensor(x))
                                .arg("axes", Expr.ints(perm))
                                .build());
    }

    private static long[] identity(int rank) {
        long[] p = new long[rank];
        for (int i = 0; i < rank; i++) {
            p[i] = i;
        }
        return p;
    }

    /** Squeezes the given axis (or every axis) whose size is 1; torch leaves other sizes alone. */
    private static void squeeze(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        Shape shape = ctx.types().shape(x);
        Optional<Value> dim = Args.optional(node, "dim", 1);
        List<Long> axes = new ArrayList<>();
        if (dim.isPresent() && !ctx.values().isNone(dim.get())) {
            // squeeze.dim (one axis) or squeeze.dims (torch 2: a list of axes)
            for (Dim d : ctx.values().dimList(dim.get())) {
                if (!d.isConstant()) {
                    throw new TranslationException("squeeze axis " + d + " is not a constant");
                }
                int a = Axes.normalize(d.constant(), shape.rank());
                if (shape.dims().get(a).equals(Dim.of(1)) && !axes.contains((long) a)) {
                    axes.add((long) a);
                }
            }
            axes.sort(null);
        } else {
            for (int a = 0; a < shape.rank(); a++) {
                if (shape.dims().get(a).equals(Dim.of(1))) {
                    axes.add((long) a);
                }
            }
        }
        if (axes.isEmpty()) {
            ctx.nnef().alias(node.output(0), x);
            return;
        }
        ctx.nnef()
                .define(
                        node.output(0),
                        Invocation.builder("squeeze")
                                .arg(ctx.nnef().tensor(x))
                                .arg(
                                        "axes",
                                        Expr.ints(
                                                axes.stream().mapToLong(Long::longValue).toArray()))
                                .build());
    }

    private static void unsqueeze(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        int axis =
                Axes.normalize(
                        ctx.values().intArg(Args.get(node, "dim", 1)), ctx.types().rank(x) + 1);
        ctx.nnef()
                .define(
                        node.output(0),
                        Invocation.builder("unsqueeze")
                                .arg(ctx.nnef().tensor(x))
                                .arg("axes", Expr.ints(axis))
                                .build());
    }

    private static void identity(Node node, TranslationContext ctx) throws TranslationException {
        ctx.nnef().alias(node.output(0), node.input(0));
    }

    private static void dropout(Node node, TranslationContext ctx) throws TranslationException {
        if (ctx.values().boolArg(Args.get(node, "train", 2))) {
            throw new TranslationException(
                    "dropout in training mode is random; trace the model in eval() mode");
        }
        ctx.nnef().alias(node.output(0), node.input(0));
    }
}
