package org.torch2nnef.nnef.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.torch2nnef.nnef.model.Assignment;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Expr.Binary;
import org.torch2nnef.nnef.model.Expr.BinaryOp;
import org.torch2nnef.nnef.model.Extension;
import org.torch2nnef.nnef.model.Fragment;
import org.torch2nnef.nnef.model.Graph;
import org.torch2nnef.nnef.model.Identifiers;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.NnefModel;
import org.torch2nnef.nnef.model.TypeName;
import org.torch2nnef.nnef.model.TypeSpec;

/**
 * Writes the {@code graph.nnef} text of a model following the NNEF 1.0 grammar, in a fixed layout
 * (one assignment per line, four-space indent, {@code \n} line ends).
 *
 * <p>Parentheses: binary operands get them only where precedence needs them; unary and if-else
 * expressions get them whenever they are an operand, because both the Khronos parser and tract let
 * a unary operator take the whole expression that follows ({@code -a + b} reads {@code -(a + b)})
 * and tract reads no nested if-else. A unary minus on a numeric literal prints {@code -(1)}, since
 * {@code -1} reads back as the negative literal.
 *
 * <p>Errors ({@link IllegalArgumentException}) name the bad identifier or value and where it is:
 * invalid identifiers, NaN literals (tract has no NaN literal: store such values in a {@code
 * .dat}), extension arguments containing {@code ;}.
 */
public final class NnefPrinter {
    private static final String INDENT = "    ";

    private final Appendable out;
    private String where = "";

    private NnefPrinter(Appendable out) {
        this.out = out;
    }

    /** The {@code graph.nnef} text of {@code model}. */
    public static String print(NnefModel model) {
        StringBuilder sb = new StringBuilder();
        try {
            print(model, sb);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // StringBuilder does not throw
        }
        return sb.toString();
    }

    /** Appends the {@code graph.nnef} text of {@code model} to {@code out}. */
    public static void print(NnefModel model, Appendable out) throws IOException {
        new NnefPrinter(out).document(model);
    }

