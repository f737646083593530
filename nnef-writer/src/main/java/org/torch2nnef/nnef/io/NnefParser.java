package org.torch2nnef.nnef.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.torch2nnef.nnef.io.Lexer.Kind;
import org.torch2nnef.nnef.io.Lexer.Token;
import org.torch2nnef.nnef.model.Assignment;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Expr.BinaryOp;
import org.torch2nnef.nnef.model.Expr.UnaryOp;
import org.torch2nnef.nnef.model.Extension;
import org.torch2nnef.nnef.model.Fragment;
import org.torch2nnef.nnef.model.Graph;
import org.torch2nnef.nnef.model.Identifiers;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.NnefModel;
import org.torch2nnef.nnef.model.TypeName;
import org.torch2nnef.nnef.model.TypeSpec;

/**
 * Parses {@code graph.nnef} text (NNEF 1.0 with the compositional syntax: fragments with bodies,
 * operator expressions, subscripts, if-else, comprehensions) into an {@link NnefModel} without
 * tensor data. It reads what {@link NnefPrinter} writes and what tract and torch-to-nnef write:
 * tract's free-form extension arguments, its {@code i"…"} identifiers, {@code inf} literals, bare
 * tuple left sides ({@code a, b = f(x);}) and operator precedence (a unary operator takes the whole
 * expression after it, {@code -1} directly followed by digits is one literal). Errors are {@link
 * NnefParseException}s with {@code source:line:column}.
 */
public final class NnefParser {
    /** Binding strength above {@code in}, for comprehension iterables. */
    private static final int ABOVE_IN = BinaryOp.IN.precedence() + 1;

    private final TokenStream in;
    private final long maxDepth = Limits.NNEF_EXPRESSION_DEPTH.value();
    private int depth;
    private final FragmentCallGraph fragmentCalls = new FragmentCallGraph();

    /** The invocations of the fragment body being parsed, null outside fragment bodies. */
    private Map<String, Token> bodyCalls;

    private NnefParser(TokenStream in) {
        this.in = in;
    }

    /** Parses one expression from {@code in}, leaving the cursor after it. */
    static Expr parseExprFrom(TokenStream in) throws NnefParseException {
        return new NnefParser(in).expr();
    }

    /** Parses a whole {@code graph.nnef} document; {@code source} names it in errors. */
    public static NnefModel parse(String text, String source) throws NnefParseException {
        return new NnefParser(new TokenStream(text, source)).document();
    }

    /** Parses one expression (for tests and tools). */
    public static Expr parseExpr(String text) throws NnefParseException {
        NnefParser p = new NnefParser(new TokenStream(text, "<expr>"));
        Expr e = p.expr();
        p.in.expect(Kind.EOF, "end of expression");
        return e;
    }

    private NnefModel document() throws NnefParseException {
        in.expect("version", "at the start of the document");
        Token v = in.expect(Kind.NUMBER, "version number");
        in.expect(";", "after the version");
        List<Extension> extensions = new ArrayList<>();
        while (in.at("extension")) {
            in.next();
            Token name = in.expect(Kind.IDENT, "extension name");
            Token arg = in.expect(Kind.RAW, "extension argument");
            in.expect(";", "after the extension");
            extensions.add(new Extension(name.text(), arg.text()));
        }
        List<Fragment> fragments = new ArrayList<>();
        while (in.at("fragment")) {
            fragments.add(fragment());
        }
        if (!in.at("graph")) {
            throw in.error(
                    in.peek(), "expected 'fragment' or 'graph', found " + in.peek().describe());
        }
        fragmentCalls.check(in);
        Graph graph = graph();
        in.expect(Kind.EOF, "end of document after the graph");
        NnefModel.Builder b = NnefModel.builder(graph).version(v.text());
        extensions.forEach(b::extension);
        fragments.forEach(b::fragment);
        return b.build();
    }

    // ---- fragments -----------------------------------------------------------------------------

