package org.torch2nnef.export.ops;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.torch2nnef.export.OpFamily;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.export.spi.Tiles;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType.TensorType;
import org.torch2nnef.graph.shapes.NodeTypes;
import org.torch2nnef.graph.shapes.ShapeInferenceException;
import org.torch2nnef.graph.shapes.SliceBounds;
import org.torch2nnef.nnef.model.ElementType;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.TensorData;
import org.torch2nnef.torchscript.TorchTensor;

/**
 * Indexing and broadcasting: {@code slice}, {@code select}, {@code narrow} (NNEF {@code slice},
 * {@code squeeze}); {@code index_select} with indices known at export time as standard NNEF ({@code
 * concat} of {@code slice}s), with tensor indices as {@code tract_core_gather}; {@code gather} as
 * {@code tract_core_gather_elements}; {@code expand}, {@code expand_as}, {@code repeat}, {@code
 * tile} (NNEF {@code unsqueeze} and {@code tile}); {@code flip} as a {@code tract_core_gather} of
 * reversed indices per axis (NNEF slices cannot step backwards).
 */
public final class IndexingOps implements OpFamily {
    @Override
    public void register(OpRegistry r) {
        r.op(
                        "aten::slice.Tensor(Tensor self, int dim=0, int? start=None, int? end=None, int step=1) -> Tensor")
                .shape(IndexingOps::sliceShape)
                .translate(IndexingOps::slice);
        r.op("aten::select.int(Tensor self, int dim, int index) -> Tensor")
                .shape(IndexingOps::selectShape)
                .translate(IndexingOps::select);
        r.op("aten::narrow(Tensor self, int dim, int start, int length) -> Tensor")
                .shape(IndexingOps::narrowShape)
                .translate(IndexingOps::narrow);
        r.op("aten::index_select(Tensor self, int dim, Tensor index) -> Tensor")
                .shape(IndexingOps::indexSelectShape)
                .translate(IndexingOps::indexSelect)
                .tract("tract_core_gather");
        r.op(
                        "aten::gather(Tensor self, int dim, Tensor index, *, bool sparse_grad=False) -> Tensor")
                .shape(n -> n.output(0, n.tensor(0).dtype(), n.tensor(n.at("index")).shape()))
                .translate(IndexingOps::gather)
                .tract("tract_core_gather_elements");
        r.op("aten::expand(Tensor self, int[] size, *, bool implicit=False) -> Tensor")
                .shape(n -> expandShape(n, n.dims(n.at("size"))))
                .translate(IndexingOps::broadcastTo);
        r.op("aten::expand_as(Tensor self, Tensor other) -> Tensor")
                .shape(n -> expandShape(n, n.tensor(n.at("other")).shape().dims()))
                .translate(IndexingOps::broadcastTo);
        r.op("aten::repeat(Tensor self, int[] repeats) -> Tensor")
                .shape(n -> repeatBy(n, n.dims(n.at("repeats"))))
                .translate(IndexingOps::repeat);
        r.op("aten::tile(Tensor self, int[] dims) -> Tensor")
                .shape(IndexingOps::tileShape)
                .translate(IndexingOps::repeat);
        r.op("aten::flip(Tensor self, int[] dims) -> Tensor")
                .shape(n -> n.output(0, n.tensor(0)))
                .translate(IndexingOps::flip)
                .tract("tract_core_gather");
        r.op("aten::roll(Tensor self, int[1] shifts, int[1] dims=[]) -> Tensor")
                .shape(n -> n.output(0, n.tensor(0)))
                .translate(IndexingOps::roll);
    }

