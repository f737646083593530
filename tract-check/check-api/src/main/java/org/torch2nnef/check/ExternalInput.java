package org.torch2nnef.check;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.torch2nnef.nnef.contract.DType;
import org.torch2nnef.nnef.io.NnefPrinter;
import org.torch2nnef.nnef.model.Expr;

/**
 * A graph input as {@code graph.nnef} declares it.
 *
 * @param name NNEF input name
 * @param dtype element type: {@code external<scalar>} is f32, {@code <integer>} i64, {@code
 *     <logical>} bool, {@code tract_core_external} its {@code datum_type}
 * @param dims the declared dimensions: integer literals, or symbols and expressions of symbols
 *     ({@code extension tract_symbol S;})
 */
public record ExternalInput(String name, DType dtype, List<Expr> dims) {
    /** Canonical constructor; copies the dims. */
    public ExternalInput {
        dims = List.copyOf(dims);
    }

    /** The declared shape as graph.nnef spells it, e.g. {@code [B, 3]}. */
    public String shapeText() {
        return NnefPrinter.expr(new Expr.ArrayExpr(dims));
    }

    /** Whether every dimension is an integer literal. */
    public boolean isConcrete() {
        return dims.stream().allMatch(d -> d instanceof Expr.IntLit);
    }

    /** The literal size of dimension {@code i}, empty when it is symbolic. */
    public Optional<Long> literal(int i) {
        return dims.get(i) instanceof Expr.IntLit l ? Optional.of(l.value()) : Optional.empty();
    }

    /**
     * The size of dimension {@code i} with {@code symbols} bound: literals, symbols, and {@code + -
     * * /} of them (division rounds down, as tract's dimension arithmetic); empty when a symbol is
     * unbound or the expression is of another kind.
     */
    public Optional<Long> evaluate(int i, Map<String, Long> symbols) {
        return evaluate(dims.get(i), symbols);
    }

    private static Optional<Long> evaluate(Expr e, Map<String, Long> symbols) {
        if (e instanceof Expr.IntLit l) {
            return Optional.of(l.value());
        }
        if (e instanceof Expr.Id id) {
            return Optional.ofNullable(symbols.get(id.name()));
        }
        if (e instanceof Expr.Unary u && u.op() != Expr.UnaryOp.NOT) {
            return evaluate(u.operand(), symbols).map(v -> u.op() == Expr.UnaryOp.MINUS ? -v : v);
        }
        if (e instanceof Expr.Binary b) {
            Optional<Long> l = evaluate(b.left(), symbols);
            Optional<Long> r = evaluate(b.right(), symbols);
            if (l.isEmpty() || r.isEmpty()) {
                return Optional.empty();
            }
            long x = l.get();
            long y = r.get();
            return switch (b.op()) {
                case ADD -> Optional.of(x + y);
                case SUB -> Optional.of(x - y);
                case MUL -> Optional.of(x * y);
                case DIV -> y == 0 ? Optional.empty() : Optional.of(Math.floorDiv(x, y));
                default -> Optional.empty();
            };
        }
        return Optional.empty();
    }

    /** The symbol naming dimension {@code i} when it is a plain symbol, empty otherwise. */
    public Optional<String> symbol(int i) {
        return dims.get(i) instanceof Expr.Id id ? Optional.of(id.name()) : Optional.empty();
    }
}
