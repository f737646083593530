package org.torch2nnef.export.ops;

import java.util.ArrayList;
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
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;

/**
 * Layout ops: {@code view}, {@code reshape}, {@code flatten}, {@code transpose}, {@code t},
 * {@code permute}, {@code squeeze}, {@code unsqueeze} (NNEF {@code reshape}, {@code transpose},
 * {@code squeeze}, {@code unsqueeze}), and the identities {@code contiguous}, {@code clone},
 * {@code detach}, eval-mode {@code dropout}.
 */
public final class ShapeOps implements OpFamily {

    @Override
    public void register(OpRegistry r) {
        r.register(ShapeOps::reshape, "aten::view", "aten::reshape");
        r.register("aten::flatten", ShapeOps::flatten);
        r.register("aten::transpose", ShapeOps::transpose);
        r.register("aten::t", ShapeOps::matrixTranspose);
        r.register("aten::permute", ShapeOps::permute);
        r.register("aten::squeeze", ShapeOps::squeeze);
        r.register("aten::unsqueeze", ShapeOps::unsqueeze);
        r.register(ShapeOps::identity, "aten::contiguous", "aten::clone", "aten::detach");
        r.register(ShapeOps::dropout, "aten::dropout", "aten::feature_dropout", "aten::alpha_dropout",
                "aten::feature_alpha_dropout");
    }

    /**
     * The target shape: the inferred output shape (symbolic sizes as tract expressions, merged ones as
     * products: {@link ReshapeShapes}) or the literal sizes.
     */
    private static void reshape(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        Optional<Shape> inferred = node.output(0).tensorType().map(t -> t.shape());
        Expr shape = inferred.isPresent() ? ReshapeShapes.of(ctx, ctx.shape(x).dims(), inferred.get().dims())
                : ctx.dims(ctx.dimList(node.input(1)));
        ctx.define(node.output(0), Invocation.builder("reshape").arg(ctx.tensor(x)).arg("shape", shape).build());
    }

    private static void flatten(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        int rank = ctx.rank(x);
        if (rank == 0) {
            ctx.define(node.output(0), Invocation.builder("reshape").arg(ctx.tensor(x)).arg("shape", Expr.ints(1)).build());
            return;
        }
        int start = Axes.normalize(ctx.intArg(Args.get(node, "start_dim", 1)), rank);
        int end = Axes.normalize(ctx.intArg(Args.get(node, "end_dim", 2)), rank);
        if (end < start) {
            throw new TranslationException("flatten end_dim " + end + " is before start_dim " + start);
        }
        if (end == start) {
            ctx.alias(node.output(0), x);
            return;
        }
        // tract resolves -1 to a form of the merged size its reshape check rejects when one is symbolic
        List<Dim> merged = ctx.shape(x).dims().subList(start, end + 1);
        Dim size = merged.stream().reduce(Dim.of(1), Dim::times);
        Expr shape = size.isConstant() ? Expr.ints(-1) : Expr.array(ReshapeShapes.product(ctx, merged, size));
        ctx.define(node.output(0), Invocation.builder("reshape").arg(ctx.tensor(x)).arg("shape", shape)
                .arg("axis_start", start).arg("axis_count", end - start + 1).build());
    }

    private static void transpose(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        int rank = ctx.rank(x);
        int a = Axes.normalize(ctx.intArg(Args.get(node, "dim0", 1)), rank);
        int b = Axes.normalize(ctx.intArg(Args.get(node, "dim1", 2)), rank);
        long[] perm = identity(rank);
        perm[a] = b;
        perm[b] = a;
        permuteTo(node, ctx, x, perm);
    }

    private static void matrixTranspose(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        int rank = ctx.rank(x);
        permuteTo(node, ctx, x, rank < 2 ? identity(rank) : new long[] {1, 0});
    }

    private static void permute(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        int rank = ctx.rank(x);
        long[] given = ctx.intList(Args.get(node, "dims", 1), rank);
        long[] perm = new long[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = Axes.normalize(given[i], rank);
        }
        permuteTo(node, ctx, x, perm);
    }

    private static void permuteTo(Node node, TranslationContext ctx, Value x, long[] perm) throws TranslationException {
        boolean isIdentity = true;
        for (int i = 0; i < perm.length; i++) {
            isIdentity &= perm[i] == i;
        }
        if (isIdentity) {
            ctx.alias(node.output(0), x);
            return;
        }
        ctx.define(node.output(0), Invocation.builder("transpose").arg(ctx.tensor(x)).arg("axes", Expr.ints(perm)).build());
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
        Shape shape = ctx.shape(x);
        Optional<Value> dim = Args.optional(node, "dim", 1);
        List<Long> axes = new ArrayList<>();
        if (dim.isPresent() && !ctx.isNone(dim.get())) {
            // squeeze.dim (one axis) or squeeze.dims (torch 2: a list of axes)
            for (Dim d : ctx.dimList(dim.get())) {
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
            ctx.alias(node.output(0), x);
            return;
        }
        ctx.define(node.output(0), Invocation.builder("squeeze").arg(ctx.tensor(x))
                .arg("axes", Expr.ints(axes.stream().mapToLong(Long::longValue).toArray())).build());
    }

    private static void unsqueeze(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        int axis = Axes.normalize(ctx.intArg(Args.get(node, "dim", 1)), ctx.rank(x) + 1);
        ctx.define(node.output(0), Invocation.builder("unsqueeze").arg(ctx.tensor(x)).arg("axes", Expr.ints(axis)).build());
    }

    private static void identity(Node node, TranslationContext ctx) throws TranslationException {
        ctx.alias(node.output(0), node.input(0));
    }

    private static void dropout(Node node, TranslationContext ctx) throws TranslationException {
        if (ctx.boolArg(Args.get(node, "train", 2))) {
            throw new TranslationException("dropout in training mode is random; trace the model in eval() mode");
        }
        ctx.alias(node.output(0), node.input(0));
    }
}
