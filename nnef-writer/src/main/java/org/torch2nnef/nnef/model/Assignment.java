package org.torch2nnef.nnef.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code lvalue = rvalue;}. The left side is an identifier, or an array or tuple of left sides; in
 * a graph the right side is an {@link Invocation}, in fragment bodies any expression.
 */
public record Assignment(Expr lvalue, Expr rvalue) {
    public Assignment {
        Objects.requireNonNull(rvalue, "rvalue");
        checkLvalue(Objects.requireNonNull(lvalue, "lvalue"));
    }

    /** {@code name = rvalue;}. */
    public static Assignment of(String name, Expr rvalue) {
        return new Assignment(Expr.id(name), rvalue);
    }

    /** {@code (a, b, …) = rvalue;} for an operation with several results. */
    public static Assignment tuple(List<String> names, Expr rvalue) {
        return new Assignment(
                new Expr.TupleExpr(names.stream().<Expr>map(Expr::id).toList()), rvalue);
    }

    /** {@code [a, b, …] = rvalue;} for an operation whose result is an array. */
    public static Assignment array(List<String> names, Expr rvalue) {
        return new Assignment(Expr.array(names.stream().map(Expr::id).toList()), rvalue);
    }

    /** The identifiers this assignment defines, left to right. */
    public List<String> definedNames() {
        ArrayList<String> out = new ArrayList<>();
        collect(lvalue, out);
        return List.copyOf(out);
    }

    private static void collect(Expr e, List<String> out) {
        if (e instanceof Expr.Id id) {
            out.add(id.name());
        } else if (e instanceof Expr.ArrayExpr a) {
            a.items().forEach(i -> collect(i, out));
        } else if (e instanceof Expr.TupleExpr t) {
            t.items().forEach(i -> collect(i, out));
        }
    }

    private static void checkLvalue(Expr e) {
        if (e instanceof Expr.ArrayExpr a) {
            a.items().forEach(Assignment::checkLvalue);
        } else if (e instanceof Expr.TupleExpr t) {
            t.items().forEach(Assignment::checkLvalue);
        } else if (!(e instanceof Expr.Id)) {
            throw new IllegalArgumentException(
                    "left side of an assignment must be an identifier, array or tuple of identifiers, got "
                            + e);
        }
    }
}
