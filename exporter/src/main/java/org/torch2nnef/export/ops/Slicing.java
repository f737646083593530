package org.torch2nnef.export.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.torch2nnef.export.NnefEmitter;
import org.torch2nnef.export.TractTarget;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;

/**
 * One slice along one axis with bounds already resolved by the translator: both in {@code [0,
 * length]}, possibly symbolic.
 *
 * <p>Sizes known at export time give NNEF's {@code slice} (bounds never negative nor an end of
 * {@code 0}, which tract reads as counting from the end). Where the axis or a bound is symbolic,
 * tract's {@code slice} reader clamps each bound with {@code min(bound, length)}
 * (nnef/src/ops/nnef/deser.rs) and cannot simplify {@code min(1, S)} without knowing {@code S >=
 * 1}: the {@code min} stays in every later size, so a reshape to the length torch computed fails,
 * and a stride fails in the declutter pass, which needs the start as a number ("Undetermined symbol
 * in expression: min(S,1)"). So there the slice is {@code tract_core_dyn_slice} with the exact
 * bounds and length (tract turns it into a slice of exactly those bounds), and a stride is {@code
 * tract_core_downsample} of that range. {@code --nnef-spec-strict} and targets without these keep
 * {@code slice}.
 *
 * <p>A slice of a recorded {@link NnefEmitter#concatenation concatenation} ({@code cat}, {@code
 * stack}, the stacked states of a recurrent layer) reads the pieces: within one piece it slices the
 * piece, across pieces it concatenates the parts. Besides skipping the concat, this keeps tract
 * before 0.23.0 loading the model, whose PushSliceUp declutter pass fails on a tensor read only by
 * two or more slices that all start past 0 ({@code boundaries[0] == 0} in core/src/optim/slice.rs;
 * fixed by sonos/tract 803bdad).
 */
public final class Slicing {
    private static final String DYN_SLICE = "tract_core_dyn_slice";
    private static final String DOWNSAMPLE = "tract_core_downsample";

    private Slicing() {}

    /**
     * @param ctx the translation
     * @param x the sliced tensor
     * @param axis the axis, in {@code [0, rank)}
     * @param length the size of {@code x} along {@code axis}
     * @param begin the first index
     * @param end one past the last index; must not be the constant 0 (an empty slice)
     * @param stride the step, positive
     * @return the invocation computing the slice
     * @throws TranslationException if the slice is empty (NNEF has no empty tensors) or a bound
     *     cannot be written
     */
    public static Invocation slice(
            TranslationContext ctx, Expr x, int axis, Dim length, Dim begin, Dim end, long stride)
            throws TranslationException {
        Dim size = end.minus(begin);
        if (end.isConstant() && end.constant() == 0 || size.isConstant() && size.constant() <= 0) {
            throw new TranslationException(
                    "slice ["
                            + begin
                            + ", "
                            + end
                            + ") along axis "
                            + axis
                            + " is empty; NNEF has no empty tensors");
        }
        Optional<NnefEmitter.Concatenation> c =
                ctx.nnef().concatenation(x).filter(k -> k.axis() == axis);
        if (c.isPresent()) {
            Optional<Invocation> fromPieces = ofPieces(ctx, c.get(), begin, end, stride);
            if (fromPieces.isPresent()) {
                return fromPieces.get();
            }
        }
        return range(ctx, x, axis, length, begin, end, stride);
    }

    /**
     * The slice of the tensor itself: {@code slice}, or the exact range (and downsampling) tract
     * keeps exact.
     */
    private static Invocation range(
            TranslationContext ctx, Expr x, int axis, Dim length, Dim begin, Dim end, long stride)
            throws TranslationException {
        boolean known = begin.isConstant() && end.isConstant() && length.isConstant();
        if (known || !exactRangeAllowed(ctx, begin, end)) {
            Invocation.Builder b =
                    Invocation.builder("slice")
                            .arg(x)
                            .arg("axes", Expr.ints(axis))
                            .arg("begin", Expr.array(ctx.nnef().dim(begin)))
                            .arg("end", Expr.array(ctx.nnef().dim(end)));
            if (stride != 1) {
                b.arg("stride", Expr.ints(stride));
            }
            return b.build();
        }
        boolean whole = begin.equals(Dim.of(0)) && end.equals(length);
        Expr items = x;
        if (stride == 1 || !whole) {
            Invocation range =
                    Invocation.builder(ctx.tract().tractOp(DYN_SLICE))
                            .arg(x)
                            .arg("start", ctx.nnef().dim(begin))
                            .arg("end", ctx.nnef().dim(end))
                            .arg("len", ctx.nnef().dim(end.minus(begin)))
                            .arg("axis", Expr.of(axis))
                            .build();
            if (stride == 1) {
                return range;
            }
            items = ctx.nnef().temp("range", range);
        }
        return Invocation.builder(ctx.tract().tractOp(DOWNSAMPLE))
                .arg(items)
                .arg("axis", Expr.of(axis))
                .arg("stride", Expr.of(stride))
                .arg("modulo", Expr.of(0))
                .build();
    }

    /**
     * Whether the target reads {@code tract_core_dyn_slice} with these bounds (symbols in them need
     * 0.21.2).
     */
    private static boolean exactRangeAllowed(TranslationContext ctx, Dim begin, Dim end) {
        boolean symbols = !begin.isConstant() || !end.isConstant();
        return ctx.tract().tractAllows(DYN_SLICE)
                && ctx.tract().tractAllows(DOWNSAMPLE)
                && (!symbols || ctx.tract().tractAllows(TractTarget.SYMBOLS_IN_EXPRESSIONS));
    }

