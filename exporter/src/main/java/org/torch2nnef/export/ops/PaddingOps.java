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
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;

/**
 * Padding: {@code pad} (what {@code F.pad} traces to), {@code constant_pad_nd}, {@code
 * reflection_pad1d/2d}, {@code replication_pad1d/2d}. Constant and reflect padding are NNEF {@code
 * pad} with {@code border = 'constant' | 'reflect'}. Replicate padding is built from standard ops
 * ({@code slice} of the edge, {@code tile}, {@code concat}): NNEF spells that border {@code
 * 'replicate'} but tract reads only its own {@code 'replicated'}.
 */
public final class PaddingOps implements OpFamily {

    @Override
    public void register(OpRegistry r) {
        r.op("aten::constant_pad_nd(Tensor self, int[] pad, Scalar value=0) -> Tensor")
                .shape(PaddingOps::padShape)
                .translate((node, ctx) -> padWith(node, ctx, "constant"));
        r.op(
                        "aten::pad(Tensor self, int[] pad, str mode=\"constant\", float? value=None) -> Tensor")
                .shape(PaddingOps::padShape)
                .translate(PaddingOps::pad);
        for (String signature :
                List.of(
                        "aten::reflection_pad1d(Tensor self, int[2] padding) -> Tensor",
                        "aten::reflection_pad2d(Tensor self, int[4] padding) -> Tensor")) {
            r.op(signature)
                    .shape(PaddingOps::padShape)
                    .translate((node, ctx) -> padWith(node, ctx, "reflect"));
        }
        for (String signature :
                List.of(
                        "aten::replication_pad1d(Tensor self, int[2] padding) -> Tensor",
                        "aten::replication_pad2d(Tensor self, int[4] padding) -> Tensor")) {
            r.op(signature)
                    .shape(PaddingOps::padShape)
                    .translate((node, ctx) -> padWith(node, ctx, "replicate"));
        }
    }

    /** Pads come in (before, after) pairs starting from the last axis. */
    private static void padShape(NodeTypes n) {
        TensorType t = n.tensor(0);
        List<Dim> pads = n.dims(n.at(n.has("pad") ? "pad" : "padding"));
        if (pads.size() % 2 != 0 || pads.size() / 2 > t.rank()) {
            throw new ShapeInferenceException("padding " + pads + " does not fit " + t.shape());
        }
        List<Dim> out = new ArrayList<>(t.shape().dims());
        for (int i = 0; i < pads.size() / 2; i++) {
            int axis = t.rank() - 1 - i;
            out.set(axis, out.get(axis).plus(pads.get(2 * i)).plus(pads.get(2 * i + 1)));
        }
        n.output(0, t.dtype(), new Shape(out));
    }

    private static void pad(Node node, TranslationContext ctx) throws TranslationException {
        Optional<Value> mode = Args.optional(node, "mode", 2);
        String m =
                mode.isEmpty() || ctx.values().isNone(mode.get())
                        ? "constant"
                        : mode.get()
                                .knownString()
                                .orElseThrow(
                                        () ->
                                                new TranslationException(
                                                        "pad mode "
                                                                + mode.get().describe()
                                                                + " is not known at export time"));
        padWith(node, ctx, m);
    }

