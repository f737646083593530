package org.torch2nnef.torchscript.code;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Parses expressions with Python's precedence: {@code or} < {@code and} < {@code not} < comparison
 * < {@code + -} < {@code * / // % @} < unary {@code - + ~} < {@code **} < call/attribute/subscript.
 */
final class ExpressionParser {

    /** Comma-separated expressions; {@code tuple} is true when a comma was written. */
    record ExpressionList(List<Expr> elements, boolean tuple, SourcePos pos) {
        /** The list as one expression: a tuple when written with a comma. */
        Expr asExpr() {
            return tuple ? new Expr.TupleExpr(elements, pos) : elements.get(0);
        }
    }

    private static final BigInteger INT64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger INT64_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private final TokenCursor cursor;
    private final TypeParser types;

    ExpressionParser(TokenCursor cursor, TypeParser types) {
        this.cursor = cursor;
        this.types = types;
    }

    /** True when {@code token} can begin an expression. */
    static boolean startsExpression(Token token) {
        return switch (token.kind()) {
            case NAME, INT, FLOAT, STRING -> true;
            case KEYWORD -> Set.of("True", "False", "None", "not").contains(token.text());
            case OP -> Set.of("(", "[", "{", "-", "+", "~").contains(token.text());
            default -> false;
        };
    }

    /** {@code a}, {@code a, b} or {@code a,}. */
    ExpressionList parseList() {
        SourcePos pos = cursor.peek().pos();
        List<Expr> elements = new ArrayList<>();
        elements.add(parse());
        boolean tuple = false;
        while (cursor.atOp(",")) {
            cursor.next();
            tuple = true;
            if (!startsExpression(cursor.peek())) {
                break;
            }
            elements.add(parse());
        }
        return new ExpressionList(elements, tuple, pos);
    }

    Expr parse() {
        cursor.enter();
        try {
            return booleanChain("or", Expr.BinaryOperator.OR, this::parseAnd);
        } finally {
            cursor.exit(1);
        }
    }

    private Expr parseAnd() {
        return booleanChain("and", Expr.BinaryOperator.AND, this::parseNot);
    }

    /** {@code operand (keyword operand)*}, left-associative. */
    private Expr booleanChain(String keyword, Expr.BinaryOperator op, Supplier<Expr> operand) {
        Expr left = operand.get();
        int levels = 0;
        try {
            while (cursor.atKeyword(keyword)) {
                cursor.next();
                cursor.enter();
                levels++;
                left = new Expr.BinaryOp(op, left, operand.get(), left.pos());
            }
            return left;
        } finally {
            cursor.exit(levels);
        }
    }

    private Expr parseNot() {
        if (cursor.atKeyword("not")) {
            Token not = cursor.next();
            cursor.enter();
            try {
                return new Expr.UnaryOp(Expr.UnaryOperator.NOT, parseNot(), not.pos());
            } finally {
                cursor.exit(1);
            }
        }
        return parseComparison();
    }

    private Expr parseComparison() {
        Expr left = parseArithmetic();
        Expr.BinaryOperator op = comparisonOperator();
        if (op == null) {
            return left;
        }
        Expr right = parseArithmetic();
        SourcePos next = cursor.peek().pos();
        if (comparisonOperator() != null) {
            throw TorchScriptSyntaxException.at(next, "chained comparisons are not supported");
        }
        return new Expr.BinaryOp(op, left, right, left.pos());
    }

    /** Consumes and returns a comparison operator if one is next, else returns null. */
    private Expr.BinaryOperator comparisonOperator() {
        Token token = cursor.peek();
        Expr.BinaryOperator op = null;
        int length = 1;
        if (token.kind() == TokenKind.OP) {
            op =
                    switch (token.text()) {
                        case "==" -> Expr.BinaryOperator.EQ;
                        case "!=" -> Expr.BinaryOperator.NE;
                        case "<" -> Expr.BinaryOperator.LT;
                        case "<=" -> Expr.BinaryOperator.LE;
                        case ">" -> Expr.BinaryOperator.GT;
                        case ">=" -> Expr.BinaryOperator.GE;
                        default -> null;
                    };
        } else if (token.isKeyword("in")) {
            op = Expr.BinaryOperator.IN;
        } else if (token.isKeyword("not") && cursor.peek(1).isKeyword("in")) {
            op = Expr.BinaryOperator.NOT_IN;
            length = 2;
        } else if (token.isKeyword("is")) {
            boolean negated = cursor.peek(1).isKeyword("not");
            op = negated ? Expr.BinaryOperator.IS_NOT : Expr.BinaryOperator.IS;
            length = negated ? 2 : 1;
        }
        if (op != null) {
            for (int k = 0; k < length; k++) {
                cursor.next();
            }
        }
        return op;
    }

    private Expr parseArithmetic() {
        Expr left = parseTerm();
        int levels = 0;
        try {
            while (true) {
                Expr.BinaryOperator op =
                        cursor.atOp("+")
                                ? Expr.BinaryOperator.ADD
                                : cursor.atOp("-") ? Expr.BinaryOperator.SUB : null;
                if (op == null) {
                    return left;
                }
                cursor.next();
                cursor.enter();
                levels++;
                left = new Expr.BinaryOp(op, left, parseTerm(), left.pos());
            }
        } finally {
            cursor.exit(levels);
        }
    }

    private Expr parseTerm() {
        Expr left = parseUnary();
        int levels = 0;
        try {
            while (true) {
                Expr.BinaryOperator op = termOperator(cursor.peek());
                if (op == null) {
                    return left;
                }
                cursor.next();
                cursor.enter();
                levels++;
                left = new Expr.BinaryOp(op, left, parseUnary(), left.pos());
            }
        } finally {
            cursor.exit(levels);
        }
    }

    private static Expr.BinaryOperator termOperator(Token token) {
        return token.kind() != TokenKind.OP
                ? null
                : switch (token.text()) {
                    case "*" -> Expr.BinaryOperator.MUL;
                    case "/" -> Expr.BinaryOperator.DIV;
                    case "//" -> Expr.BinaryOperator.FLOOR_DIV;
                    case "%" -> Expr.BinaryOperator.MOD;
                    case "@" -> Expr.BinaryOperator.MATMUL;
                    default -> null;
                };
    }

    private Expr parseUnary() {
        Token token = cursor.peek();
        if (token.isOp("-") && isFoldableNumber(cursor.peek(1)) && !cursor.peek(2).isOp("**")) {
            cursor.next();
            return number(cursor.next(), true, token.pos());
        }
        Expr.UnaryOperator op =
                token.isOp("-")
                        ? Expr.UnaryOperator.NEG
                        : token.isOp("+")
                                ? Expr.UnaryOperator.POS
                                : token.isOp("~") ? Expr.UnaryOperator.INVERT : null;
        if (op == null) {
            return parsePower();
        }
        cursor.next();
        cursor.enter();
        try {
            return new Expr.UnaryOp(op, parseUnary(), token.pos());
        } finally {
            cursor.exit(1);
        }
    }

    /** A number token that a minus right before it turns into a negative literal. */
    private static boolean isFoldableNumber(Token token) {
        return token.kind() == TokenKind.INT
                || token.kind() == TokenKind.FLOAT
                || (token.kind() == TokenKind.NAME
                        && (token.text().equals("inf") || token.text().equals("nan")));
    }

    private Expr parsePower() {
        Expr base = parsePostfix();
        if (cursor.atOp("**")) {
            cursor.next();
            // the exponent may itself be negative: 2 ** -1
            cursor.enter();
            try {
                return new Expr.BinaryOp(Expr.BinaryOperator.POW, base, parseUnary(), base.pos());
            } finally {
                cursor.exit(1);
            }
        }
        return base;
    }

    private Expr parsePostfix() {
        Expr expr = parseAtom();
        int levels = 0;
        try {
            while (true) {
                if (!cursor.atOp(".") && !cursor.atOp("(") && !cursor.atOp("[")) {
                    return expr;
                }
                cursor.enter();
                levels++;
                if (cursor.acceptOp(".")) {
                    Token attr = cursor.peek();
                    if (attr.kind() != TokenKind.NAME && attr.kind() != TokenKind.KEYWORD) {
                        throw cursor.unexpected("an attribute name after '.'");
                    }
                    cursor.next();
                    expr = new Expr.Attribute(expr, attr.text(), expr.pos());
                } else if (cursor.atOp("(")) {
                    expr = call(expr);
                } else {
                    cursor.next();
                    expr = new Expr.Subscript(expr, subscriptIndex(), expr.pos());
                    cursor.expectOp("]");
                }
            }
        } finally {
            cursor.exit(levels);
        }
    }

    private Expr call(Expr function) {
        cursor.expectOp("(");
        List<Expr> args = new ArrayList<>();
        List<Expr.KeywordArg> keywords = new ArrayList<>();
        Set<String> keywordNames = new HashSet<>();
        while (!cursor.atOp(")")) {
            Token token = cursor.peek();
            if (token.isOp("*") || token.isOp("**")) {
                throw TorchScriptSyntaxException.at(
                        token.pos(),
                        "argument unpacking with '"
                                + Excerpt.of(token.text())
                                + "' is not supported");
            }
            if (token.kind() == TokenKind.NAME && cursor.peek(1).isOp("=")) {
                cursor.next();
                cursor.next();
                if (!keywordNames.add(token.text())) {
                    throw TorchScriptSyntaxException.at(
                            token.pos(),
                            "keyword argument '" + Excerpt.of(token.text()) + "' given twice");
                }
                keywords.add(new Expr.KeywordArg(token.text(), parse(), token.pos()));
            } else if (!keywords.isEmpty()) {
                throw TorchScriptSyntaxException.at(
                        token.pos(), "positional argument after keyword argument");
            } else {
                args.add(parse());
            }
            if (!cursor.acceptOp(",")) {
                break;
            }
        }
        cursor.expectOp(")");
        return new Expr.Call(function, args, keywords, function.pos());
    }

    /**
     * What stands between {@code [} and {@code ]}: an expression, a slice, or several as a tuple.
     */
    private Expr subscriptIndex() {
        SourcePos pos = cursor.peek().pos();
        List<Expr> elements = new ArrayList<>();
        boolean tuple = false;
        elements.add(sliceOrExpression());
        while (cursor.acceptOp(",")) {
            tuple = true;
            if (cursor.atOp("]")) {
                break;
            }
            elements.add(sliceOrExpression());
        }
        return tuple ? new Expr.TupleExpr(elements, pos) : elements.get(0);
    }

    private Expr sliceOrExpression() {
        SourcePos pos = cursor.peek().pos();
        Optional<Expr> lower = cursor.atOp(":") ? Optional.empty() : Optional.of(parse());
        if (!cursor.acceptOp(":")) {
            return lower.orElseThrow();
        }
        Optional<Expr> upper = sliceBound();
        Optional<Expr> step = cursor.acceptOp(":") ? sliceBound() : Optional.empty();
        return new Expr.Slice(lower, upper, step, pos);
    }

    private Optional<Expr> sliceBound() {
        return cursor.atOp(":") || cursor.atOp(",") || cursor.atOp("]")
                ? Optional.empty()
                : Optional.of(parse());
    }

    private Expr parseAtom() {
        Token token = cursor.peek();
        switch (token.kind()) {
            case NAME -> {
                cursor.next();
                if (token.text().equals("inf") || token.text().equals("nan")) {
                    return number(token, false, token.pos());
                }
                if (token.text().equals("annotate") && cursor.atOp("(")) {
                    return annotate(token);
                }
                return new Expr.Name(token.text(), token.pos());
            }
            case INT, FLOAT -> {
                return number(cursor.next(), false, token.pos());
            }
            case STRING -> {
                StringBuilder value = new StringBuilder();
                while (cursor.at(TokenKind.STRING)) {
                    value.append(cursor.next().value());
                }
                return new Expr.StringLiteral(value.toString(), token.pos());
            }
            case KEYWORD -> {
                switch (token.text()) {
                    case "True", "False" -> {
                        cursor.next();
                        return new Expr.BoolLiteral(token.text().equals("True"), token.pos());
                    }
                    case "None" -> {
                        cursor.next();
                        return new Expr.NoneLiteral(token.pos());
                    }
                    default -> throw cursor.unexpected("an expression");
                }
            }
            case OP -> {
                return switch (token.text()) {
                    case "(" -> parenthesized();
                    case "[" -> new Expr.ListExpr(bracketed("[", "]"), token.pos());
                    case "{" -> dict();
                    default -> throw cursor.unexpected("an expression");
                };
            }
            default -> throw cursor.unexpected("an expression");
        }
    }

    /** {@code ()}, {@code (a)} (just {@code a}), {@code (a,)} or {@code (a, b)}. */
    private Expr parenthesized() {
        Token open = cursor.expectOp("(");
        if (cursor.acceptOp(")")) {
            return new Expr.TupleExpr(List.of(), open.pos());
        }
        Expr first = parse();
        if (cursor.acceptOp(")")) {
            return first;
        }
        List<Expr> elements = new ArrayList<>();
        elements.add(first);
        while (cursor.acceptOp(",") && !cursor.atOp(")")) {
            elements.add(parse());
        }
        cursor.expectOp(")");
        return new Expr.TupleExpr(elements, open.pos());
    }

    /**
     * Comma-separated expressions between {@code open} and {@code close}, trailing comma allowed.
     */
    private List<Expr> bracketed(String open, String close) {
        cursor.expectOp(open);
        List<Expr> elements = new ArrayList<>();
        while (!cursor.atOp(close)) {
            elements.add(parse());
            if (!cursor.acceptOp(",")) {
                break;
            }
        }
        cursor.expectOp(close);
        return elements;
    }

    private Expr dict() {
        Token open = cursor.expectOp("{");
        List<Expr.DictEntry> entries = new ArrayList<>();
        while (!cursor.atOp("}")) {
            Expr key = parse();
            cursor.expectOp(":");
            entries.add(new Expr.DictEntry(key, parse()));
            if (!cursor.acceptOp(",")) {
                break;
            }
        }
        cursor.expectOp("}");
        return new Expr.DictExpr(entries, open.pos());
    }

    /** {@code annotate(T, value)}, the name already consumed. */
    private Expr annotate(Token name) {
        cursor.expectOp("(");
        TypeExpr type = types.parse();
        cursor.expectOp(",");
        Expr value = parse();
        cursor.acceptOp(",");
        cursor.expectOp(")");
        return new Expr.Annotate(type, value, name.pos());
    }

    /**
     * A literal from an INT/FLOAT token or the names {@code inf}/{@code nan}, negated when folded.
     */
    private static Expr number(Token token, boolean negative, SourcePos pos) {
        if (token.kind() == TokenKind.INT) {
            BigInteger value = new BigInteger(token.text());
            if (negative) {
                value = value.negate();
            }
            if (value.compareTo(INT64_MIN) < 0 || value.compareTo(INT64_MAX) > 0) {
                throw TorchScriptSyntaxException.at(
                        pos, "integer literal " + value + " is outside the int64 range");
            }
            return new Expr.IntLiteral(value.longValueExact(), pos);
        }
        double value =
                switch (token.text()) {
                    case "inf" -> Double.POSITIVE_INFINITY;
                    case "nan" -> Double.NaN;
                    default -> Double.parseDouble(token.text());
                };
        return new Expr.FloatLiteral(negative ? -value : value, pos);
    }
}
