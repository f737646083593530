package org.torch2nnef.export.ops;

import org.torch2nnef.export.TractTarget;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.torchscript.TorchDType;

/**
 * A dynamic size used as tensor data ({@code torch.arange(x.shape[1])}, {@code y / x.shape[1]}):
 * the size's expression where the target tract reads symbols outside shape arguments, else the
 * length of a zero broadcast to {@code [d]} as {@code tract_core_shape_of} reads it; a 0-d TDim
 * (int64) tensor, cast to the dtype asked for.
 */
public final class SizeScalars {
    private SizeScalars() {}

    /**
     * @param ctx the translation
     * @param d a symbolic size
     * @return its value as a 0-d int64 tensor
     * @throws TranslationException where the target tract can express neither form
     */
    public static Expr of(TranslationContext ctx, Dim d) throws TranslationException {
        if (ctx.tract().tractAllows(TractTarget.SYMBOLS_IN_EXPRESSIONS)) {
            return ctx.nnef().dim(d);
        }
        ctx.tract().requireTractForm(TractTarget.SYMBOLIC_BROADCAST);
        Expr zero =
                ctx.nnef()
                        .variable(
                                "zero", ExportTimeTensors.of(TorchDType.FLOAT32, new long[0], 0.0));
        Expr sized =
                ctx.nnef()
                        .temp(
                                "sized",
                                Invocation.builder(ctx.tract().tractOp("tract_core_broadcast"))
                                        .arg(zero)
                                        .arg("shape", Expr.array(ctx.nnef().dim(d)))
                                        .build());
        Expr length =
                ctx.nnef()
                        .temp(
                                "length",
                                Invocation.of(ctx.tract().tractOp("tract_core_shape_of"), sized));
        return ctx.nnef()
                .temp(
                        "bound",
                        Invocation.builder("squeeze")
                                .arg(length)
                                .arg("axes", Expr.ints(0))
                                .build());
    }

    /**
     * @param ctx the translation
     * @param d a symbolic size
     * @param dtype the dtype it takes part in
     * @return its value as a 0-d tensor of {@code dtype}
     * @throws TranslationException as {@link #of(TranslationContext, Dim)}
     */
    public static Expr of(TranslationContext ctx, Dim d, TorchDType dtype)
            throws TranslationException {
        Expr size = of(ctx, d);
        return dtype == TorchDType.INT64
                ? size
                : CastOps.cast(ctx, ctx.nnef().temp("size", size), TorchDType.INT64, dtype);
    }
}
