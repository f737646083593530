package org.torch2nnef.export.ops;

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
 * tract's {@code tract_core_broadcast} when the shape has a dynamic axis; an {@code arange} of known
 * length is a variable of its items, one of dynamic length tract's {@code tract_core_range}.
 *
 * <p>Targets before tract 0.21.2 read symbols in shape arguments only, not in range bounds
 * ({@link TractTarget#SYMBOLS_IN_EXPRESSIONS}): a dynamic bound {@code d} is then the length of a
 * tensor broadcast to {@code [d]}, read back by {@code tract_core_shape_of} as a {@code TDim}
 * scalar, and the range (of {@code TDim} items then) is cast to int64.
 */
public final class CreationOps implements OpFamily {

    @Override
    public void register(OpRegistry r) {
        r.register((node, ctx) -> filled(node, ctx, 0.0), "aten::zeros", "aten::zeros_like", "aten::new_zeros");
        r.register((node, ctx) -> filled(node, ctx, 1.0), "aten::ones", "aten::ones_like", "aten::new_ones");
        r.register((node, ctx) -> filled(node, ctx, fill(node, ctx, "fill_value", 1)), "aten::full", "aten::full_like");
        r.register("aten::new_full", (node, ctx) -> filled(node, ctx, fill(node, ctx, "fill_value", 2)));
        r.register("aten::scalar_tensor", (node, ctx) -> filled(node, ctx, fill(node, ctx, "s", 0)));
        // the tracer rebinds later uses of the filled tensor to this node's output
        r.register("aten::fill_", (node, ctx) -> filled(node, ctx, fill(node, ctx, "value", 1)));
        r.register("aten::arange", CreationOps::arange);
    }

    /** The fill value as a double ({@code true} is 1): a known number or a 0-d traced constant. */
    private static double fill(Node node, TranslationContext ctx, String name, int position) throws TranslationException {
        Value v = Args.get(node, name, position);
        Optional<Double> constant = ctx.scalarConstant(v);
        if (constant.isPresent()) {
            return constant.get();
        }
        Object k = ctx.known(v).orElse(null);
        if (k instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (k instanceof Double || k instanceof Dim) {
            return ctx.doubleArg(v);
        }
        throw new TranslationException("the fill value " + v.describe() + " of " + node.kind()
                + " must be known at export time (a tensor computed in forward is not supported)");
    }

    /**
     * Defines the output as its shape filled with {@code value}: a one-item variable of the output's
     * rank (the output itself when it has one item), repeated to the shape by the standard
     * {@code tile}, or by {@code tract_core_broadcast} when the shape is dynamic.
     */
    private static void filled(Node node, TranslationContext ctx, double value) throws TranslationException {
        Value out = node.output(0);
        Shape shape = ctx.shape(out);
        TorchDType dtype = ctx.dtype(out);
        long[] units = new long[shape.rank()];
        java.util.Arrays.fill(units, 1);
        TensorData item = ExportTimeTensors.of(dtype, units, value);
        if (shape.volume().equals(Dim.of(1))) {
            ctx.defineVariable(out, item);
        } else if (shape.isConcrete()) {
            ctx.define(out, Invocation.builder("tile").arg(ctx.variable("fill", item))
                    .arg("repeats", Expr.ints(shape.toLongArray())).build());
        } else {
            ctx.requireTractForm(TractTarget.SYMBOLIC_BROADCAST);
            ctx.define(out, Invocation.builder(ctx.tractOp("tract_core_broadcast")).arg(ctx.variable("fill", item))
                    .arg("shape", ctx.dims(shape.dims())).build());
        }
    }

    /**
     * {@code arange(end)}, {@code arange(start, end)}, {@code arange(start, end, step)} (each then
     * dtype, layout, device, pin_memory). Items are {@code start + i * step}, computed in double and
     * then converted to the dtype, as torch's CPU kernel does.
     */
    private static void arange(Node node, TranslationContext ctx) throws TranslationException {
        int bounds = node.argNames().indexOf("dtype");
        if (bounds < 1 || bounds > 3) {
            throw new TranslationException("arange with " + node.inputs().size() + " arguments fits no known overload");
        }
        Value out = node.output(0);
        TorchDType dtype = ctx.dtype(out);
        Dim length = ctx.shape(out).dim(0);
        Value startArg = bounds >= 2 ? node.input(0) : null;
        Value endArg = node.input(bounds >= 2 ? 1 : 0);
        Value stepArg = bounds == 3 ? node.input(2) : null;
        if (!length.isConstant()) {
            ctx.define(out, dynamicRange(ctx, dtype, startArg, endArg, stepArg));
            return;
        }
        double start = startArg == null ? 0 : ctx.doubleArg(startArg);
        double step = stepArg == null ? 1 : ctx.doubleArg(stepArg);
        double[] items = new double[Math.toIntExact(length.constant())];
        for (int i = 0; i < items.length; i++) {
            items[i] = start + i * step;
        }
        ctx.defineVariable(out, ExportTimeTensors.of(dtype, new long[] {items.length}, items));
    }

    /** {@code tract_core_range} over integer bounds (one of them a dynamic size), cast when the dtype is not int64. */
    private static Expr dynamicRange(TranslationContext ctx, TorchDType dtype, Value start, Value end, Value step)
            throws TranslationException {
        Expr range = Invocation.of(ctx.tractOp("tract_core_range"), bound(ctx, start, 0), bound(ctx, end, 0),
                bound(ctx, step, 1));
        if (!ctx.tractAllows(TractTarget.SYMBOLS_IN_EXPRESSIONS)) {
            range = Invocation.builder(ctx.tractOp("tract_core_cast")).arg(ctx.temp("range_dims", range))
                    .arg("to", Expr.str(CastOps.tractDatumType(TorchDType.INT64))).build();
        }
        if (dtype == TorchDType.INT64) {
            return range;
        }
        return CastOps.cast(ctx, ctx.temp("range", range), TorchDType.INT64, dtype);
    }

    /**
     * A dynamic size as a scalar tensor for tracts that read symbols in shape arguments only: the
     * length of a zero broadcast to {@code [d]}, as {@code tract_core_shape_of} reads it.
     */
    private static Expr dimScalar(TranslationContext ctx, Dim d) throws TranslationException {
        ctx.requireTractForm(TractTarget.SYMBOLIC_BROADCAST);
        Expr zero = ctx.variable("zero", ExportTimeTensors.of(TorchDType.FLOAT32, new long[0], 0.0));
        Expr sized = ctx.temp("sized", Invocation.builder(ctx.tractOp("tract_core_broadcast")).arg(zero)
                .arg("shape", Expr.array(ctx.dim(d))).build());
        Expr length = ctx.temp("length", Invocation.of(ctx.tractOp("tract_core_shape_of"), sized));
        return ctx.temp("bound", Invocation.builder("squeeze").arg(length).arg("axes", Expr.ints(0)).build());
    }

    private static Expr bound(TranslationContext ctx, Value v, long otherwise) throws TranslationException {
        if (v == null) {
            return Expr.of(otherwise);
        }
        Object k = ctx.known(v).orElse(null);
        if (k instanceof Dim d) {
            return d.isConstant() || ctx.tractAllows(TractTarget.SYMBOLS_IN_EXPRESSIONS) ? ctx.dim(d) : dimScalar(ctx, d);
        }
        throw new TranslationException("arange of dynamic length needs integer bounds, not " + v.describe());
    }
}