    private static void sliceShape(NodeTypes n) {
        TensorType t = n.tensor(0);
        int axis = Shape.normalizeAxis(n.integer(n.at("dim")), t.rank());
        Dim length = t.shape().dims().get(axis);
        long step = n.integer(n.at("step"));
        if (step <= 0) {
            throw new ShapeInferenceException("slice step must be positive, is " + step);
        }
        int start = n.at("start");
        int end = n.at("end");
        Dim begin = n.isNone(start) ? Dim.of(0) : SliceBounds.resolve(n.dim(start), length);
        Dim stop = n.isNone(end) ? length : SliceBounds.resolve(n.dim(end), length);
        Dim size = stop.minus(begin);
        if (size.isConstant() && size.constant() < 0) {
            size = Dim.of(0);
        }
        n.output(0, t.dtype(), t.shape().with(axis, size.ceilDiv(step)));
    }

    private static void selectShape(NodeTypes n) {
        TensorType t = n.tensor(0);
        int axis = Shape.normalizeAxis(n.integer(n.at("dim")), t.rank());
        Dim index = n.dim(n.at("index"));
        Dim length = t.shape().dims().get(axis);
        if (index.isConstant()
                && length.isConstant()
                && (index.constant() >= length.constant()
                        || index.constant() < -length.constant())) {
            throw new ShapeInferenceException(
                    "index " + index + " is out of range for size " + length);
        }
        List<Dim> out = new ArrayList<>(t.shape().dims());
        out.remove(axis);
        n.output(0, t.dtype(), new Shape(out));
    }

    private static void narrowShape(NodeTypes n) {
        TensorType t = n.tensor(0);
        int axis = Shape.normalizeAxis(n.integer(n.at("dim")), t.rank());
        n.output(0, t.dtype(), t.shape().with(axis, n.dim(n.at("length"))));
    }

    private static void indexSelectShape(NodeTypes n) {
        TensorType t = n.tensor(0);
        int axis = Shape.normalizeAxis(n.integer(n.at("dim")), Math.max(1, t.rank()));
        TensorType index = n.tensor(n.at("index"));
        if (index.rank() > 1) {
            throw new ShapeInferenceException(
                    "index_select index must be 0-d or 1-d, is " + index.shape());
        }
        n.output(0, t.dtype(), t.shape().with(axis, index.shape().volume()));
    }

    private static void expandShape(NodeTypes n, List<Dim> sizes) {
        TensorType t = n.tensor(0);
        if (sizes.size() < t.rank()) {
            throw new ShapeInferenceException(
                    "cannot expand " + t.shape() + " to fewer axes " + sizes);
        }
        List<Dim> out = new ArrayList<>();
        int offset = sizes.size() - t.rank();
        for (int i = 0; i < sizes.size(); i++) {
            Dim want = sizes.get(i);
            Dim have = i < offset ? null : t.shape().dims().get(i - offset);
            if (want.equals(Dim.of(-1))) {
                if (have == null) {
                    throw new ShapeInferenceException(
                            "expand size -1 for the new leading axis " + i);
                }
                out.add(have);
            } else if (have == null || have.equals(want) || have.equals(Dim.of(1))) {
                out.add(want);
            } else {
                throw new ShapeInferenceException(
                        "cannot expand size "
                                + have
                                + " to "
                                + want
                                + " ("
                                + t.shape()
                                + " to "
                                + sizes
                                + ")");
            }
        }
        n.output(0, t.dtype(), new Shape(out));
    }

    /** {@code tile} is {@code repeat} with missing leading repeats taken as 1. */
    private static void tileShape(NodeTypes n) {
        List<Dim> reps = new ArrayList<>(n.dims(n.at("dims")));
        while (reps.size() < n.tensor(0).rank()) {
            reps.add(0, Dim.of(1));
        }
        repeatBy(n, reps);
    }

    private static void repeatBy(NodeTypes n, List<Dim> reps) {
        TensorType t = n.tensor(0);
        if (reps.size() < t.rank()) {
            throw new ShapeInferenceException(
                    "repeat " + reps + " has fewer entries than " + t.shape() + " has axes");
        }
        List<Dim> out = new ArrayList<>();
        int offset = reps.size() - t.rank();
        for (int i = 0; i < reps.size(); i++) {
            Dim have = i < offset ? Dim.of(1) : t.shape().dims().get(i - offset);
            out.add(have.times(reps.get(i)));
        }
        n.output(0, t.dtype(), new Shape(out));
    }

