package org.torch2nnef.export.ops;

import java.util.Optional;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.graph.Value;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.Quantization.ZeroPointLinear;
import org.torch2nnef.torchscript.TorchDType;

/**
 * An operand of {@code quantized::add} / {@code add_relu} read as torch's kernel reads it ({@code
 * qadd_kernel}, x86 and fbgemm engines): its vectorized dequantization is {@code fma(scale, code,
 * scale * -zero_point)}, rounded once, where tract's cast rounds {@code (code - zero_point) *
 * scale}; the two differ by an ulp on some codes, and the sum then lands on the other side of a
 * rounding boundary (17% of the elements of an add whose output step is twice its inputs' step).
 * The 256 values are computed here ({@link Math#fma}) and picked by code with {@code
 * tract_core_gather}. qnnpack's add is fixed-point and follows neither.
 */
final class QuantizedAdd {
    private QuantizedAdd() {}

    /** The float value of {@code x} as torch's add reads it; its dequantization if not 8-bit. */
    static Expr operand(TranslationContext ctx, Value x) throws TranslationException {
        Expr dequantized = ctx.nnef().tensor(x);
        Optional<ZeroPointLinear> q = ctx.nnef().quantization(x);
        if (q.isEmpty()) {
            return dequantized;
        }
        float scale = q.get().scale();
        long zeroPoint = q.get().zeroPoint();
        int lowest = q.get().signed() ? -128 : 0;
        float premul = scale * -(float) zeroPoint;
        double[] table = new double[256];
        for (int i = 0; i < table.length; i++) {
            table[i] = Math.fma(scale, (float) (i + lowest), premul);
        }
        Expr codes = QuantizedProduct.codes(ctx, dequantized, scale);
        Expr shifted =
                ctx.nnef()
                        .temp(
                                "codes",
                                Invocation.of("add", codes, Expr.of((float) (zeroPoint - lowest))));
        Expr index =
                ctx.nnef()
                        .temp(
                                "index",
                                Invocation.builder(ctx.tract().tractOp("tract_core_cast"))
                                        .arg(shifted)
                                        .arg("to", Expr.str("i64"))
                                        .build());
        Expr values =
                ctx.nnef()
                        .variable(
                                "dequantized",
                                ExportTimeTensors.of(TorchDType.FLOAT32, new long[] {256}, table));
        return ctx.nnef()
                .temp(
                        "dequantized",
                        Invocation.builder(ctx.tract().tractOp("tract_core_gather"))
                                .arg(values)
                                .arg("indices", index)
                                .arg("axis", 0)
                                .build());
    }
}
