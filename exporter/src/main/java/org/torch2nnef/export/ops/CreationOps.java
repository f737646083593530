package org.torch2nnef.export.ops;

import java.util.Arrays;
import java.util.Optional;
import org.torch2nnef.export.OpFamily;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.export.TractTarget;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType;
import org.torch2nnef.graph.shapes.NodeTypes;
import org.torch2nnef.graph.shapes.ShapeInferenceException;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.TensorData;
import org.torch2nnef.torchscript.TorchDType;

/**
 * Tensors made in forward: {@code zeros}, {@code ones}, {@code full} (and their {@code _like} and
 * {@code new_} forms), {@code scalar_tensor}, {@code fill_} and {@code arange}. Shape and dtype are
 * the output's, as shape inference computed them (dtype keywords, torch's ScalarType codes, already
 * applied there). Values computed at export time are {@code variable}s (tract implements no NNEF
 * {@code constant}): a fill is a one-item variable repeated by the standard {@code tile}, or by
 * tract's {@code tract_core_broadcast} when the shape has a dynamic axis; an {@code arange} of
 * known length is a variable of its items, one of dynamic length tract's {@code tract_core_range}.
 *
 * <p>Targets before tract 0.21.2 read symbols in shape arguments only, not in range bounds ({@link
 * TractTarget#SYMBOLS_IN_EXPRESSIONS}): a dynamic bound {@code d} is then the length of a tensor
 * broadcast to {@code [d]}, read back by {@code tract_core_shape_of} as a {@code TDim} scalar, and
 * the range (of {@code TDim} items then) is cast to int64.
 */
public final class CreationOps implements OpFamily {

    @Override
    public void register(OpRegistry r) {
        r.op(
                        "aten::zeros(int[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor")
                .shape(n -> sized(n, TorchDType.FLOAT32))
                .translate((node, ctx) -> filled(node, ctx, 0.0));
        r.op(
                        "aten::ones(int[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor")
                .shape(n -> sized(n, TorchDType.FLOAT32))
                .translate((node, ctx) -> filled(node, ctx, 1.0));
        r.op(
                        "aten::full(int[] size, Scalar fill_value, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor")
                .shape(n -> sized(n, fillType(n.input(n.at("fill_value")).type())))
                .translate((node, ctx) -> filled(node, ctx, fill(node, ctx, "fill_value", 1)));
        r.op(
                        "aten::zeros_like(Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, MemoryFormat? memory_format=None) -> Tensor")
                .shape(CreationOps::like)
                .translate((node, ctx) -> filled(node, ctx, 0.0));
        r.op(
                        "aten::ones_like(Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, MemoryFormat? memory_format=None) -> Tensor")
                .shape(CreationOps::like)
                .translate((node, ctx) -> filled(node, ctx, 1.0));
        r.op(
                        "aten::full_like(Tensor self, Scalar fill_value, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, MemoryFormat? memory_format=None) -> Tensor")
                .shape(CreationOps::like)
                .translate((node, ctx) -> filled(node, ctx, fill(node, ctx, "fill_value", 1)));
        r.op(
                        "aten::new_zeros(Tensor self, int[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor")
                .shape(CreationOps::newSized)
                .translate((node, ctx) -> filled(node, ctx, 0.0));
        r.op(
                        "aten::new_ones(Tensor self, int[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor")
                .shape(CreationOps::newSized)
                .translate((node, ctx) -> filled(node, ctx, 1.0));
        r.op(
                        "aten::new_full(Tensor self, int[] size, Scalar fill_value, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor")
                .shape(CreationOps::newSized)
                .translate((node, ctx) -> filled(node, ctx, fill(node, ctx, "fill_value", 2)));
        r.op(
                        "aten::scalar_tensor(Scalar s, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor")
                .shape(n -> n.output(0, dtype(n, TorchDType.FLOAT32), Shape.scalar()))
                .translate((node, ctx) -> filled(node, ctx, fill(node, ctx, "s", 0)));
        // the tracer rebinds later uses of the filled tensor to this node's output
        r.op("aten::fill_.Scalar(Tensor self, Scalar value) -> Tensor")
                .overload("aten::fill_.Tensor(Tensor self, Tensor value) -> Tensor")
                .shape(n -> n.output(0, n.tensor(0)))
                .translate((node, ctx) -> filled(node, ctx, fill(node, ctx, "value", 1)));
        r.op(
                        "aten::arange(Scalar end, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor")
                .overload(
                        "aten::arange.start(Scalar start, Scalar end, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor")
                .overload(
                        "aten::arange.start_step(Scalar start, Scalar end, Scalar step=1, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor")
                .shape(CreationOps::arangeShape)
                .translate(CreationOps::arange);
    }