    private static void slice(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        Shape shape = ctx.types().shape(x);
        int axis = Axes.normalize(ctx.values().intArg(Args.get(node, "dim", 1)), shape.rank());
        Dim length = shape.dims().get(axis);
        long step = ctx.values().intArg(Args.get(node, "step", 4));
        if (step <= 0) {
            throw new TranslationException("slice step " + step + " is not positive");
        }
        Value startArg = Args.get(node, "start", 2);
        Value endArg = Args.get(node, "end", 3);
        Dim begin = ctx.values().isNone(startArg) ? Dim.of(0) : bound(ctx, startArg, length);
        Dim end = ctx.values().isNone(endArg) ? length : bound(ctx, endArg, length);
        defineSlice(node, ctx, x, axis, begin, end, step);
    }

    /**
     * The output as the slice: the input itself when whole, a piece of a concatenation when one is.
     */
    private static void defineSlice(
            Node node, TranslationContext ctx, Value x, int axis, Dim begin, Dim end, long step)
            throws TranslationException {
        Dim length = ctx.types().shape(x).dims().get(axis);
        if (begin.equals(Dim.of(0)) && end.equals(length) && step == 1) {
            ctx.nnef().alias(node.output(0), x);
            return;
        }
        Optional<Expr> piece =
                step == 1
                        ? Slicing.piece(ctx, ctx.nnef().tensor(x), axis, begin, end)
                        : Optional.empty();
        if (piece.isPresent()) {
            ctx.nnef().bindExpr(node.output(0), piece.get());
            return;
        }
        ctx.nnef()
                .define(
                        node.output(0),
                        Slicing.slice(ctx, ctx.nnef().tensor(x), axis, length, begin, end, step));
    }

    private static Dim bound(TranslationContext ctx, Value arg, Dim length)
            throws TranslationException {
        return SliceBounds.resolve(ctx.values().dimList(arg).get(0), length);
    }

    private static void select(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        Shape shape = ctx.types().shape(x);
        int axis = Axes.normalize(ctx.values().intArg(Args.get(node, "dim", 1)), shape.rank());
        Dim length = shape.dims().get(axis);
        Dim index = index(ctx.values().intArg(Args.get(node, "index", 2)), length, "select");
        Optional<Expr> stacked = Slicing.stackedItem(ctx, ctx.nnef().tensor(x), axis, index);
        if (stacked.isPresent()) {
            ctx.nnef().bindExpr(node.output(0), stacked.get());
            return;
        }
        Expr item =
                ctx.nnef()
                        .temp(
                                "item",
                                Slicing.slice(
                                        ctx,
                                        ctx.nnef().tensor(x),
                                        axis,
                                        length,
                                        index,
                                        index.plus(1),
                                        1));
        ctx.nnef()
                .define(
                        node.output(0),
                        Invocation.builder("squeeze")
                                .arg(item)
                                .arg("axes", Expr.ints(axis))
                                .build());
    }

    /** An index in {@code [-length, length)} as a position from the start, possibly symbolic. */
    private static Dim index(long i, Dim length, String op) throws TranslationException {
        if (length.isConstant() && (i >= length.constant() || i < -length.constant())) {
            throw new TranslationException(
                    op + " index " + i + " is out of range for size " + length);
        }
        return i < 0 ? length.plus(i) : Dim.of(i);
    }

