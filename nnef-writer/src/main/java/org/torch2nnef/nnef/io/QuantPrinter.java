package org.torch2nnef.nnef.io;

import java.util.Map;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Identifiers;
import org.torch2nnef.nnef.model.Quantization;
import org.torch2nnef.nnef.model.RealFormat;

/**
 * Writes {@code graph.quant}: one {@code "name": op(key = value, …);} line per tensor, in the map's
 * order. Tensor names are quoted plain identifiers, as tract's quant parser requires; {@code
 * zero_point_linear_quantize} arguments print in tract's order, {@code linear_quantize} ones in the
 * Khronos order {@code min, max, bits} (tract takes any order).
 */
public final class QuantPrinter {
    private QuantPrinter() {}

    /** The {@code graph.quant} text of {@code quantization} (empty string for no entries). */
    public static String print(Map<String, Quantization> quantization) {
        StringBuilder sb = new StringBuilder();
        quantization.forEach(
                (name, q) -> {
                    if (!Identifiers.isValid(name)) {
                        throw new IllegalArgumentException(
                                "graph.quant: tensor name '"
                                        + name
                                        + "' is not a valid NNEF identifier (must match [A-Za-z_][A-Za-z0-9_]* and not be a keyword)");
                    }
                    sb.append('"').append(name).append("\": ").append(q.op()).append('(');
                    if (q instanceof Quantization.ZeroPointLinear z) {
                        sb.append("zero_point = ")
                                .append(z.zeroPoint())
                                .append(", scale = ")
                                .append(real(z.scale(), name, "scale"))
                                .append(", bits = ")
                                .append(z.bits())
                                .append(", signed = ")
                                .append(z.signed())
                                .append(", symmetric = ")
                                .append(z.symmetric());
                    } else if (q instanceof Quantization.Linear l) {
                        sb.append("min = ")
                                .append(real(l.min(), name, "min"))
                                .append(", max = ")
                                .append(real(l.max(), name, "max"))
                                .append(", bits = ")
                                .append(l.bits());
                    } else if (q instanceof Quantization.Other o) {
                        Identifiers.requireInvocationName(
                                o.op(), "graph.quant operation of '" + name + "'");
                        String sep = "";
                        for (Map.Entry<String, Expr> arg : o.args().entrySet()) {
                            sb.append(sep)
                                    .append(
                                            Identifiers.require(
                                                    arg.getKey(),
                                                    "graph.quant argument of '" + name + "'"))
                                    .append(" = ")
                                    .append(NnefPrinter.expr(arg.getValue()));
                            sep = ", ";
                        }
                    }
                    sb.append(");\n");
                });
        return sb.toString();
    }

    private static String real(float v, String name, String what) {
        if (!Float.isFinite(v)) {
            throw new IllegalArgumentException(
                    "graph.quant: "
                            + what
                            + " of '"
                            + name
                            + "' is "
                            + v
                            + "; quantization parameters must be finite");
        }
        return RealFormat.ofFloat(v);
    }
}
