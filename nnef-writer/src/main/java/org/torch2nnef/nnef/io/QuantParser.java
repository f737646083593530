package org.torch2nnef.nnef.io;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.torch2nnef.nnef.io.Lexer.Kind;
import org.torch2nnef.nnef.io.Lexer.Token;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.Quantization;

/**
 * Parses {@code graph.quant}: {@code "tensor": op(key = value, …);} lines (tract also writes the
 * name as {@code i"…"}). {@code zero_point_linear_quantize} and {@code linear_quantize} with
 * exactly the arguments tract knows become typed {@link Quantization}s (a missing {@code symmetric}
 * reads as false); anything else is kept as {@link Quantization.Other}.
 */
public final class QuantParser {
    private static final Set<String> ZERO_POINT_ARGS =
            Set.of("zero_point", "scale", "bits", "signed", "symmetric");
    private static final Set<String> LINEAR_ARGS = Set.of("min", "max", "bits");

    private QuantParser() {}

    /**
     * Parses {@code graph.quant} text; {@code source} names it in errors. Entries keep file order.
     */
    public static Map<String, Quantization> parse(String text, String source)
            throws NnefParseException {
        TokenStream in = new TokenStream(text, source);
        Map<String, Quantization> out = new LinkedHashMap<>();
        while (in.peek().kind() != Kind.EOF) {
            Token name = in.peek();
            if (name.kind() != Kind.STRING && name.kind() != Kind.IDENT) {
                throw in.error(name, "expected a quoted tensor name, found " + name.describe());
            }
            in.next();
            in.expect(":", "after tensor name '" + name.text() + "'");
            Token opToken = in.peek();
            Expr e = NnefParser.parseExprFrom(in);
            if (!(e instanceof Invocation inv)
                    || !inv.positional().isEmpty()
                    || inv.generic().isPresent()) {
                throw in.error(
                        opToken,
                        "expected a quantization invocation with named arguments for '"
                                + name.text()
                                + "'");
            }
            in.expect(";", "after the quantization of '" + name.text() + "'");
            if (out.put(name.text(), typed(inv, in, opToken)) != null) {
                throw in.error(name, "tensor '" + name.text() + "' is quantized twice");
            }
        }
        return out;
    }

    private static Quantization typed(Invocation inv, TokenStream in, Token at)
            throws NnefParseException {
        Map<String, Expr> a = inv.named();
        try {
            if (inv.name().equals("zero_point_linear_quantize")
                    && ZERO_POINT_ARGS.containsAll(a.keySet())
                    && a.keySet().containsAll(Set.of("zero_point", "scale", "bits", "signed"))) {
                return new Quantization.ZeroPointLinear(
                        integer(a, "zero_point"),
                        real(a, "scale"),
                        (int) integer(a, "bits"),
                        logical(a, "signed"),
                        a.containsKey("symmetric") && logical(a, "symmetric"));
            }
            if (inv.name().equals("linear_quantize") && a.keySet().equals(LINEAR_ARGS)) {
                return new Quantization.Linear(
                        real(a, "min"), real(a, "max"), (int) integer(a, "bits"));
            }
        } catch (IllegalArgumentException e) {
            throw in.error(at, inv.name() + ": " + e.getMessage());
        }
        return new Quantization.Other(inv.name(), a);
    }

    private static long integer(Map<String, Expr> a, String key) {
        if (a.get(key) instanceof Expr.IntLit i) {
            return i.value();
        }
        throw new IllegalArgumentException(
                "argument '"
                        + key
                        + "' must be an integer literal, got "
                        + NnefPrinter.expr(a.get(key)));
    }

    private static float real(Map<String, Expr> a, String key) {
        Expr e = a.get(key);
        if (e instanceof Expr.RealLit r) {
            return r.floatValue();
        }
        if (e instanceof Expr.IntLit i) {
            return i.value();
        }
        throw new IllegalArgumentException(
                "argument '" + key + "' must be a number, got " + NnefPrinter.expr(e));
    }

    private static boolean logical(Map<String, Expr> a, String key) {
        if (a.get(key) instanceof Expr.BoolLit b) {
            return b.value();
        }
        throw new IllegalArgumentException(
                "argument '"
                        + key
                        + "' must be true or false, got "
                        + NnefPrinter.expr(a.get(key)));
    }
}