    private static void narrow(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        Shape shape = ctx.types().shape(x);
        int axis = Axes.normalize(ctx.values().intArg(Args.get(node, "dim", 1)), shape.rank());
        Dim length = shape.dims().get(axis);
        long start = ctx.values().intArg(Args.get(node, "start", 2));
        // torch allows start == length for an empty narrow, which NNEF cannot hold anyway
        Dim begin = start == 0 ? Dim.of(0) : index(start, length, "narrow start");
        Dim size = ctx.values().dimList(Args.get(node, "length", 3)).get(0);
        Dim end = begin.plus(size);
        if (length.isConstant() && end.isConstant() && end.constant() > length.constant()) {
            throw new TranslationException(
                    "narrow [" + begin + ", " + end + ") overruns size " + length);
        }
        defineSlice(node, ctx, x, axis, begin, end, 1);
    }

    private static void indexSelect(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        Shape shape = ctx.types().shape(x);
        int axis = Axes.normalize(ctx.values().intArg(Args.get(node, "dim", 1)), shape.rank());
        Value index = Args.get(node, "index", 2);
        Optional<long[]> known = constantIndices(index);
        if (known.isEmpty()) {
            Expr indices = ctx.nnef().tensor(index);
            if (ctx.types().rank(index) == 0) {
                indices =
                        ctx.nnef()
                                .temp(
                                        "index",
                                        Invocation.builder("unsqueeze")
                                                .arg(indices)
                                                .arg("axes", Expr.ints(0))
                                                .build());
            }
            ctx.nnef()
                    .define(
                            node.output(0),
                            Invocation.builder(ctx.tract().tractOp("tract_core_gather"))
                                    .arg(ctx.nnef().tensor(x))
                                    .arg("indices", indices)
                                    .arg("axis", axis)
                                    .build());
            return;
        }
        Dim length = shape.dims().get(axis);
        Expr input = ctx.nnef().tensor(x);
        List<Invocation> runs = new ArrayList<>();
        long[] idx = known.get();
        // consecutive increasing indices form one slice
        for (int i = 0; i < idx.length; ) {
            if (idx[i] < 0) {
                throw new TranslationException(
                        "index_select index " + idx[i] + " is negative (torch rejects it)");
            }
            Dim first = index(idx[i], length, "index_select");
            int j = i + 1;
            while (j < idx.length && idx[j] == idx[j - 1] + 1) {
                j++;
            }
            runs.add(Slicing.slice(ctx, input, axis, length, first, first.plus(j - i), 1));
            i = j;
        }
        if (runs.size() == 1) {
            ctx.nnef().define(node.output(0), runs.get(0));
            return;
        }
        List<Expr> parts = new ArrayList<>();
        for (Invocation run : runs) {
            parts.add(ctx.nnef().temp("run", run));
        }
        ctx.nnef()
                .define(
                        node.output(0),
                        Invocation.builder("concat")
                                .arg(Expr.array(parts))
                                .arg("axis", axis)
                                .build());
    }

    /** The indices of a parameter, buffer or traced constant, read at export time. */
    private static Optional<long[]> constantIndices(Value index) throws TranslationException {
        Optional<TorchTensor> t = index.knownTensor();
        if (t.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(t.get().toLongArray());
        } catch (IOException e) {
            throw new TranslationException(
                    "cannot read the indices " + index.name() + ": " + e.getMessage());
        }
    }

    private static void gather(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        int axis =
                Axes.normalize(ctx.values().intArg(Args.get(node, "dim", 1)), ctx.types().rank(x));
        Optional<Value> sparse = Args.optional(node, "sparse_grad", 3);
        if (sparse.isPresent()
                && !ctx.values().isNone(sparse.get())
                && ctx.values().boolArg(sparse.get())) {
            throw new TranslationException(
                    "gather with sparse_grad=True has no inference meaning; trace without it");
        }
        ctx.nnef()
                .define(
                        node.output(0),
                        Invocation.builder(ctx.tract().tractOp("tract_core_gather_elements"))
                                .arg(ctx.nnef().tensor(x))
                                .arg("indices", ctx.nnef().tensor(Args.get(node, "index", 2)))
                                .arg("axis", axis)
                                .build());
    }