    private Fragment fragment() throws NnefParseException {
        in.expect("fragment", "");
        String name = identifier("fragment name");
        Fragment.Builder f = Fragment.builder(name);
        if (in.accept("<")) {
            in.expect("?", "in the generic declaration of fragment '" + name + "'");
            TypeName def = in.accept("=") ? typeName() : null;
            in.expect(">", "closing the generic declaration of fragment '" + name + "'");
            f.generic(def);
        }
        in.expect("(", "before the parameters of fragment '" + name + "'");
        if (!in.at(")")) {
            do {
                String pname = identifier("parameter name");
                in.expect(":", "after parameter '" + pname + "'");
                TypeSpec type = typeSpec();
                if (in.accept("=")) {
                    f.param(pname, type, expr());
                } else {
                    f.param(pname, type);
                }
            } while (in.accept(","));
        }
        in.expect(")", "after the parameters of fragment '" + name + "'");
        in.expect("->", "before the results of fragment '" + name + "'");
        in.expect("(", "before the results of fragment '" + name + "'");
        if (!in.at(")")) {
            do {
                String rname = identifier("result name");
                in.expect(":", "after result '" + rname + "'");
                f.result(rname, typeSpec());
            } while (in.accept(","));
        }
        in.expect(")", "after the results of fragment '" + name + "'");
        if (in.accept(";")) {
            return f.build();
        }
        bodyCalls = new LinkedHashMap<>();
        try {
            f.body(body("fragment '" + name + "'"));
            fragmentCalls.add(name, bodyCalls);
        } finally {
            bodyCalls = null;
        }
        return f.build();
    }

    private TypeSpec typeSpec() throws NnefParseException {
        TypeSpec t;
        if (in.accept("tensor")) {
            in.expect("<", "after 'tensor'");
            t = TypeSpec.tensor(typeName());
            in.expect(">", "closing tensor<…>");
        } else if (in.accept("(")) {
            List<TypeSpec> items = new ArrayList<>();
            do {
                items.add(typeSpec());
            } while (in.accept(","));
            in.expect(")", "closing the tuple type");
            t = new TypeSpec.Tuple(items);
        } else {
            t = new TypeSpec.Primitive(typeName());
        }
        while (in.at("[") && in.peek(1).is("]")) {
            in.next();
            in.next();
            t = TypeSpec.arrayOf(t);
        }
        return t;
    }

    private TypeName typeName() throws NnefParseException {
        Token t = in.next();
        TypeName n = TypeName.fromNnefName(t.text());
        if (n == null || t.kind() == Kind.STRING) {
            throw in.error(
                    t,
                    "expected a type name (integer, scalar, logical, string or ?), found "
                            + t.describe());
        }
        return n;
    }

    // ---- graph and bodies ----------------------------------------------------------------------

    private Graph graph() throws NnefParseException {
        in.expect("graph", "");
        Graph.Builder g = Graph.builder(identifier("graph name"));
        in.expect("(", "before the graph inputs");
        if (!in.at(")")) {
            do {
                g.input(identifier("graph input"));
            } while (in.accept(","));
        }
        in.expect(")", "after the graph inputs");
        in.expect("->", "before the graph outputs");
        in.expect("(", "before the graph outputs");
        if (!in.at(")")) {
            do {
                g.output(identifier("graph output"));
            } while (in.accept(","));
        }
        in.expect(")", "after the graph outputs");
        body("graph").forEach(g::assign);
        return g.build();
    }

    private List<Assignment> body(String owner) throws NnefParseException {
        in.expect("{", "opening the body of " + owner);
        List<Assignment> body = new ArrayList<>();
        while (!in.accept("}")) {
            if (in.peek().kind() == Kind.EOF) {
                throw in.error(in.peek(), "missing '}' at the end of the body of " + owner);
            }
            Expr lvalue = lvalue();
            if (in.at(",")) { // tract's bare tuple: a, b = f(x);
                List<Expr> items = new ArrayList<>(List.of(lvalue));
                while (in.accept(",")) {
                    items.add(lvalue());
                }
                lvalue = new Expr.TupleExpr(items);
            }
            in.expect("=", "in an assignment of " + owner);
            Expr rvalue = expr();
            in.expect(";", "at the end of an assignment of " + owner);
            body.add(new Assignment(lvalue, rvalue));
        }
        return body;
    }

    private Expr lvalue() throws NnefParseException {
        enter();
        try {
            return lvalueItem();
        } finally {
            depth--;
        }
    }

