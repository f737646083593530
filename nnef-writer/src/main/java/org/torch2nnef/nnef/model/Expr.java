package org.torch2nnef.nnef.model;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An NNEF expression: literals, identifiers, arrays, tuples, operators, subscripts, if-else,
 * comprehensions and {@link Invocation}s. Symbolic dimensions are ordinary expressions, e.g. {@code
 * [1, S, S * 2 - 1]} is {@code array(of(1), id("S"), sub(mul(id("S"), of(2)), of(1)))}.
 *
 * <p>All implementations are immutable records. Identifier syntax is checked when printing, not
 * here, so that models read from foreign files can still be inspected.
 */
public sealed interface Expr
        permits Expr.IntLit,
                Expr.RealLit,
                Expr.BoolLit,
                Expr.StrLit,
                Expr.Id,
                Expr.ArrayExpr,
                Expr.TupleExpr,
                Expr.Unary,
                Expr.Binary,
                Expr.Subscript,
                Expr.Slice,
                Expr.IfElse,
                Expr.Comprehension,
                Invocation {

    /** Integer literal; negative values print with a leading {@code -} as tract writes them. */
    record IntLit(long value) implements Expr {}

    /**
     * Real literal. {@code single} says the value was given as a {@code float}: it then prints with
     * the fewest digits that parse back to that float, otherwise to that double. Two real literals
     * are equal when their NNEF text ({@link #text()}) is equal, so {@code 0.1f} and {@code 0.1}
     * compare equal (both print {@code 0.1}); use {@link #value()} for the number.
     */
    record RealLit(double value, boolean single) implements Expr {
        public RealLit {
            if (single && !Double.isNaN(value) && (double) (float) value != value) {
                throw new IllegalArgumentException(
                        "real literal " + value + " is not a float value");
            }
        }

        /** A literal holding {@code value} as a float. */
        public static RealLit ofFloat(float value) {
            return new RealLit(value, true);
        }

        /** A literal holding {@code value} as a double. */
        public static RealLit ofDouble(double value) {
            return new RealLit(value, false);
        }

        /**
         * The literal for NNEF text {@code text} ({@code inf}, {@code -inf}, or decimal digits with
         * optional fraction and exponent): a float when the float reading prints back to the same
         * text as the double reading, so nothing is lost by keeping 32 bits.
         */
        public static RealLit parse(String text) {
            double d = Double.parseDouble(text.replace("inf", "Infinity"));
            float f = (float) d;
            if (RealFormat.ofFloat(f).equals(RealFormat.ofDouble(d))) {
                return new RealLit(f, true);
            }
            return new RealLit(d, false);
        }

        /** The value as a float (rounded when the literal holds a double). */
        public float floatValue() {
            return (float) value;
        }

        /** Canonical NNEF text of the literal ({@code nan} for NaN, which printers reject). */
        public String text() {
            return single ? RealFormat.ofFloat((float) value) : RealFormat.ofDouble(value);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RealLit r && r.text().equals(text());
        }

        @Override
        public int hashCode() {
            return text().hashCode();
        }

        @Override
        public String toString() {
            return "RealLit[" + text() + (single ? "f" : "d") + "]";
        }
    }

    /** Logical literal {@code true} / {@code false}. */
    record BoolLit(boolean value) implements Expr {}

    /** String literal (printed in single quotes). */
    record StrLit(String value) implements Expr {
        public StrLit {
            Objects.requireNonNull(value, "string literal");
        }
    }

    /** Identifier: a tensor, a fragment parameter, a loop variable or a tract symbol. */
    record Id(String name) implements Expr {
        public Id {
            Objects.requireNonNull(name, "identifier");
        }
    }

    /** Array {@code [a, b, …]}. */
    record ArrayExpr(List<Expr> items) implements Expr {
        public ArrayExpr {
            items = List.copyOf(items);
        }
    }

    /** Tuple {@code (a, b, …)} of at least two items. */
    record TupleExpr(List<Expr> items) implements Expr {
        public TupleExpr {
            items = List.copyOf(items);
            if (items.size() < 2) {
                throw new IllegalArgumentException(
                        "a tuple needs at least two items, got " + items.size());
            }
        }
    }

    /** Unary operators. */
    enum UnaryOp {
        PLUS("+"),
        MINUS("-"),
        NOT("!");

        private final String symbol;

        UnaryOp(String symbol) {
            this.symbol = symbol;
        }

        /** The operator as written. */
        public String symbol() {
            return symbol;
        }
    }

    /**
     * Binary operators with their precedence in the NNEF grammar (higher binds tighter, all
     * left-associative; the Khronos parser and tract agree on these levels, including {@code &&}
     * and {@code ||} sharing one level).
     */
    enum BinaryOp {
        IN("in", 10, null),
        AND("&&", 20, "and"),
        OR("||", 20, "or"),
        LT("<", 30, "lt"),
        LE("<=", 30, "le"),
        GT(">", 30, "gt"),
        GE(">=", 30, "ge"),
        EQ("==", 30, "eq"),
        NE("!=", 30, "ne"),
        ADD("+", 40, "add"),
        SUB("-", 40, "sub"),
        MUL("*", 50, "mul"),
        DIV("/", 50, "div"),
        POW("^", 60, "pow");

        private final String symbol;
        private final int precedence;
        private final String operation;

        BinaryOp(String symbol, int precedence, String operation) {
            this.symbol = symbol;
            this.precedence = precedence;
            this.operation = operation;
        }

        /** The standard operation computing it on tensors ({@code add}); empty for {@code in}. */
        public Optional<String> operation() {
            return Optional.ofNullable(operation);
        }

        /** The operator as written. */
        public String symbol() {
            return symbol;
        }

        /** Binding strength; higher binds tighter. */
        public int precedence() {
            return precedence;
        }

        /** The operator spelled {@code symbol}, or {@code null}. */
        public static BinaryOp fromSymbol(String symbol) {
            for (BinaryOp op : values()) {
                if (op.symbol.equals(symbol)) {
                    return op;
                }
            }
            return null;
        }
    }

    /** {@code op operand}. */
    record Unary(UnaryOp op, Expr operand) implements Expr {
        public Unary {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(operand, "operand");
        }
    }

    /** {@code left op right}. */
    record Binary(BinaryOp op, Expr left, Expr right) implements Expr {
        public Binary {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    /** {@code target[index]}. */
    record Subscript(Expr target, Expr index) implements Expr {
        public Subscript {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(index, "index");
        }
    }

    /** {@code target[begin:end]}, either bound optional. */
    record Slice(Expr target, Optional<Expr> begin, Optional<Expr> end) implements Expr {
        public Slice {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(begin, "begin");
            Objects.requireNonNull(end, "end");
        }
    }

    /** {@code then if condition else otherwise}. */
    record IfElse(Expr condition, Expr then, Expr otherwise) implements Expr {
        public IfElse {
            Objects.requireNonNull(condition, "condition");
            Objects.requireNonNull(then, "then");
            Objects.requireNonNull(otherwise, "otherwise");
        }
    }

    /** One {@code name in iterable} of a comprehension. */
    record LoopIter(String name, Expr iterable) {
        public LoopIter {
            Objects.requireNonNull(name, "loop variable");
            Objects.requireNonNull(iterable, "iterable");
        }
    }

    /** {@code [for i in a, j in b if cond yield expr]}. */
    record Comprehension(List<LoopIter> iters, Optional<Expr> filter, Expr yield) implements Expr {
        public Comprehension {
            iters = List.copyOf(iters);
            if (iters.isEmpty()) {
                throw new IllegalArgumentException(
                        "a comprehension needs at least one loop iterator");
            }
            Objects.requireNonNull(filter, "filter");
            Objects.requireNonNull(yield, "yield");
        }
    }

    // ---- factories -------------------------------------------------------------------------

    /** Integer literal. */
    static IntLit of(long value) {
        return new IntLit(value);
    }

    /** Real literal kept as a float. */
    static RealLit of(float value) {
        return RealLit.ofFloat(value);
    }

    /** Real literal kept as a double. */
    static RealLit of(double value) {
        return RealLit.ofDouble(value);
    }

    /** Logical literal. */
    static BoolLit of(boolean value) {
        return new BoolLit(value);
    }

    /** String literal. */
    static StrLit str(String value) {
        return new StrLit(value);
    }

    /** Identifier. */
    static Id id(String name) {
        return new Id(name);
    }

    /** Array of the given items. */
    static ArrayExpr array(Expr... items) {
        return new ArrayExpr(Arrays.asList(items));
    }

    /** Array of the given items. */
    static ArrayExpr array(List<? extends Expr> items) {
        return new ArrayExpr(List.copyOf(items));
    }

    /** Array of integer literals, e.g. a static shape. */
    static ArrayExpr ints(long... values) {
        Expr[] items = new Expr[values.length];
        for (int i = 0; i < values.length; i++) {
            items[i] = new IntLit(values[i]);
        }
        return array(items);
    }

    /** Array of integer literals. */
    static ArrayExpr ints(int... values) {
        Expr[] items = new Expr[values.length];
        for (int i = 0; i < values.length; i++) {
            items[i] = new IntLit(values[i]);
        }
        return array(items);
    }

    /** Array of float literals. */
    static ArrayExpr floats(float... values) {
        Expr[] items = new Expr[values.length];
        for (int i = 0; i < values.length; i++) {
            items[i] = RealLit.ofFloat(values[i]);
        }
        return array(items);
    }

    /** Tuple of the given items (at least two). */
    static TupleExpr tuple(Expr... items) {
        return new TupleExpr(Arrays.asList(items));
    }

    /** Binary expression. */
    static Binary binary(BinaryOp op, Expr left, Expr right) {
        return new Binary(op, left, right);
    }

    /** {@code left + right}. */
    static Binary add(Expr left, Expr right) {
        return new Binary(BinaryOp.ADD, left, right);
    }

    /** {@code left - right}. */
    static Binary sub(Expr left, Expr right) {
        return new Binary(BinaryOp.SUB, left, right);
    }

    /** {@code left * right}. */
    static Binary mul(Expr left, Expr right) {
        return new Binary(BinaryOp.MUL, left, right);
    }

    /** {@code left / right}. */
    static Binary div(Expr left, Expr right) {
        return new Binary(BinaryOp.DIV, left, right);
    }

    /** {@code -operand}. */
    static Unary neg(Expr operand) {
        return new Unary(UnaryOp.MINUS, operand);
    }

    /** {@code !operand}. */
    static Unary not(Expr operand) {
        return new Unary(UnaryOp.NOT, operand);
    }
}