    /** The NNEF text of one expression (no trailing {@code ;}). */
    public static String expr(Expr e) {
        StringBuilder sb = new StringBuilder();
        try {
            new NnefPrinter(sb).top(e);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return sb.toString();
    }

    /** The NNEF text of a type specification. */
    public static String type(TypeSpec t) {
        StringBuilder sb = new StringBuilder();
        appendType(sb, t);
        return sb.toString();
    }

    private void document(NnefModel model) throws IOException {
        if (!model.version().matches("[0-9]+\\.[0-9]+")) {
            throw new IllegalArgumentException(
                    "NNEF version '" + model.version() + "' is not of the form <major>.<minor>");
        }
        out.append("version ").append(model.version()).append(";\n\n");
        for (Extension ext : model.extensions()) {
            extension(ext);
        }
        if (!model.extensions().isEmpty()) {
            out.append('\n');
        }
        for (Fragment f : model.fragments()) {
            fragment(f);
        }
        graph(model.graph());
    }

    private void extension(Extension ext) throws IOException {
        where = "extension '" + ext.name() + "'";
        out.append("extension ").append(ident(ext.name(), "extension name"));
        String arg = ext.argument();
        if (arg.indexOf(';') >= 0
                || arg.indexOf('\n') >= 0
                || arg.indexOf('\r') >= 0
                || arg.indexOf('#') >= 0) {
            throw new IllegalArgumentException(
                    where + ": argument '" + arg + "' may not contain ';', '#' or a line break");
        }
        if (!arg.isEmpty()) {
            out.append(' ').append(arg);
        }
        out.append(";\n");
    }

    private void fragment(Fragment f) throws IOException {
        where = "fragment '" + f.name() + "'";
        out.append("fragment ").append(ident(f.name(), "fragment name"));
        if (f.generic().isPresent()) {
            Optional<TypeName> def = f.generic().get().defaultType();
            out.append(def.isPresent() ? "<? = " + def.get().nnefName() + ">" : "<?>");
        }
        out.append('(');
        List<Fragment.Param> params = f.params();
        for (int i = 0; i < params.size(); i++) {
            Fragment.Param p = params.get(i);
            out.append(i == 0 ? "\n" : ",\n")
                    .append(INDENT)
                    .append(ident(p.name(), "parameter name"))
                    .append(": ")
                    .append(type(p.type()));
            if (p.defaultValue().isPresent()) {
                out.append(" = ");
                top(p.defaultValue().get());
            }
        }
        out.append(params.isEmpty() ? ")" : "\n)").append(" -> (");
        List<Fragment.Result> results = f.results();
        for (int i = 0; i < results.size(); i++) {
            Fragment.Result r = results.get(i);
            out.append(i == 0 ? "" : ", ")
                    .append(ident(r.name(), "result name"))
                    .append(": ")
                    .append(type(r.type()));
        }
        out.append(')');
        if (f.body().isPresent()) {
            out.append("\n{\n");
            body(f.body().get());
            out.append("}\n\n");
        } else {
            out.append(";\n\n");
        }
    }

    private void graph(Graph g) throws IOException {
        where = "graph '" + g.name() + "'";
        out.append("graph ").append(ident(g.name(), "graph name")).append('(');
        identList(g.inputs(), "graph input");
        out.append(") -> (");
        identList(g.outputs(), "graph output");
        out.append(")\n{\n");
        body(g.body());
        out.append("}\n");
    }

    private void identList(List<String> ids, String what) throws IOException {
        for (int i = 0; i < ids.size(); i++) {
            out.append(i == 0 ? "" : ", ").append(ident(ids.get(i), what));
        }
    }

    private void body(List<Assignment> body) throws IOException {
        String owner = where;
        for (int i = 0; i < body.size(); i++) {
            Assignment a = body.get(i);
            where = owner + ", assignment " + (i + 1) + " (" + a.definedNames() + ")";
            out.append(INDENT);
            top(a.lvalue());
            out.append(" = ");
            top(a.rvalue());
            out.append(";\n");
        }
        where = owner;
    }

    private String ident(String id, String what) {
        if (!Identifiers.isValid(id)) {
            throw new IllegalArgumentException(prefix() + describeBad(id, what));
        }
        return id;
    }

    private String prefix() {
        return where.isEmpty() ? "" : where + ": ";
    }

    private static String describeBad(String id, String what) {
        try {
            Identifiers.require(id, what);
            Identifiers.requireInvocationName(id, what);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return what + " '" + id + "' is not a valid NNEF identifier";
    }

    // ---- expressions ---------------------------------------------------------------------------

    /** An expression where any expression may stand (argument, item, right side). */
    private void top(Expr e) throws IOException {
        if (e instanceof Expr.IntLit i) {
            out.append(Long.toString(i.value()));
        } else if (e instanceof Expr.RealLit r) {
            real(r);
        } else if (e instanceof Expr.BoolLit b) {
            out.append(b.value() ? "true" : "false");
        } else if (e instanceof Expr.StrLit s) {
            string(s.value());
        } else if (e instanceof Expr.Id id) {
            out.append(ident(id.name(), "identifier"));
        } else if (e instanceof Expr.ArrayExpr a) {
            items("[", a.items(), "]");
        } else if (e instanceof Expr.TupleExpr t) {
            items("(", t.items(), ")");
        } else if (e instanceof Expr.Unary u) {
            out.append(u.op().symbol());
            boolean bare = isPrimary(u.operand()) && !isNumber(u.operand());
            wrapped(u.operand(), !bare);
        } else if (e instanceof Binary b) {
            binary(b);
        } else if (e instanceof Expr.Subscript s) {
            wrapped(s.target(), !isAtom(s.target()));
            out.append('[');
            top(s.index());
            out.append(']');
        } else if (e instanceof Expr.Slice s) {
            wrapped(s.target(), !isAtom(s.target()));
            out.append('[');
            if (s.begin().isPresent()) {
                top(s.begin().get());
            }
            out.append(':');
            if (s.end().isPresent()) {
                top(s.end().get());
            }
            out.append(']');
        } else if (e instanceof Expr.IfElse ie) {
            operand(ie.then());
            out.append(" if ");
            operand(ie.condition());
            out.append(" else ");
            operand(ie.otherwise());
        } else if (e instanceof Expr.Comprehension c) {
            comprehension(c);
        } else if (e instanceof Invocation inv) {
            invocation(inv);
        } else {
            throw new IllegalStateException("unknown expression kind " + e.getClass());
        }
    }

    private void real(Expr.RealLit r) throws IOException {
        if (Double.isNaN(r.value())) {
            throw new IllegalArgumentException(
                    prefix()
                            + "NaN cannot be written as an NNEF literal "
                            + "(neither NNEF nor tract has one); store the value in a variable's .dat instead");
        }
        out.append(r.text());
    }

    private void string(String s) throws IOException {
        out.append('\'');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            // tract's string grammar takes neither quote unescaped, whichever delimits the string
            if (c == '\\' || c == '\'' || c == '"') {
                out.append('\\');
            }
            out.append(c);
        }
        out.append('\'');
    }

    private void items(String open, List<Expr> items, String close) throws IOException {
        out.append(open);
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            top(items.get(i));
        }
        out.append(close);
    }

    private void binary(Binary b) throws IOException {
        BinaryOp op = b.op();
        Expr l = b.left();
        boolean leftParens =
                needsParens(l, op, false) || (op == BinaryOp.POW && isNumber(l) && isNegative(l));
        wrapped(l, leftParens);
        out.append(' ').append(op.symbol()).append(' ');
        wrapped(b.right(), needsParens(b.right(), op, true));
    }

