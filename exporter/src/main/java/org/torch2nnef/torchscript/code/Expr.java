package org.torch2nnef.torchscript.code;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An expression of TorchScript code. Parenthesized expressions are not kept as nodes: {@code
 * (conv).forward} is an {@link Attribute} of the {@link Name} {@code conv}.
 */
public sealed interface Expr extends Node {

    /**
     * The dotted name this expression spells, if it is only names and attribute accesses: {@code
     * torch.nn.functional.relu}, {@code ops.prim.NumToTensor}, {@code CONSTANTS.c0}, {@code x}.
     */
    default Optional<String> dottedName() {
        return Optional.empty();
    }

    /** A variable, parameter or global name such as {@code x}, {@code self}, {@code torch}. */
    record Name(String id, SourcePos pos) implements Expr {
        public Name {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(pos, "pos");
        }

        @Override
        public Optional<String> dottedName() {
            return Optional.of(id);
        }
    }

    /** {@code value.attr}. */
    record Attribute(Expr value, String attr, SourcePos pos) implements Expr {
        public Attribute {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(attr, "attr");
            Objects.requireNonNull(pos, "pos");
        }

        @Override
        public Optional<String> dottedName() {
            return value.dottedName().map(prefix -> prefix + "." + attr);
        }
    }

    /** {@code function(args..., name=value...)}; positional arguments always come first. */
    record Call(Expr function, List<Expr> args, List<KeywordArg> keywords, SourcePos pos)
            implements Expr {
        public Call {
            Objects.requireNonNull(function, "function");
            args = List.copyOf(args);
            keywords = List.copyOf(keywords);
            Objects.requireNonNull(pos, "pos");
        }

        /** The called function's dotted name, e.g. {@code torch.add} or {@code getattr}. */
        public Optional<String> functionName() {
            return function.dottedName();
        }

        /** The value of keyword argument {@code name}, if given. */
        public Optional<Expr> keyword(String name) {
            return keywords.stream()
                    .filter(k -> k.name().equals(name))
                    .map(KeywordArg::value)
                    .findFirst();
        }
    }

    /** {@code name=value} in a call. */
    record KeywordArg(String name, Expr value, SourcePos pos) implements Node {
        public KeywordArg {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(pos, "pos");
        }
    }

    /**
     * {@code value[index]}. Several comma-separated indices make a {@link TupleExpr} index; a slice
     * index is a {@link Slice}.
     */
    record Subscript(Expr value, Expr index, SourcePos pos) implements Expr {
        public Subscript {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(index, "index");
            Objects.requireNonNull(pos, "pos");
        }
    }

    /** {@code lower:upper:step} inside a subscript; each part may be absent. */
    record Slice(Optional<Expr> lower, Optional<Expr> upper, Optional<Expr> step, SourcePos pos)
            implements Expr {
        public Slice {
            Objects.requireNonNull(lower, "lower");
            Objects.requireNonNull(upper, "upper");
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(pos, "pos");
        }
    }

    /** {@code [a, b]}. */
    record ListExpr(List<Expr> elements, SourcePos pos) implements Expr {
        public ListExpr {
            elements = List.copyOf(elements);
            Objects.requireNonNull(pos, "pos");
        }
    }

    /** {@code (a, b)}, {@code (a,)} or {@code ()}. */
    record TupleExpr(List<Expr> elements, SourcePos pos) implements Expr {
        public TupleExpr {
            elements = List.copyOf(elements);
            Objects.requireNonNull(pos, "pos");
        }
    }

    /** {@code {k: v, ...}}. */
    record DictExpr(List<DictEntry> entries, SourcePos pos) implements Expr {
        public DictExpr {
            entries = List.copyOf(entries);
            Objects.requireNonNull(pos, "pos");
        }
    }

    /** One {@code key: value} of a {@link DictExpr}. */
    record DictEntry(Expr key, Expr value) {
        public DictEntry {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * {@code annotate(T, value)}: TorchScript's way of typing an expression, written for empty
     * lists ({@code annotate(List[int], [])}) and lists whose element type is ambiguous.
     */
    record Annotate(TypeExpr type, Expr value, SourcePos pos) implements Expr {
        public Annotate {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(pos, "pos");
        }
    }

    /** An int64 literal. A minus sign written right before the digits is folded in: {@code -1}. */
    record IntLiteral(long value, SourcePos pos) implements Expr {
        public IntLiteral {
            Objects.requireNonNull(pos, "pos");
        }
    }

    /**
     * A float literal, including TorchScript's {@code inf} and {@code nan} names and exponents
     * ({@code 1e-05}, {@code 1.0000000000000001e-05}); a minus sign right before it is folded in.
     */
    record FloatLiteral(double value, SourcePos pos) implements Expr {
        public FloatLiteral {
            Objects.requireNonNull(pos, "pos");
        }
    }

    /** {@code True} or {@code False}. */
    record BoolLiteral(boolean value, SourcePos pos) implements Expr {
        public BoolLiteral {
            Objects.requireNonNull(pos, "pos");
        }
    }

    /** {@code None}. */
    record NoneLiteral(SourcePos pos) implements Expr {
        public NoneLiteral {
            Objects.requireNonNull(pos, "pos");
        }
    }

    /** A string literal, escapes decoded; adjacent literals are concatenated as in Python. */
    record StringLiteral(String value, SourcePos pos) implements Expr {
        public StringLiteral {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(pos, "pos");
        }
    }

    /** {@code -x}, {@code +x}, {@code ~x}, {@code not x}. */
    record UnaryOp(UnaryOperator op, Expr operand, SourcePos pos) implements Expr {
        public UnaryOp {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(operand, "operand");
            Objects.requireNonNull(pos, "pos");
        }
    }

    /** {@code left op right}; its position is the left operand's. */
    record BinaryOp(BinaryOperator op, Expr left, Expr right, SourcePos pos) implements Expr {
        public BinaryOp {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
            Objects.requireNonNull(pos, "pos");
        }
    }

    /** Prefix operators. */
    enum UnaryOperator {
        NEG("-"),
        POS("+"),
        INVERT("~"),
        NOT("not");

        private final String symbol;

        UnaryOperator(String symbol) {
            this.symbol = symbol;
        }

        /** How it is written in code. */
        public String symbol() {
            return symbol;
        }
    }

    /** Infix operators: arithmetic, comparisons and the boolean {@code and}/{@code or}. */
    enum BinaryOperator {
        ADD("+"),
        SUB("-"),
        MUL("*"),
        DIV("/"),
        FLOOR_DIV("//"),
        MOD("%"),
        POW("**"),
        MATMUL("@"),
        EQ("=="),
        NE("!="),
        LT("<"),
        LE("<="),
        GT(">"),
        GE(">="),
        IS("is"),
        IS_NOT("is not"),
        IN("in"),
        NOT_IN("not in"),
        AND("and"),
        OR("or");

        private final String symbol;

        BinaryOperator(String symbol) {
            this.symbol = symbol;
        }

        /** How it is written in code. */
        public String symbol() {
            return symbol;
        }
    }
}