    private Expr lvalueItem() throws NnefParseException {
        if (in.accept("[")) {
            List<Expr> items = new ArrayList<>();
            if (!in.at("]")) {
                do {
                    items.add(lvalue());
                } while (in.accept(","));
            }
            in.expect("]", "closing an array on the left of '='");
            return Expr.array(items);
        }
        if (in.at("(")) {
            Token open = in.next();
            List<Expr> items = new ArrayList<>();
            do {
                items.add(lvalue());
            } while (in.accept(","));
            in.expect(")", "closing a tuple on the left of '='");
            if (items.size() < 2) {
                throw in.error(open, "a tuple on the left of '=' needs at least two items");
            }
            return new Expr.TupleExpr(items);
        }
        return Expr.id(identifier("assigned identifier"));
    }

    private String identifier(String what) throws NnefParseException {
        Token t = in.peek();
        if (t.kind() != Kind.IDENT
                || (Identifiers.KEYWORDS.contains(t.text())
                        && t.end() - t.offset() == t.text().length())) {
            throw in.error(t, "expected " + what + ", found " + t.describe());
        }
        return in.next().text();
    }

    // ---- expressions ---------------------------------------------------------------------------

    /**
     * Enters one level of the expression being parsed: the parser and every later walk of the tree
     * recurse per level, so the depth is bounded here, where the message can say where.
     */
    private void enter() throws NnefParseException {
        if (++depth > maxDepth) {
            throw in.error(
                    in.peek(),
                    "expression nested deeper than "
                            + maxDepth
                            + " levels ("
                            + Limits.NNEF_EXPRESSION_DEPTH.describe()
                            + ")");
        }
    }

    private Expr expr() throws NnefParseException {
        enter();
        try {
            return ifElse();
        } finally {
            depth--;
        }
    }

    private Expr ifElse() throws NnefParseException {
        Expr e = binary(0);
        if (in.accept("if")) {
            Expr cond = binary(0);
            in.expect("else", "in an if-else expression");
            return new Expr.IfElse(cond, e, expr());
        }
        return e;
    }

    /** Precedence climbing; all binary operators are left-associative. */
    private Expr binary(int minPrecedence) throws NnefParseException {
        Expr left = unary();
        int levels = 0;
        try {
            while (true) {
                Token t = in.peek();
                BinaryOp op =
                        (t.kind() == Kind.PUNCT || t.is("in"))
                                ? BinaryOp.fromSymbol(t.text())
                                : null;
                if (op == null || op.precedence() < minPrecedence) {
                    return left;
                }
                in.next();
                enter();
                levels++;
                left = new Expr.Binary(op, left, binary(op.precedence() + 1));
            }
        } finally {
            depth -= levels;
        }
    }

    private Expr unary() throws NnefParseException {
        Token t = in.peek();
        if (t.kind() == Kind.PUNCT && (t.is("-") || t.is("+") || t.is("!"))) {
            in.next();
            Token n = in.peek();
            boolean adjacent = n.offset() == t.end();
            if (t.is("-") && adjacent && (n.kind() == Kind.NUMBER || n.is("inf"))) {
                in.next();
                return postfix(number("-" + n.text(), n));
            }
            UnaryOp op = t.is("-") ? UnaryOp.MINUS : t.is("+") ? UnaryOp.PLUS : UnaryOp.NOT;
            return new Expr.Unary(op, expr());
        }
        return postfix(primary());
    }

    private Expr postfix(Expr e) throws NnefParseException {
        int levels = 0;
        try {
            while (in.accept("[")) {
                enter();
                levels++;
                e = subscript(e);
            }
            return e;
        } finally {
            depth -= levels;
        }
    }

    /** What follows the {@code [} of a subscript or slice of {@code e}, up to its {@code ]}. */
    private Expr subscript(Expr e) throws NnefParseException {
        Expr result;
        if (in.accept(":")) {
            Optional<Expr> end = in.at("]") ? Optional.empty() : Optional.of(expr());
            result = new Expr.Slice(e, Optional.empty(), end);
        } else {
            Expr index = expr();
            if (in.accept(":")) {
                Optional<Expr> end = in.at("]") ? Optional.empty() : Optional.of(expr());
                result = new Expr.Slice(e, Optional.of(index), end);
            } else {
                result = new Expr.Subscript(e, index);
            }
        }
        in.expect("]", "closing a subscript");
        return result;
    }