    /**
     * {@code expand}/{@code expand_as}: new leading axes, then size-1 axes tiled to the inferred
     * output.
     */
    private static void broadcastTo(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        tileTo(node, ctx, x, ctx.types().shape(node.output(0)), true);
    }

    private static void repeat(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        tileTo(node, ctx, x, ctx.types().shape(node.output(0)), false);
    }

    /**
     * @param broadcast whether only size-1 axes may grow ({@code expand}); else every axis is
     *     repeated {@code out / in} times ({@code repeat}, {@code tile})
     */
    private static void tileTo(
            Node node, TranslationContext ctx, Value x, Shape out, boolean broadcast)
            throws TranslationException {
        Shape in = ctx.types().shape(x);
        int added = out.rank() - in.rank();
        List<Dim> repeats = new ArrayList<>();
        List<Dim> haves = new ArrayList<>();
        boolean tiles = false;
        for (int i = 0; i < out.rank(); i++) {
            Dim have = i < added ? Dim.of(1) : in.dims().get(i - added);
            haves.add(have);
            Dim want = out.dims().get(i);
            Dim r;
            if (have.equals(want)) {
                r = Dim.of(1);
            } else if (have.equals(Dim.of(1))) {
                r = want;
            } else if (!broadcast && want.divideExactly(have).isPresent()) {
                r = want.divideExactly(have).get();
            } else {
                throw new TranslationException(
                        "cannot "
                                + node.kind()
                                + " size "
                                + have
                                + " to "
                                + want
                                + " ("
                                + in
                                + " to "
                                + out
                                + ")");
            }
            tiles |= !r.equals(Dim.of(1));
            repeats.add(r);
        }
        if (added == 0 && !tiles) {
            ctx.nnef().alias(node.output(0), x);
            return;
        }
        Invocation unsqueeze =
                Invocation.builder("unsqueeze")
                        .arg(ctx.nnef().tensor(x))
                        .arg("axes", Axes.range(0, added))
                        .build();
        if (!tiles) {
            ctx.nnef().define(node.output(0), unsqueeze);
            return;
        }
        Expr e = added > 0 ? ctx.nnef().temp("unsqueezed", unsqueeze) : ctx.nnef().tensor(x);
        ctx.nnef().define(node.output(0), Tiles.tile(ctx.nnef(), ctx.tract(), e, haves, repeats));
    }

    private static void flip(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        Shape shape = ctx.types().shape(x);
        long[] dims =
                ctx.values()
                        .intList(
                                Args.get(node, "dims", 1),
                                ctx.values().dimList(Args.get(node, "dims", 1)).size());
        List<Integer> axes = new ArrayList<>();
        for (long d : dims) {
            int a = Axes.normalize(d, shape.rank());
            Dim length = shape.dims().get(a);
            if (!length.isConstant()) {
                throw new TranslationException(
                        "flip along the symbolic size "
                                + length
                                + " of axis "
                                + a
                                + ": the reversed indices must be known at export time");
            }
            if (length.constant() > 1 && !axes.contains(a)) {
                axes.add(a);
            }
        }
        if (axes.isEmpty()) {
            ctx.nnef().alias(node.output(0), x);
            return;
        }
        Expr y = ctx.nnef().tensor(x);
        for (int k = 0; k < axes.size(); k++) {
            int a = axes.get(k);
            long n = shape.dims().get(a).constant();
            long[] reversed = new long[(int) n];
            for (int i = 0; i < n; i++) {
                reversed[i] = n - 1 - i;
            }
            Expr indices =
                    ctx.nnef()
                            .computedVariable(
                                    "reversed",
                                    ElementType.INTEGER,
                                    TensorData.ofLongs(new long[] {n}, reversed));
            Invocation gather =
                    Invocation.builder(ctx.tract().tractOp("tract_core_gather"))
                            .arg(y)
                            .arg("indices", indices)
                            .arg("axis", a)
                            .build();
            if (k == axes.size() - 1) {
                ctx.nnef().define(node.output(0), gather);
            } else {
                y = ctx.nnef().temp("flipped", gather);
            }
        }
    }