    private static void sized(NodeTypes n, TorchDType otherwise) {
        n.output(0, dtype(n, otherwise), new Shape(n.dims(n.at("size"))));
    }

    private static void like(NodeTypes n) {
        n.output(0, dtype(n, n.tensor(0).dtype()), n.tensor(0).shape());
    }

    private static void newSized(NodeTypes n) {
        n.output(0, dtype(n, n.tensor(0).dtype()), new Shape(n.dims(n.at("size"))));
    }

    /** The {@code dtype} keyword's type, or {@code otherwise} when it is None. */
    private static TorchDType dtype(NodeTypes n, TorchDType otherwise) {
        int i = n.node().argNames().indexOf("dtype");
        return i < 0 ? otherwise : n.dtype(i).orElse(otherwise);
    }

    /** {@code torch.full} without dtype infers it from the fill value. */
    private static TorchDType fillType(ValueType t) {
        if (t instanceof ValueType.BoolType) {
            return TorchDType.BOOL;
        }
        return t instanceof ValueType.IntType ? TorchDType.INT64 : TorchDType.FLOAT32;
    }

    private static void arangeShape(NodeTypes n) {
        int dtypeIndex = n.node().argNames().indexOf("dtype");
        int bounds = dtypeIndex; // start/end/step come before dtype
        boolean floating = false;
        for (int i = 0; i < bounds; i++) {
            floating |= n.input(i).type() instanceof ValueType.FloatType;
        }
        TorchDType dtype =
                n.dtype(dtypeIndex).orElse(floating ? TorchDType.FLOAT32 : TorchDType.INT64);
        Dim length;
        if (!floating) {
            Dim start = bounds >= 2 ? n.dim(0) : Dim.of(0);
            Dim end = n.dim(bounds >= 2 ? 1 : 0);
            long step = bounds >= 3 ? n.integer(2) : 1;
            if (step == 0) {
                throw new ShapeInferenceException("arange with step 0");
            }
            Dim span = end.minus(start);
            if (span.isConstant()) {
                // ceil(span / step) for either sign of step, empty when the bounds are the wrong
                // way round
                long count = Math.floorDiv(span.constant() + step + (step > 0 ? -1 : 1), step);
                length = Dim.of(Math.max(0, count));
            } else if (step > 0) {
                length = span.ceilDiv(step);
            } else {
                throw new ShapeInferenceException(
                        "arange with the negative step " + step + " over the dynamic span " + span);
            }
        } else {
            double start = bounds >= 2 ? n.number(0) : 0;
            double end = n.number(bounds >= 2 ? 1 : 0);
            double step = bounds >= 3 ? n.number(2) : 1;
            length = Dim.of(Math.max(0, (long) Math.ceil((end - start) / step)));
        }
        n.output(0, dtype, Shape.of(length));
    }

