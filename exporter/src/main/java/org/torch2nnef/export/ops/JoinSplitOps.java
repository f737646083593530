package org.torch2nnef.export.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.torch2nnef.export.OpFamily;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.export.NnefEmitter;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;

/**
 * Joining and splitting: {@code cat} and {@code stack} (NNEF {@code concat}, {@code stack});
 * {@code split}, {@code split_with_sizes}, {@code chunk} (and their {@code unsafe_} forms) and
 * {@code unbind}, one NNEF {@code slice} per piece ({@code squeeze}d for unbind). The pieces form a
 * list that {@code prim::ListUnpack} or a consuming op reads; their sizes are the ones shape
 * inference computed, so uneven last chunks and symbolic lengths follow torch. Joined tensors are
 * recorded as {@link TranslationContext#concatenated concatenations}, so that slicing one reads
 * its pieces ({@link Slicing}).
 */
public final class JoinSplitOps implements OpFamily {

    @Override
    public void register(OpRegistry r) {
        r.register("aten::cat", JoinSplitOps::cat);
        r.register("aten::stack", JoinSplitOps::stack);
        r.register(JoinSplitOps::split, "aten::split", "aten::unsafe_split", "aten::split_with_sizes",
                "aten::chunk", "aten::unsafe_chunk");
        r.register("aten::unbind", JoinSplitOps::unbind);
    }

    private static void cat(Node node, TranslationContext ctx) throws TranslationException {
        List<Value> parts = new ArrayList<>();
        for (Value v : ctx.listElements(Args.get(node, "tensors", 0))) {
            Shape s = ctx.shape(v);
            // torch's legacy rule: 1-d empty tensors take no part in cat
            if (!(s.rank() == 1 && s.dims().get(0).equals(Dim.of(0)))) {
                parts.add(v);
            }
        }
        if (parts.isEmpty()) {
            throw new TranslationException("cat of empty tensors only; NNEF has no empty tensors");
        }
        if (parts.size() == 1) {
            ctx.alias(node.output(0), parts.get(0));
            return;
        }
        int axis = Axes.normalize(ctx.intArg(Args.get(node, "dim", 1)), ctx.rank(parts.get(0)));
        List<Expr> pieces = tensors(ctx, parts);
        List<Dim> sizes = new ArrayList<>(parts.size());
        for (Value v : parts) {
            sizes.add(ctx.shape(v).dims().get(axis));
        }
        Expr joined = ctx.define(node.output(0), Invocation.builder("concat").arg(Expr.array(pieces)).arg("axis", axis)
                .build());
        ctx.concatenated(joined, new NnefEmitter.Concatenation(axis, pieces, sizes));
    }

    private static void stack(Node node, TranslationContext ctx) throws TranslationException {
        List<Value> parts = ctx.listElements(Args.get(node, "tensors", 0));
        int axis = Axes.normalize(ctx.intArg(Args.get(node, "dim", 1)), ctx.rank(parts.get(0)) + 1);
        if (parts.size() == 1) {
            ctx.define(node.output(0), Invocation.builder("unsqueeze").arg(ctx.tensor(parts.get(0)))
                    .arg("axes", Expr.ints(axis)).build());
            return;
        }
        List<Expr> pieces = tensors(ctx, parts);
        Expr joined = ctx.define(node.output(0), Invocation.builder("stack").arg(Expr.array(pieces)).arg("axis", axis)
                .build());
        ctx.concatenated(joined, NnefEmitter.Concatenation.stacked(axis, pieces));
    }

    private static List<Expr> tensors(TranslationContext ctx, List<Value> values) throws TranslationException {
        List<Expr> out = new ArrayList<>(values.size());
        for (Value v : values) {
            out.add(ctx.tensor(v));
        }
        return out;
    }

    /** Every split form: the piece sizes along the axis come from the inferred list type. */
    private static void split(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        Shape shape = ctx.shape(x);
        int axis = Axes.normalize(ctx.intArg(Args.get(node, "dim", 2)), shape.rank());
        List<ValueType.TensorType> pieces = pieceTypes(node);
        List<Value> values = new ArrayList<>(pieces.size());
        Dim begin = Dim.of(0);
        Expr input = ctx.tensor(x);
        for (int i = 0; i < pieces.size(); i++) {
            Dim size = pieces.get(i).shape().dims().get(axis);
            Dim end = begin.plus(size);
            Value piece = piece(node, i, pieces.get(i));
            Optional<Expr> joined = Slicing.piece(ctx, input, axis, begin, end);
            if (pieces.size() == 1) {
                ctx.alias(piece, x);
            } else if (joined.isPresent()) {
                ctx.bindExpr(piece, joined.get());
            } else {
                ctx.define(piece, Slicing.slice(ctx, input, axis, shape.dims().get(axis), begin, end, 1));
            }
            values.add(piece);
            begin = end;
        }
        ctx.bindList(node.output(0), values);
    }

    private static void unbind(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        int axis = Axes.normalize(ctx.intArg(Args.get(node, "dim", 1)), ctx.rank(x));
        Dim length = ctx.shape(x).dims().get(axis);
        List<ValueType.TensorType> pieces = pieceTypes(node);
        Expr input = ctx.tensor(x);
        List<Value> values = new ArrayList<>(pieces.size());
        for (int i = 0; i < pieces.size(); i++) {
            Value piece = piece(node, i, pieces.get(i));
            Optional<Expr> stacked = Slicing.stackedItem(ctx, input, axis, Dim.of(i));
            if (stacked.isPresent()) {
                ctx.bindExpr(piece, stacked.get());
            } else {
                Expr item = ctx.temp("item", Slicing.slice(ctx, input, axis, length, Dim.of(i), Dim.of(i + 1), 1));
                ctx.define(piece, Invocation.builder("squeeze").arg(item).arg("axes", Expr.ints(axis)).build());
            }
            values.add(piece);
        }
        ctx.bindList(node.output(0), values);
    }

    private static List<ValueType.TensorType> pieceTypes(Node node) throws TranslationException {
        if (!(node.output(0).type() instanceof ValueType.TensorListType list)) {
            throw new TranslationException("the pieces of " + node.kind() + " were not typed by shape inference ("
                    + node.output(0).describe() + ")");
        }
        List<ValueType.TensorType> out = new ArrayList<>();
        for (ValueType t : list.elements()) {
            if (!(t instanceof ValueType.TensorType tt)) {
                throw new TranslationException("piece of " + node.kind() + " typed " + t.describe() + ", not a tensor");
            }
            out.add(tt);
        }
        return out;
    }

    /** A value standing for one piece of a split list; the list binds these. */
    private static Value piece(Node node, int index, ValueType.TensorType type) {
        return new Value(node.output(0).name() + "." + index, Value.Origin.NODE_OUTPUT, node, null, type, null);
    }
}