    /**
     * {@code torch.roll(x, shifts, dims)}: per axis, the last {@code shift} items then the others,
     * a {@code concat} of two slices; without dims the flattened tensor rolls and gets its shape
     * back.
     */
    private static void roll(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        Shape shape = ctx.types().shape(x);
        Value shiftsArg = Args.get(node, "shifts", 1);
        long[] shifts = ctx.values().intList(shiftsArg, ctx.values().dimList(shiftsArg).size());
        Optional<Value> dimsArg = Args.optional(node, "dims", 2);
        long[] dims =
                dimsArg.isEmpty() || ctx.values().isNone(dimsArg.get())
                        ? new long[0]
                        : ctx.values()
                                .intList(dimsArg.get(), ctx.values().dimList(dimsArg.get()).size());
        if (!shape.isConcrete()) {
            throw new TranslationException(
                    "roll of the symbolic shape "
                            + shape
                            + ": the wrapped slices must be known"
                            + " at export time");
        }
        Expr y = ctx.nnef().tensor(x);
        if (dims.length == 0) {
            if (shifts.length != 1) {
                throw new TranslationException(
                        "roll without dims takes one shift, not " + shifts.length);
            }
            Dim volume = shape.volume();
            Expr flat =
                    ctx.nnef()
                            .temp(
                                    "flat",
                                    Invocation.builder("reshape")
                                            .arg(y)
                                            .arg("shape", Expr.ints(volume.constant()))
                                            .build());
            Optional<Invocation> rolled = rollAxis(ctx, flat, 0, volume, shifts[0]);
            Expr back = rolled.isPresent() ? ctx.nnef().temp("rolled", rolled.get()) : flat;
            ctx.nnef()
                    .define(
                            node.output(0),
                            Invocation.builder("reshape")
                                    .arg(back)
                                    .arg("shape", Expr.ints(shape.toLongArray()))
                                    .build());
            return;
        }
        if (shifts.length != dims.length) {
            throw new TranslationException(
                    "roll with " + shifts.length + " shifts for " + dims.length + " dims");
        }
        Invocation last = null;
        for (int i = 0; i < dims.length; i++) {
            if (last != null) {
                y = ctx.nnef().temp("rolled", last);
                last = null;
            }
            int axis = Axes.normalize(dims[i], shape.rank());
            last = rollAxis(ctx, y, axis, shape.dims().get(axis), shifts[i]).orElse(null);
        }
        if (last != null) {
            ctx.nnef().define(node.output(0), last);
        } else if (y.equals(ctx.nnef().tensor(x))) {
            ctx.nnef().alias(node.output(0), x);
        } else {
            ctx.nnef().bindExpr(node.output(0), y);
        }
    }

    /**
     * The concat of the last {@code shift mod length} items and the others along an axis; empty
     * when it is a no-op.
     */
    private static Optional<Invocation> rollAxis(
            TranslationContext ctx, Expr x, int axis, Dim length, long shift)
            throws TranslationException {
        long n = length.constant();
        long s = n == 0 ? 0 : Math.floorMod(shift, n);
        if (s == 0) {
            return Optional.empty();
        }
        Expr tail =
                ctx.nnef()
                        .temp(
                                "tail",
                                Slicing.slice(ctx, x, axis, length, Dim.of(n - s), length, 1));
        Expr head =
                ctx.nnef()
                        .temp(
                                "head",
                                Slicing.slice(ctx, x, axis, length, Dim.of(0), Dim.of(n - s), 1));
        return Optional.of(
                Invocation.builder("concat")
                        .arg(Expr.array(List.of(tail, head)))
                        .arg("axis", axis)
                        .build());
    }
}
