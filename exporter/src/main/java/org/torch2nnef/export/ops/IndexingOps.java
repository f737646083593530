package org.torch2nnef.export.ops;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.torch2nnef.export.spi.Tiles;
import org.torch2nnef.export.OpFamily;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.shapes.SliceBounds;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.ElementType;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.TensorData;
import org.torch2nnef.torchscript.TorchTensor;

/**
 * Indexing and broadcasting: {@code slice}, {@code select}, {@code narrow} (NNEF {@code slice},
 * {@code squeeze}); {@code index_select} with indices known at export time as standard NNEF
 * ({@code concat} of {@code slice}s), with tensor indices as {@code tract_core_gather};
 * {@code gather} as {@code tract_core_gather_elements}; {@code expand}, {@code expand_as},
 * {@code repeat}, {@code tile} (NNEF {@code unsqueeze} and {@code tile}); {@code flip} as a
 * {@code tract_core_gather} of reversed indices per axis (NNEF slices cannot step backwards).
 */
public final class IndexingOps implements OpFamily {
    @Override
    public void register(OpRegistry r) {
        r.register("aten::slice", IndexingOps::slice);
        r.register("aten::select", IndexingOps::select);
        r.register("aten::narrow", IndexingOps::narrow);
        r.register("aten::index_select", IndexingOps::indexSelect);
        r.register("aten::gather", IndexingOps::gather);
        r.register(IndexingOps::broadcastTo, "aten::expand", "aten::expand_as");
        r.register(IndexingOps::repeat, "aten::repeat", "aten::tile");
        r.register("aten::flip", IndexingOps::flip);
    }

    private static void slice(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        Shape shape = ctx.shape(x);
        int axis = Axes.normalize(ctx.intArg(Args.get(node, "dim", 1)), shape.rank());
        Dim length = shape.dims().get(axis);
        long step = ctx.intArg(Args.get(node, "step", 4));
        if (step <= 0) {
            throw new TranslationException("slice step " + step + " is not positive");
        }
        Value startArg = Args.get(node, "start", 2);
        Value endArg = Args.get(node, "end", 3);
        Dim begin = ctx.isNone(startArg) ? Dim.of(0) : bound(ctx, startArg, length);
        Dim end = ctx.isNone(endArg) ? length : bound(ctx, endArg, length);
        defineSlice(node, ctx, x, axis, begin, end, step);
    }

    /** The output as the slice: the input itself when whole, a piece of a concatenation when one is. */
    private static void defineSlice(Node node, TranslationContext ctx, Value x, int axis, Dim begin, Dim end, long step)
            throws TranslationException {
        Dim length = ctx.shape(x).dims().get(axis);
        if (begin.equals(Dim.of(0)) && end.equals(length) && step == 1) {
            ctx.alias(node.output(0), x);
            return;
        }
        Optional<Expr> piece = step == 1 ? Slicing.piece(ctx, ctx.tensor(x), axis, begin, end) : Optional.empty();
        if (piece.isPresent()) {
            ctx.bindExpr(node.output(0), piece.get());
            return;
        }
        ctx.define(node.output(0), Slicing.slice(ctx, ctx.tensor(x), axis, length, begin, end, step));
    }

    private static Dim bound(TranslationContext ctx, Value arg, Dim length) throws TranslationException {
        return SliceBounds.resolve(ctx.dimList(arg).get(0), length);
    }

    private static void select(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        Shape shape = ctx.shape(x);
        int axis = Axes.normalize(ctx.intArg(Args.get(node, "dim", 1)), shape.rank());
        Dim length = shape.dims().get(axis);
        Dim index = index(ctx.intArg(Args.get(node, "index", 2)), length, "select");
        Optional<Expr> stacked = Slicing.stackedItem(ctx, ctx.tensor(x), axis, index);
        if (stacked.isPresent()) {
            ctx.bindExpr(node.output(0), stacked.get());
            return;
        }
        Expr item = ctx.temp("item", Slicing.slice(ctx, ctx.tensor(x), axis, length, index, index.plus(1), 1));
        ctx.define(node.output(0), Invocation.builder("squeeze").arg(item).arg("axes", Expr.ints(axis)).build());
    }

    /** An index in {@code [-length, length)} as a position from the start, possibly symbolic. */
    private static Dim index(long i, Dim length, String op) throws TranslationException {
        if (length.isConstant() && (i >= length.constant() || i < -length.constant())) {
            throw new TranslationException(op + " index " + i + " is out of range for size " + length);
        }
        return i < 0 ? length.plus(i) : Dim.of(i);
    }

    private static void narrow(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        Shape shape = ctx.shape(x);
        int axis = Axes.normalize(ctx.intArg(Args.get(node, "dim", 1)), shape.rank());
        Dim length = shape.dims().get(axis);
        long start = ctx.intArg(Args.get(node, "start", 2));
        // torch allows start == length for an empty narrow, which NNEF cannot hold anyway
        Dim begin = start == 0 ? Dim.of(0) : index(start, length, "narrow start");
        Dim size = ctx.dimList(Args.get(node, "length", 3)).get(0);
        Dim end = begin.plus(size);
        if (length.isConstant() && end.isConstant() && end.constant() > length.constant()) {
            throw new TranslationException("narrow [" + begin + ", " + end + ") overruns size " + length);
        }
        defineSlice(node, ctx, x, axis, begin, end, 1);
    }