    private Expr primary() throws NnefParseException {
        Token t = in.peek();
        switch (t.kind()) {
            case NUMBER -> {
                in.next();
                return number(t.text(), t);
            }
            case STRING -> {
                in.next();
                return Expr.str(t.text());
            }
            case IDENT -> {
                return identOrCall(t);
            }
            default -> {
                if (t.is("(")) {
                    in.next();
                    Expr first = expr();
                    if (in.accept(")")) {
                        return first;
                    }
                    List<Expr> items = new ArrayList<>(List.of(first));
                    while (in.accept(",")) {
                        items.add(expr());
                    }
                    in.expect(")", "closing a tuple");
                    return new Expr.TupleExpr(items);
                }
                if (t.is("[")) {
                    in.next();
                    if (in.at("for")) {
                        return comprehension();
                    }
                    List<Expr> items = new ArrayList<>();
                    if (!in.at("]")) {
                        do {
                            items.add(expr());
                        } while (in.accept(","));
                    }
                    in.expect("]", "closing an array");
                    return Expr.array(items);
                }
                throw in.error(t, "expected an expression, found " + t.describe());
            }
        }
    }

    private Expr identOrCall(Token t) throws NnefParseException {
        boolean plainWord = t.end() - t.offset() == t.text().length(); // not tract's i"…" form
        if (plainWord) {
            switch (t.text()) {
                case "true" -> {
                    in.next();
                    return Expr.of(true);
                }
                case "false" -> {
                    in.next();
                    return Expr.of(false);
                }
                case "inf" -> {
                    in.next();
                    return Expr.RealLit.parse("inf");
                }
                default -> {
                    // invocation or identifier below
                }
            }
        }
        if (in.peek(1).is("(")
                || (in.peek(1).is("<")
                        && in.peek(3).is(">")
                        && in.peek(4).is("(")
                        && TypeName.fromNnefName(in.peek(2).text()) != null)) {
            return invocation();
        }
        return Expr.id(identifier("identifier"));
    }

    private Invocation invocation() throws NnefParseException {
        Token nameToken = in.next();
        String name = nameToken.text();
        if (bodyCalls != null) {
            bodyCalls.putIfAbsent(name, nameToken);
        }
        Invocation.Builder b = Invocation.builder(name);
        if (in.accept("<")) {
            b.generic(typeName());
            in.expect(">", "closing the generic argument of '" + name + "'");
        }
        in.expect("(", "opening the arguments of '" + name + "'");
        Map<String, Token> seen = new LinkedHashMap<>();
        if (!in.at(")")) {
            do {
                Token at = in.peek();
                if (at.kind() == Kind.IDENT && in.peek(1).is("=")) {
                    in.next();
                    in.next();
                    if (seen.put(at.text(), at) != null) {
                        throw in.error(
                                at, "argument '" + at.text() + "' of '" + name + "' given twice");
                    }
                    b.arg(at.text(), expr());
                } else {
                    if (!seen.isEmpty()) {
                        throw in.error(
                                at, "positional argument of '" + name + "' after named arguments");
                    }
                    b.arg(expr());
                }
            } while (in.accept(","));
        }
        in.expect(")", "closing the arguments of '" + name + "'");
        return b.build();
    }

    private Expr comprehension() throws NnefParseException {
        in.expect("for", "");
        List<Expr.LoopIter> iters = new ArrayList<>();
        do {
            String var = identifier("loop variable");
            in.expect("in", "after loop variable '" + var + "'");
            iters.add(new Expr.LoopIter(var, binary(ABOVE_IN)));
        } while (in.accept(","));
        Optional<Expr> filter = in.accept("if") ? Optional.of(binary(0)) : Optional.empty();
        in.expect("yield", "in a comprehension");
        Expr yield = expr();
        in.expect("]", "closing a comprehension");
        return new Expr.Comprehension(iters, filter, yield);
    }

    private Expr number(String text, Token at) throws NnefParseException {
        boolean real =
                text.indexOf('.') >= 0
                        || text.indexOf('e') >= 0
                        || text.indexOf('E') >= 0
                        || text.endsWith("inf");
        if (real) {
            return Expr.RealLit.parse(text);
        }
        try {
            return Expr.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw in.error(at, "integer literal " + text + " is outside the 64-bit range");
        }
    }
}