    /**
     * @param ctx the translation
     * @param x a tensor
     * @param axis an axis of it
     * @param begin the first index
     * @param end one past the last index
     * @return the piece that is exactly {@code [begin, end)} along {@code axis}, when {@code x} was
     *     recorded as its concatenation there with others (a {@code cat}, not a {@code stack})
     */
    public static Optional<Expr> piece(
            TranslationContext ctx, Expr x, int axis, Dim begin, Dim end) {
        Optional<NnefEmitter.Concatenation> c =
                ctx.nnef().concatenation(x).filter(k -> k.axis() == axis && !k.stacked());
        return c.flatMap(k -> parts(k, begin, end))
                .filter(p -> p.size() == 1 && p.get(0).whole())
                .map(p -> c.get().pieces().get(p.get(0).index()));
    }

    /**
     * @param ctx the translation
     * @param x a tensor
     * @param axis an axis of it
     * @param index a position along the axis
     * @return the tensor stacked at {@code index} (without the axis), when {@code x} was recorded
     *     as a {@code stack} along {@code axis}
     */
    public static Optional<Expr> stackedItem(TranslationContext ctx, Expr x, int axis, Dim index) {
        Optional<NnefEmitter.Concatenation> c =
                ctx.nnef().concatenation(x).filter(k -> k.axis() == axis && k.stacked());
        return c.flatMap(k -> parts(k, index, index.plus(1)))
                .filter(p -> p.size() == 1)
                .map(p -> c.get().pieces().get(p.get(0).index()));
    }

    /** The part of piece {@code index} a slice reads, in the piece's own indices. */
    private record Part(int index, Dim begin, Dim end, boolean whole) {}

    /**
     * The parts of the pieces {@code [begin, end)} reads, when where its bounds fall among them is
     * provable.
     */
    private static Optional<List<Part>> parts(NnefEmitter.Concatenation c, Dim begin, Dim end) {
        List<Part> parts = new ArrayList<>();
        Dim offset = Dim.of(0);
        for (int i = 0; i < c.pieces().size(); i++) {
            Dim size = c.sizes().get(i);
            Dim from = offset;
            offset = offset.plus(size);
            if (begin.minus(offset).isNonNegative()) {
                continue; // the piece is before the slice
            }
            if (from.minus(end).isNonNegative()) {
                break; // and so is every later one
            }
            Optional<Dim> b = clamp(begin.minus(from), size);
            Optional<Dim> e = clamp(end.minus(from), size);
            if (b.isEmpty() || e.isEmpty()) {
                return Optional.empty();
            }
            parts.add(
                    new Part(
                            i,
                            b.get(),
                            e.get(),
                            b.get().equals(Dim.of(0)) && e.get().equals(size)));
        }
        return parts.isEmpty() ? Optional.empty() : Optional.of(parts);
    }

    /**
     * The slice read from the pieces: within one piece, a slice of it (a stacked piece is
     * unsqueezed); across pieces (stride 1), the concat of the parts, or the stack of the items.
     */
    private static Optional<Invocation> ofPieces(
            TranslationContext ctx, NnefEmitter.Concatenation c, Dim begin, Dim end, long stride)
            throws TranslationException {
        Optional<List<Part>> found = parts(c, begin, end);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        List<Part> parts = found.get();
        if (parts.size() == 1) {
            return Optional.of(read(ctx, c, parts.get(0), stride));
        }
        if (stride != 1) {
            return Optional.empty();
        }
        List<Expr> items = new ArrayList<>(parts.size());
        for (Part p : parts) {
            items.add(
                    p.whole()
                            ? c.pieces().get(p.index())
                            : ctx.nnef().temp("part", read(ctx, c, p, 1)));
        }
        return Optional.of(
                Invocation.builder(c.stacked() ? "stack" : "concat")
                        .arg(Expr.array(items))
                        .arg("axis", c.axis())
                        .build());
    }

    /**
     * One part of a piece: a stacked piece (one item along the axis) is unsqueezed, others sliced.
     */
    private static Invocation read(
            TranslationContext ctx, NnefEmitter.Concatenation c, Part p, long stride)
            throws TranslationException {
        Expr piece = c.pieces().get(p.index());
        if (c.stacked()) {
            return Invocation.builder("unsqueeze")
                    .arg(piece)
                    .arg("axes", Expr.ints(c.axis()))
                    .build();
        }
        Dim size = c.sizes().get(p.index());
        return p.whole()
                ? range(ctx, piece, c.axis(), size, p.begin(), p.end(), stride)
                : slice(ctx, piece, c.axis(), size, p.begin(), p.end(), stride);
    }

    /** A bound relative to a piece, clamped to {@code [0, size]}, when its place is provable. */
    private static Optional<Dim> clamp(Dim local, Dim size) {
        if (!local.isNonNegative()) {
            return local.times(-1).isNonNegative() ? Optional.of(Dim.of(0)) : Optional.empty();
        }
        if (size.minus(local).isNonNegative()) {
            return Optional.of(local);
        }
        return local.minus(size).isNonNegative() ? Optional.of(size) : Optional.empty();
    }
}
