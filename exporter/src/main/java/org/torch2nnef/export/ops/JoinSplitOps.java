package org.torch2nnef.export.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.torch2nnef.export.NnefEmitter;
import org.torch2nnef.export.OpFamily;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType;
import org.torch2nnef.graph.ValueType.TensorType;
import org.torch2nnef.graph.shapes.NodeTypes;
import org.torch2nnef.graph.shapes.ScalarTypes;
import org.torch2nnef.graph.shapes.ShapeInferenceException;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.torchscript.TorchDType;

/**
 * Joining and splitting: {@code cat} and {@code stack} (NNEF {@code concat}, {@code stack}); {@code
 * split}, {@code split_with_sizes}, {@code chunk} (and their {@code unsafe_} forms) and {@code
 * unbind}, one NNEF {@code slice} per piece ({@code squeeze}d for unbind). The pieces form a list
 * that {@code prim::ListUnpack} or a consuming op reads; their sizes are the ones shape inference
 * computed, so uneven last chunks and symbolic lengths follow torch. Joined tensors are recorded as
 * {@link NnefEmitter#concatenated concatenations}, so that slicing one reads its pieces ({@link
 * Slicing}).
 */
public final class JoinSplitOps implements OpFamily {

    @Override
    public void register(OpRegistry r) {
        r.op("aten::cat(Tensor[] tensors, int dim=0) -> Tensor")
                .shape(JoinSplitOps::catShape)
                .translate(JoinSplitOps::cat);
        r.op("aten::stack(Tensor[] tensors, int dim=0) -> Tensor")
                .shape(JoinSplitOps::stackShape)
                .translate(JoinSplitOps::stack);
        r.op("aten::split.Tensor(Tensor self, int split_size, int dim=0) -> Tensor[]")
                .shape(JoinSplitOps::splitShape)
                .translate(JoinSplitOps::split);
        r.op("aten::split_with_sizes(Tensor self, int[] split_sizes, int dim=0) -> Tensor[]")
                .shape(n -> splitSizes(n, n.dims(n.at("split_sizes")), n.integer(n.at("dim"))))
                .translate(JoinSplitOps::split);
        r.op("aten::chunk(Tensor self, int chunks, int dim=0) -> Tensor[]")
                .shape(JoinSplitOps::chunkShape)
                .translate(JoinSplitOps::split);
        r.op("aten::unsafe_chunk(Tensor self, int chunks, int dim=0) -> Tensor[]")
                .shape(JoinSplitOps::chunkShape)
                .translate(JoinSplitOps::split);
        r.op("aten::unsafe_split.Tensor(Tensor self, int split_size, int dim=0) -> Tensor[]")
                .shape(JoinSplitOps::splitShape)
                .translate(JoinSplitOps::split);
        r.op("aten::unbind.int(Tensor self, int dim=0) -> Tensor[]")
                .shape(JoinSplitOps::unbindShape)
                .translate(JoinSplitOps::unbind);
    }

    private static List<TensorType> typedTensors(NodeTypes n) {
        List<TensorType> out = new ArrayList<>();
        for (Value v : n.listElements(n.at("tensors"))) {
            out.add(
                    v.tensorType()
                            .orElseThrow(
                                    () ->
                                            new ShapeInferenceException(
                                                    "list element "
                                                            + v.name()
                                                            + " is not a typed tensor")));
        }
        if (out.isEmpty()) {
            throw new ShapeInferenceException(n.node().kind() + " of an empty list");
        }
        return out;
    }

    private static TorchDType promoteAll(List<TensorType> ts) {
        TorchDType d = ts.get(0).dtype();
        for (TensorType t : ts) {
            d = ScalarTypes.promote(d, t.dtype());
        }
        return d;
    }

    private static void catShape(NodeTypes n) {
        List<TensorType> all = typedTensors(n);
        // legacy: 1-d empty tensors are skipped by cat
        List<TensorType> ts =
                all.stream()
                        .filter(t -> !(t.rank() == 1 && t.shape().dims().get(0).equals(Dim.of(0))))
                        .toList();
        if (ts.isEmpty()) {
            n.output(0, promoteAll(all), Shape.of(0));
            return;
        }
        Shape first = ts.get(0).shape();
        int axis = Shape.normalizeAxis(n.integer(n.at("dim")), first.rank());
        Dim sum = Dim.of(0);
        for (TensorType t : ts) {
            if (t.rank() != first.rank()) {
                throw new ShapeInferenceException(
                        "cat of tensors of ranks " + first.rank() + " and " + t.rank());
            }
            for (int i = 0; i < first.rank(); i++) {
                if (i != axis && !t.shape().dims().get(i).equals(first.dims().get(i))) {
                    throw new ShapeInferenceException(
                            "cat along " + axis + " of " + first + " and " + t.shape());
                }
            }
            sum = sum.plus(t.shape().dims().get(axis));
        }
        n.output(0, promoteAll(all), first.with(axis, sum));
    }