    private static boolean needsParens(Expr child, BinaryOp parent, boolean right) {
        if (child instanceof Expr.Unary || child instanceof Expr.IfElse) {
            return true;
        }
        if (!(child instanceof Binary c)) {
            return false;
        }
        if (c.op().precedence() != parent.precedence()) {
            return c.op().precedence() < parent.precedence();
        }
        return right || !chainsLeft(c.op(), parent);
    }

    /** Whether {@code a op1 b op2 c} reads {@code (a op1 b) op2 c} unambiguously to a reader. */
    private static boolean chainsLeft(BinaryOp child, BinaryOp parent) {
        return switch (parent) {
            case ADD, SUB -> child == BinaryOp.ADD || child == BinaryOp.SUB;
            case MUL, DIV -> child == BinaryOp.MUL || child == BinaryOp.DIV;
            case AND, OR -> child == parent;
            default -> false;
        };
    }

    /** An operand of if-else: unary and if-else need parentheses there. */
    private void operand(Expr e) throws IOException {
        wrapped(e, e instanceof Expr.Unary || e instanceof Expr.IfElse);
    }

    private void wrapped(Expr e, boolean parens) throws IOException {
        if (parens) {
            out.append('(');
            top(e);
            out.append(')');
        } else {
            top(e);
        }
    }

    private void comprehension(Expr.Comprehension c) throws IOException {
        out.append("[for ");
        for (int i = 0; i < c.iters().size(); i++) {
            Expr.LoopIter it = c.iters().get(i);
            out.append(i == 0 ? "" : ", ").append(ident(it.name(), "loop variable")).append(" in ");
            Expr iterable = it.iterable();
            wrapped(
                    iterable,
                    iterable instanceof Expr.IfElse
                            || iterable instanceof Expr.Unary
                            || (iterable instanceof Binary b && b.op() == BinaryOp.IN));
        }
        if (c.filter().isPresent()) {
            out.append(" if ");
            operand(c.filter().get());
        }
        out.append(" yield ");
        top(c.yield());
        out.append(']');
    }

    private void invocation(Invocation inv) throws IOException {
        if (!Identifiers.isValidInvocationName(inv.name())) {
            throw new IllegalArgumentException(
                    prefix() + describeBad(inv.name(), "operation name"));
        }
        out.append(inv.name());
        if (inv.generic().isPresent()) {
            out.append('<').append(inv.generic().get().nnefName()).append('>');
        }
        out.append('(');
        boolean first = true;
        for (Expr arg : inv.positional()) {
            out.append(first ? "" : ", ");
            first = false;
            top(arg);
        }
        for (Map.Entry<String, Expr> arg : inv.named().entrySet()) {
            out.append(first ? "" : ", ");
            first = false;
            out.append(ident(arg.getKey(), "argument name of " + inv.name())).append(" = ");
            top(arg.getValue());
        }
        out.append(')');
    }

    /** Primary expressions print without parentheses after a unary operator. */
    private static boolean isPrimary(Expr e) {
        return isAtom(e)
                || e instanceof Expr.IntLit
                || e instanceof Expr.RealLit
                || e instanceof Expr.BoolLit
                || e instanceof Expr.StrLit
                || e instanceof Expr.Subscript
                || e instanceof Expr.Slice;
    }

    /** Expressions that may be subscripted without parentheses (tract subscripts atoms only). */
    private static boolean isAtom(Expr e) {
        return e instanceof Expr.Id
                || e instanceof Invocation
                || e instanceof Expr.ArrayExpr
                || e instanceof Expr.TupleExpr
                || e instanceof Expr.Comprehension;
    }

    private static boolean isNumber(Expr e) {
        return e instanceof Expr.IntLit || e instanceof Expr.RealLit;
    }

    private static boolean isNegative(Expr e) {
        return (e instanceof Expr.IntLit i && i.value() < 0)
                || (e instanceof Expr.RealLit r && r.text().startsWith("-"));
    }

    // ---- types
    // -----------------------------------------------------------------------------------

    private static void appendType(StringBuilder sb, TypeSpec t) {
        if (t instanceof TypeSpec.Primitive p) {
            sb.append(p.name().nnefName());
        } else if (t instanceof TypeSpec.Tensor tt) {
            sb.append("tensor<").append(tt.element().nnefName()).append('>');
        } else if (t instanceof TypeSpec.Array a) {
            appendType(sb, a.item());
            sb.append("[]");
        } else if (t instanceof TypeSpec.Tuple tu) {
            sb.append('(');
            for (int i = 0; i < tu.items().size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                appendType(sb, tu.items().get(i));
            }
            sb.append(')');
        } else {
            throw new IllegalStateException("unknown type spec " + t.getClass());
        }
    }
}
