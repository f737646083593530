package org.torch2nnef.export;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.nnef.model.Expr;

/**
 * Turns a {@link Dim} into an NNEF expression over tract symbols ({@code 2 * S - 1}, {@code (S - 3)
 * / 2 + 1}), read from the Dim's canonical printed form. NNEF's {@code /} on the non-negative sizes
 * met here is the floor division of the Dim (a modulo is printed with one).
 */
public final class DimExpressions {
    private final String text;
    private final Function<String, Expr> symbols;
    private int pos;

    private DimExpressions(String text, Function<String, Expr> symbols) {
        this.text = text;
        this.symbols = symbols;
    }

    /**
     * @param dim a size expression
     * @return the NNEF expression computing it
     */
    public static Expr toExpr(Dim dim) {
        return toExpr(dim, Expr::id);
    }

    /**
     * @param dim a size expression
     * @param symbols the expression standing for each symbol
     * @return the NNEF expression computing it, each symbol replaced by its expression
     */
    public static Expr toExpr(Dim dim, Function<String, Expr> symbols) {
        if (dim.isConstant()) {
            return Expr.of(dim.constant());
        }
        DimExpressions p = new DimExpressions(dim.toString(), symbols);
        Expr e = p.sum();
        if (p.pos != p.text.length()) {
            throw new IllegalArgumentException(
                    "cannot read size expression '" + dim + "' at column " + (p.pos + 1));
        }
        return e;
    }

    /**
     * Terms are re-ordered to start with a positive one ({@code -S+4} becomes {@code 4 - S}):
     * tract's NNEF reader has no unary minus on identifiers.
     */
    private Expr sum() {
        List<Expr> positive = new ArrayList<>();
        List<Expr> negative = new ArrayList<>();
        boolean minus = false;
        if (peek('-')) {
            pos++;
            minus = true;
        }
        (minus ? negative : positive).add(product());
        while (peek('+') || peek('-')) {
            minus = text.charAt(pos++) == '-';
            (minus ? negative : positive).add(product());
        }
        Expr e = positive.isEmpty() ? Expr.of(0) : positive.get(0);
        for (int i = 1; i < positive.size(); i++) {
            e = Expr.add(e, positive.get(i));
        }
        for (Expr n : negative) {
            e = Expr.sub(e, n);
        }
        return e;
    }

    private Expr product() {
        Expr e = quotient();
        while (peek('*')) {
            pos++;
            e = Expr.mul(e, quotient());
        }
        return e;
    }

    /**
     * Division binds tighter than {@code *} in the Dim's printed form: {@code 2*(S-1)/2} is {@code
     * 2*((S-1)/2)}.
     */
    private Expr quotient() {
        Expr e = primary();
        while (peek('/')) {
            pos++;
            e = Expr.div(e, Expr.of(number()));
        }
        return e;
    }

    private Expr primary() {
        if (peek('(')) {
            pos++;
            Expr inner = sum();
            expect(')');
            return inner;
        }
        if (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            return Expr.of(number());
        }
        if (pos < text.length() && Dim.isValidSymbol(String.valueOf(text.charAt(pos)))) {
            return symbols.apply(String.valueOf(text.charAt(pos++)));
        }
        throw new IllegalArgumentException(
                "cannot read size expression '" + text + "' at column " + (pos + 1));
    }

    private long number() {
        int start = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw new IllegalArgumentException(
                    "cannot read size expression '"
                            + text
                            + "': number expected at column "
                            + (pos + 1));
        }
        return Long.parseLong(text.substring(start, pos));
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw new IllegalArgumentException(
                    "cannot read size expression '"
                            + text
                            + "': '"
                            + c
                            + "' expected at column "
                            + (pos + 1));
        }
        pos++;
    }
}