    private static void stackShape(NodeTypes n) {
        List<TensorType> ts = typedTensors(n);
        Shape first = ts.get(0).shape();
        for (TensorType t : ts) {
            if (!t.shape().equals(first)) {
                throw new ShapeInferenceException(
                        "stack of different shapes " + first + " and " + t.shape());
            }
        }
        int axis = Shape.normalizeAxis(n.integer(n.at("dim")), first.rank() + 1);
        List<Dim> out = new ArrayList<>(first.dims());
        out.add(axis, Dim.of(ts.size()));
        n.output(0, promoteAll(ts), new Shape(out));
    }

    private static void splitShape(NodeTypes n) {
        TensorType t = n.tensor(0);
        int axis = Shape.normalizeAxis(n.integer(n.at("dim")), t.rank());
        long size = n.integer(n.at("split_size"));
        Dim length = t.shape().dims().get(axis);
        if (!length.isConstant()) {
            throw new ShapeInferenceException(
                    "split of the symbolic size "
                            + length
                            + " into pieces of "
                            + size
                            + ": the number of pieces is unknown");
        }
        List<Dim> sizes = new ArrayList<>();
        for (long start = 0; start < length.constant(); start += size) {
            sizes.add(Dim.of(Math.min(size, length.constant() - start)));
        }
        splitSizes(n, sizes, axis);
    }

    private static void splitSizes(NodeTypes n, List<Dim> sizes, long axisArg) {
        TensorType t = n.tensor(0);
        int axis = Shape.normalizeAxis(axisArg, t.rank());
        Dim total = Dim.of(0);
        List<ValueType> parts = new ArrayList<>();
        for (Dim s : sizes) {
            total = total.plus(s);
            parts.add(new TensorType(t.dtype(), t.shape().with(axis, s)));
        }
        Dim length = t.shape().dims().get(axis);
        if (total.minus(length).isConstant() && !total.equals(length)) {
            throw new ShapeInferenceException(
                    "split sizes " + sizes + " do not add up to " + length);
        }
        n.output(0, new ValueType.TensorListType(parts));
    }

    private static void chunkShape(NodeTypes n) {
        TensorType t = n.tensor(0);
        long chunks = n.integer(n.at("chunks"));
        int axis = Shape.normalizeAxis(n.integer(n.at("dim")), t.rank());
        Dim length = t.shape().dims().get(axis);
        Dim each = length.ceilDiv(chunks);
        List<Dim> sizes = new ArrayList<>();
        if (length.isConstant()) {
            // like torch: pieces of ceil(L/chunks); there may be fewer than chunks of them
            for (long start = 0; start < length.constant(); start += each.constant()) {
                sizes.add(Dim.of(Math.min(each.constant(), length.constant() - start)));
            }
        } else {
            for (int i = 0; i < chunks - 1; i++) {
                sizes.add(each);
            }
            sizes.add(length.minus(each.times(chunks - 1)));
        }
        splitSizes(n, sizes, axis);
    }

    private static void unbindShape(NodeTypes n) {
        TensorType t = n.tensor(0);
        int axis = Shape.normalizeAxis(n.integer(n.at("dim")), t.rank());
        Dim length = t.shape().dims().get(axis);
        if (!length.isConstant()) {
            throw new ShapeInferenceException("unbind along the symbolic size " + length);
        }
        List<Dim> rest = new ArrayList<>(t.shape().dims());
        rest.remove(axis);
        List<ValueType> parts = new ArrayList<>();
        for (long i = 0; i < length.constant(); i++) {
            parts.add(new TensorType(t.dtype(), new Shape(rest)));
        }
        n.output(0, new ValueType.TensorListType(parts));
    }

    private static void cat(Node node, TranslationContext ctx) throws TranslationException {
        List<Value> parts = new ArrayList<>();
        for (Value v : ctx.values().listElements(Args.get(node, "tensors", 0))) {
            Shape s = ctx.types().shape(v);
            // torch's legacy rule: 1-d empty tensors take no part in cat
            if (!(s.rank() == 1 && s.dims().get(0).equals(Dim.of(0)))) {
                parts.add(v);
            }
        }
        if (parts.isEmpty()) {
            throw new TranslationException("cat of empty tensors only; NNEF has no empty tensors");
        }
        if (parts.size() == 1) {
            ctx.nnef().alias(node.output(0), parts.get(0));
            return;
        }
        int axis =
                Axes.normalize(
                        ctx.values().intArg(Args.get(node, "dim", 1)),
                        ctx.types().rank(parts.get(0)));
        List<Expr> pieces = tensors(ctx, parts);
        List<Dim> sizes = new ArrayList<>(parts.size());
        for (Value v : parts) {
            sizes.add(ctx.types().shape(v).dims().get(axis));
        }
        Expr joined =
                ctx.nnef()
                        .define(
                                node.output(0),
                                Invocation.builder("concat")
                                        .arg(Expr.array(pieces))
                                        .arg("axis", axis)
                                        .build());
        ctx.nnef().concatenated(joined, new NnefEmitter.Concatenation(axis, pieces, sizes));
    }