    /** The fill value as a double ({@code true} is 1): a known number or a 0-d traced constant. */
    private static double fill(Node node, TranslationContext ctx, String name, int position)
            throws TranslationException {
        Value v = Args.get(node, name, position);
        Optional<Double> constant = ctx.values().scalarConstant(v);
        if (constant.isPresent()) {
            return constant.get();
        }
        Object k = ctx.values().known(v).orElse(null);
        if (k instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (k instanceof Double || k instanceof Dim) {
            return ctx.values().doubleArg(v);
        }
        throw new TranslationException(
                "the fill value "
                        + v.describe()
                        + " of "
                        + node.kind()
                        + " must be known at export time (a tensor computed in forward is not supported)");
    }

    /**
     * Defines the output as its shape filled with {@code value}: a one-item variable of the
     * output's rank (the output itself when it has one item), repeated to the shape by the standard
     * {@code tile}, or by {@code tract_core_broadcast} when the shape is dynamic.
     */
    private static void filled(Node node, TranslationContext ctx, double value)
            throws TranslationException {
        Value out = node.output(0);
        Shape shape = ctx.types().shape(out);
        TorchDType dtype = ctx.types().dtype(out);
        long[] units = new long[shape.rank()];
        Arrays.fill(units, 1);
        TensorData item = ExportTimeTensors.of(dtype, units, value);
        if (shape.volume().equals(Dim.of(1))) {
            ctx.nnef().defineVariable(out, item);
        } else if (shape.isConcrete()) {
            ctx.nnef()
                    .define(
                            out,
                            Invocation.builder("tile")
                                    .arg(ctx.nnef().variable("fill", item))
                                    .arg("repeats", Expr.ints(shape.toLongArray()))
                                    .build());
        } else {
            ctx.tract().requireTractForm(TractTarget.SYMBOLIC_BROADCAST);
            ctx.nnef()
                    .define(
                            out,
                            Invocation.builder(ctx.tract().tractOp("tract_core_broadcast"))
                                    .arg(ctx.nnef().variable("fill", item))
                                    .arg("shape", ctx.nnef().dims(shape.dims()))
                                    .build());
        }
    }

    /**
     * {@code arange(end)}, {@code arange(start, end)}, {@code arange(start, end, step)} (each then
     * dtype, layout, device, pin_memory). Items are {@code start + i * step}, computed in double
     * and then converted to the dtype, as torch's CPU kernel does.
     */
    private static void arange(Node node, TranslationContext ctx) throws TranslationException {
        int bounds = node.argNames().indexOf("dtype");
        if (bounds < 1 || bounds > 3) {
            throw new TranslationException(
                    "arange with " + node.inputs().size() + " arguments fits no known overload");
        }
        Value out = node.output(0);
        TorchDType dtype = ctx.types().dtype(out);
        Dim length = ctx.types().shape(out).dim(0);
        Value startArg = bounds >= 2 ? node.input(0) : null;
        Value endArg = node.input(bounds >= 2 ? 1 : 0);
        Value stepArg = bounds == 3 ? node.input(2) : null;
        if (!length.isConstant()) {
            ctx.nnef().define(out, dynamicRange(ctx, dtype, startArg, endArg, stepArg));
            return;
        }
        double start = startArg == null ? 0 : ctx.values().doubleArg(startArg);
        double step = stepArg == null ? 1 : ctx.values().doubleArg(stepArg);
        double[] items = new double[Math.toIntExact(length.constant())];
        for (int i = 0; i < items.length; i++) {
            items[i] = start + i * step;
        }
        ctx.nnef()
                .defineVariable(out, ExportTimeTensors.of(dtype, new long[] {items.length}, items));
    }

    /**
     * {@code tract_core_range} over integer bounds (one of them a dynamic size), cast when the
     * dtype is not int64.
     */
    private static Expr dynamicRange(
            TranslationContext ctx, TorchDType dtype, Value start, Value end, Value step)
            throws TranslationException {
        Expr range =
                Invocation.of(
                        ctx.tract().tractOp("tract_core_range"),
                        bound(ctx, start, 0),
                        bound(ctx, end, 0),
                        bound(ctx, step, 1));
        if (!ctx.tract().tractAllows(TractTarget.SYMBOLS_IN_EXPRESSIONS)) {
            range =
                    Invocation.builder(ctx.tract().tractOp("tract_core_cast"))
                            .arg(ctx.nnef().temp("range_dims", range))
                            .arg("to", Expr.str(CastOps.tractDatumType(TorchDType.INT64)))
                            .build();
        }
        if (dtype == TorchDType.INT64) {
            return range;
        }
        return CastOps.cast(ctx, ctx.nnef().temp("range", range), TorchDType.INT64, dtype);
    }

    private static Expr bound(TranslationContext ctx, Value v, long otherwise)
            throws TranslationException {
        if (v == null) {
            return Expr.of(otherwise);
        }
        Object k = ctx.values().known(v).orElse(null);
        if (k instanceof Dim d) {
            return d.isConstant() ? ctx.nnef().dim(d) : SizeScalars.of(ctx, d);
        }
        throw new TranslationException(
                "arange of dynamic length needs integer bounds, not " + v.describe());
    }
}