    private static void padWith(Node node, TranslationContext ctx, String mode)
            throws TranslationException {
        Value x = node.input(0);
        Shape shape = ctx.types().shape(x);
        // aten::pad and constant_pad_nd name their pads "pad", the reflection and replication ops
        // "padding"
        boolean functional = node.kind().equals("aten::pad");
        Value padArg =
                node.argNames().contains("pad")
                        ? Args.get(node, "pad", 1)
                        : Args.get(node, "padding", 1);
        long[] pads = ctx.values().intList(padArg, ctx.values().dimList(padArg).size());
        if (pads.length % 2 != 0 || pads.length / 2 > shape.rank()) {
            throw new TranslationException(
                    "padding "
                            + Arrays.toString(pads)
                            + " does not fit a tensor of shape "
                            + shape);
        }
        // torch lists (before, after) pairs from the last axis backwards
        long[][] perAxis = new long[shape.rank()][2];
        boolean any = false;
        for (int i = 0; i < pads.length / 2; i++) {
            int axis = shape.rank() - 1 - i;
            perAxis[axis][0] = pads[2 * i];
            perAxis[axis][1] = pads[2 * i + 1];
            if (pads[2 * i] < 0 || pads[2 * i + 1] < 0) {
                throw new TranslationException(
                        "negative padding "
                                + Arrays.toString(pads)
                                + " (cropping) is not supported; slice the tensor instead");
            }
            any |= pads[2 * i] != 0 || pads[2 * i + 1] != 0;
        }
        if (!any) {
            ctx.nnef().alias(node.output(0), x);
            return;
        }
        switch (mode) {
            case "constant" -> {
                Optional<Value> value = Args.optional(node, "value", functional ? 3 : 2);
                double v =
                        value.isEmpty() || ctx.values().isNone(value.get())
                                ? 0.0
                                : ctx.values().doubleArg(value.get());
                ctx.nnef()
                        .define(
                                node.output(0),
                                nnefPad(ctx, x, perAxis, "constant")
                                        .arg("value", Expr.of((float) v))
                                        .build());
            }
            case "reflect" -> {
                for (int a = 0; a < shape.rank(); a++) {
                    Dim length = shape.dims().get(a);
                    if (length.isConstant()
                            && Math.max(perAxis[a][0], perAxis[a][1]) >= length.constant()) {
                        throw new TranslationException(
                                "reflect padding "
                                        + Math.max(perAxis[a][0], perAxis[a][1])
                                        + " must be smaller than the size "
                                        + length
                                        + " of axis "
                                        + a);
                    }
                }
                ctx.nnef().define(node.output(0), nnefPad(ctx, x, perAxis, "reflect").build());
            }
            case "replicate" -> replicate(node, ctx, x, shape, perAxis);
            default ->
                    throw new TranslationException(
                            "pad mode '"
                                    + mode
                                    + "' is not supported (constant, reflect, replicate are)");
        }
    }

    private static Invocation.Builder nnefPad(
            TranslationContext ctx, Value x, long[][] perAxis, String border)
            throws TranslationException {
        List<Expr> pairs = new ArrayList<>();
        for (long[] p : perAxis) {
            pairs.add(Expr.tuple(Expr.of(p[0]), Expr.of(p[1])));
        }
        return Invocation.builder("pad")
                .arg(ctx.nnef().tensor(x))
                .arg("padding", Expr.array(pairs))
                .arg("border", border);
    }

    /**
     * Axis by axis: the first and last slices tiled to the pad widths, concatenated around the
     * tensor.
     */
    private static void replicate(
            Node node, TranslationContext ctx, Value x, Shape shape, long[][] perAxis)
            throws TranslationException {
        List<Integer> axes = new ArrayList<>();
        for (int a = 0; a < shape.rank(); a++) {
            if (perAxis[a][0] != 0 || perAxis[a][1] != 0) {
                axes.add(a);
            }
        }
        Expr current = ctx.nnef().tensor(x);
        for (int k = 0; k < axes.size(); k++) {
            int a = axes.get(k);
            Dim length = shape.dims().get(a);
            List<Expr> parts = new ArrayList<>();
            if (perAxis[a][0] > 0) {
                parts.add(edge(ctx, current, shape.rank(), a, length, Dim.of(0), perAxis[a][0]));
            }
            parts.add(current);
            if (perAxis[a][1] > 0) {
                parts.add(
                        edge(
                                ctx,
                                current,
                                shape.rank(),
                                a,
                                length,
                                length.minus(1),
                                perAxis[a][1]));
            }
            Invocation concat =
                    Invocation.builder("concat").arg(Expr.array(parts)).arg("axis", a).build();
            if (k == axes.size() - 1) {
                ctx.nnef().define(node.output(0), concat);
            } else {
                current = ctx.nnef().temp("padded", concat);
            }
        }
    }

    private static Expr edge(
            TranslationContext ctx, Expr x, int rank, int axis, Dim length, Dim at, long width)
            throws TranslationException {
        Expr slice =
                ctx.nnef().temp("edge", Slicing.slice(ctx, x, axis, length, at, at.plus(1), 1));
        if (width == 1) {
            return slice;
        }
        long[] repeats = new long[rank];
        Arrays.fill(repeats, 1);
        repeats[axis] = width;
        return ctx.nnef()
                .temp(
                        "edges",
                        Invocation.builder("tile")
                                .arg(slice)
                                .arg("repeats", Expr.ints(repeats))
                                .build());
    }
}