    private static void stack(Node node, TranslationContext ctx) throws TranslationException {
        List<Value> parts = ctx.values().listElements(Args.get(node, "tensors", 0));
        int axis =
                Axes.normalize(
                        ctx.values().intArg(Args.get(node, "dim", 1)),
                        ctx.types().rank(parts.get(0)) + 1);
        if (parts.size() == 1) {
            ctx.nnef()
                    .define(
                            node.output(0),
                            Invocation.builder("unsqueeze")
                                    .arg(ctx.nnef().tensor(parts.get(0)))
                                    .arg("axes", Expr.ints(axis))
                                    .build());
            return;
        }
        List<Expr> pieces = tensors(ctx, parts);
        Expr joined =
                ctx.nnef()
                        .define(
                                node.output(0),
                                Invocation.builder("stack")
                                        .arg(Expr.array(pieces))
                                        .arg("axis", axis)
                                        .build());
        ctx.nnef().concatenated(joined, NnefEmitter.Concatenation.stacked(axis, pieces));
    }

    private static List<Expr> tensors(TranslationContext ctx, List<Value> values)
            throws TranslationException {
        List<Expr> out = new ArrayList<>(values.size());
        for (Value v : values) {
            out.add(ctx.nnef().tensor(v));
        }
        return out;
    }

    /** Every split form: the piece sizes along the axis come from the inferred list type. */
    private static void split(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        Shape shape = ctx.types().shape(x);
        int axis = Axes.normalize(ctx.values().intArg(Args.get(node, "dim", 2)), shape.rank());
        List<ValueType.TensorType> pieces = pieceTypes(node);
        List<Value> values = new ArrayList<>(pieces.size());
        Dim begin = Dim.of(0);
        Expr input = ctx.nnef().tensor(x);
        for (int i = 0; i < pieces.size(); i++) {
            Dim size = pieces.get(i).shape().dims().get(axis);
            Dim end = begin.plus(size);
            Value piece = piece(node, i, pieces.get(i));
            Optional<Expr> joined = Slicing.piece(ctx, input, axis, begin, end);
            if (pieces.size() == 1) {
                ctx.nnef().alias(piece, x);
            } else if (joined.isPresent()) {
                ctx.nnef().bindExpr(piece, joined.get());
            } else {
                ctx.nnef()
                        .define(
                                piece,
                                Slicing.slice(
                                        ctx, input, axis, shape.dims().get(axis), begin, end, 1));
            }
            values.add(piece);
            begin = end;
        }
        ctx.values().bindList(node.output(0), values);
    }

    private static void unbind(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        int axis =
                Axes.normalize(ctx.values().intArg(Args.get(node, "dim", 1)), ctx.types().rank(x));
        Dim length = ctx.types().shape(x).dims().get(axis);
        List<ValueType.TensorType> pieces = pieceTypes(node);
        Expr input = ctx.nnef().tensor(x);
        List<Value> values = new ArrayList<>(pieces.size());
        for (int i = 0; i < pieces.size(); i++) {
            Value piece = piece(node, i, pieces.get(i));
            Optional<Expr> stacked = Slicing.stackedItem(ctx, input, axis, Dim.of(i));
            if (stacked.isPresent()) {
                ctx.nnef().bindExpr(piece, stacked.get());
            } else {
                Expr item =
                        ctx.nnef()
                                .temp(
                                        "item",
                                        Slicing.slice(
                                                ctx,
                                                input,
                                                axis,
                                                length,
                                                Dim.of(i),
                                                Dim.of(i + 1),
                                                1));
                ctx.nnef()
                        .define(
                                piece,
                                Invocation.builder("squeeze")
                                        .arg(item)
                                        .arg("axes", Expr.ints(axis))
                                        .build());
            }
            values.add(piece);
        }
        ctx.values().bindList(node.output(0), values);
    }

    private static List<ValueType.TensorType> pieceTypes(Node node) throws TranslationException {
        if (!(node.output(0).type() instanceof ValueType.TensorListType list)) {
            throw new TranslationException(
                    "the pieces of "
                            + node.kind()
                            + " were not typed by shape inference ("
                            + node.output(0).describe()
                            + ")");
        }
        List<ValueType.TensorType> out = new ArrayList<>();
        for (ValueType t : list.elements()) {
            if (!(t instanceof ValueType.TensorType tt)) {
                throw new TranslationException(
                        "piece of " + node.kind() + " typed " + t.describe() + ", not a tensor");
            }
            out.add(tt);
        }
        return out;
    }

    /** A value standing for one piece of a split list; the list binds these. */
    private static Value piece(Node node, int index, ValueType.TensorType type) {
        return new Value(
                node.output(0).name() + "." + index,
                Value.Origin.NODE_OUTPUT,
                node,
                null,
                type,
                null);
    }
}