    private static void indexSelect(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        Shape shape = ctx.shape(x);
        int axis = Axes.normalize(ctx.intArg(Args.get(node, "dim", 1)), shape.rank());
        Value index = Args.get(node, "index", 2);
        Optional<long[]> known = constantIndices(index);
        if (known.isEmpty()) {
            Expr indices = ctx.tensor(index);
            if (ctx.rank(index) == 0) {
                indices = ctx.temp("index", Invocation.builder("unsqueeze").arg(indices).arg("axes", Expr.ints(0)).build());
            }
            ctx.define(node.output(0), Invocation.builder(ctx.tractOp("tract_core_gather")).arg(ctx.tensor(x))
                    .arg("indices", indices).arg("axis", axis).build());
            return;
        }
        Dim length = shape.dims().get(axis);
        Expr input = ctx.tensor(x);
        List<Invocation> runs = new ArrayList<>();
        long[] idx = known.get();
        // consecutive increasing indices form one slice
        for (int i = 0; i < idx.length; ) {
            if (idx[i] < 0) {
                throw new TranslationException("index_select index " + idx[i] + " is negative (torch rejects it)");
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
            ctx.define(node.output(0), runs.get(0));
            return;
        }
        List<Expr> parts = new ArrayList<>();
        for (Invocation run : runs) {
            parts.add(ctx.temp("run", run));
        }
        ctx.define(node.output(0), Invocation.builder("concat").arg(Expr.array(parts)).arg("axis", axis).build());
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
            throw new TranslationException("cannot read the indices " + index.name() + ": " + e.getMessage());
        }
    }

    private static void gather(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        int axis = Axes.normalize(ctx.intArg(Args.get(node, "dim", 1)), ctx.rank(x));
        Optional<Value> sparse = Args.optional(node, "sparse_grad", 3);
        if (sparse.isPresent() && !ctx.isNone(sparse.get()) && ctx.boolArg(sparse.get())) {
            throw new TranslationException("gather with sparse_grad=True has no inference meaning; trace without it");
        }
        ctx.define(node.output(0), Invocation.builder(ctx.tractOp("tract_core_gather_elements")).arg(ctx.tensor(x))
                .arg("indices", ctx.tensor(Args.get(node, "index", 2))).arg("axis", axis).build());
    }

    /** {@code expand}/{@code expand_as}: new leading axes, then size-1 axes tiled to the inferred output. */
    private static void broadcastTo(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        tileTo(node, ctx, x, ctx.shape(node.output(0)), true);
    }

    private static void repeat(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        tileTo(node, ctx, x, ctx.shape(node.output(0)), false);
    }

    /**
     * @param broadcast whether only size-1 axes may grow ({@code expand}); else every axis is
     *                  repeated {@code out / in} times ({@code repeat}, {@code tile})
     */
    private static void tileTo(Node node, TranslationContext ctx, Value x, Shape out, boolean broadcast)
            throws TranslationException {
        Shape in = ctx.shape(x);
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
                throw new TranslationException("cannot " + node.kind() + " size " + have + " to " + want + " (" + in
                        + " to " + out + ")");
            }
            tiles |= !r.equals(Dim.of(1));
            repeats.add(r);
        }
        if (added == 0 && !tiles) {
            ctx.alias(node.output(0), x);
            return;
        }
        Invocation unsqueeze = Invocation.builder("unsqueeze").arg(ctx.tensor(x)).arg("axes", Axes.range(0, added)).build();
        if (!tiles) {
            ctx.define(node.output(0), unsqueeze);
            return;
        }
        Expr e = added > 0 ? ctx.temp("unsqueezed", unsqueeze) : ctx.tensor(x);
        ctx.define(node.output(0), Tiles.tile(ctx.nnef(), ctx.tract(), e, haves, repeats));
    }

    private static void flip(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        Shape shape = ctx.shape(x);
        long[] dims = ctx.intList(Args.get(node, "dims", 1), ctx.dimList(Args.get(node, "dims", 1)).size());
        List<Integer> axes = new ArrayList<>();
        for (long d : dims) {
            int a = Axes.normalize(d, shape.rank());
            Dim length = shape.dims().get(a);
            if (!length.isConstant()) {
                throw new TranslationException("flip along the symbolic size " + length + " of axis " + a
                        + ": the reversed indices must be known at export time");
            }
            if (length.constant() > 1 && !axes.contains(a)) {
                axes.add(a);
            }
        }
        if (axes.isEmpty()) {
            ctx.alias(node.output(0), x);
            return;
        }
        Expr y = ctx.tensor(x);
        for (int k = 0; k < axes.size(); k++) {
            int a = axes.get(k);
            long n = shape.dims().get(a).constant();
            long[] reversed = new long[(int) n];
            for (int i = 0; i < n; i++) {
                reversed[i] = n - 1 - i;
            }
            Expr indices = ctx.computedVariable("reversed", ElementType.INTEGER, TensorData.ofLongs(new long[] {n}, reversed));
            Invocation gather = Invocation.builder(ctx.tractOp("tract_core_gather")).arg(y).arg("indices", indices)
                    .arg("axis", a).build();
            if (k == axes.size() - 1) {
                ctx.define(node.output(0), gather);
            } else {
                y = ctx.temp("flipped", gather);
            }
        }
    }
}
