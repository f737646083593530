package org.torch2nnef.check.reference;

import java.util.List;
import org.torch2nnef.nnef.contract.ModelPropertyKeys;
import org.torch2nnef.nnef.model.Assignment;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Fragment;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.NnefModel;

/**
 * Whose semantics a model is read with where tract and the Khronos specification differ ({@code
 * deconv}'s filter layout). A model declaring a {@code tract_*} extension or tract's properties
 * fragment is tract's; any other is standard NNEF, as {@code --nnef-spec-strict} writes it, and is
 * read as Khronos' NNEF-Tools read it.
 */
enum Dialect {
    /** tract's NNEF: {@code deconv} filters {@code [C_out, C_in/groups, k...]}. */
    TRACT,
    /** The Khronos specification: {@code deconv} filters {@code [C_in, C_out/groups, k...]}. */
    KHRONOS;

    /** The dialect {@code model} is written in. */
    static Dialect of(NnefModel model) {
        boolean tract =
                model.extensions().stream().anyMatch(e -> e.name().startsWith("tract_"))
                        || model.fragments().stream()
                                .anyMatch(f -> f.name().equals(ModelPropertyKeys.FRAGMENT));
        return tract ? TRACT : KHRONOS;
    }

    /** The extension standard NNEF requires before any fragment definition. */
    static final String FRAGMENT_DEFINITIONS = "KHR_enable_fragment_definitions";

    /** The extension standard NNEF requires for operators and nested calls in assignments. */
    static final String OPERATOR_EXPRESSIONS = "KHR_enable_operator_expressions";

    /**
     * Refuses, as NNEF-Tools' parser does, a Khronos document defining fragments without {@link
     * #FRAGMENT_DEFINITIONS} ("expected token 'graph', found 'fragment'") or using operator
     * expressions without {@link #OPERATOR_EXPRESSIONS} ("expected operation invocation").
     *
     * @throws NnefExecutionException naming the missing extension
     */
    static void checkExtensions(NnefModel model) {
        if (of(model) != KHRONOS) {
            return;
        }
        List<String> declared = model.extensions().stream().map(e -> e.name()).toList();
        if (!model.fragments().isEmpty() && !declared.contains(FRAGMENT_DEFINITIONS)) {
            throw new NnefExecutionException(
                    "fragment '"
                            + model.fragments().get(0).name()
                            + "' is defined without 'extension "
                            + FRAGMENT_DEFINITIONS
                            + ";', which standard NNEF requires (NNEF-Tools: expected token"
                            + " 'graph', found 'fragment')");
        }
        if (declared.contains(OPERATOR_EXPRESSIONS)) {
            return;
        }
        for (Fragment f : model.fragments()) {
            f.body().ifPresent(body -> requireFlat(body, "fragment '" + f.name() + "'"));
        }
        requireFlat(model.graph().body(), "graph '" + model.graph().name() + "'");
    }

    private static void requireFlat(List<Assignment> body, String where) {
        for (Assignment a : body) {
            if (!(a.rvalue() instanceof Invocation call)
                    || call.positional().stream().anyMatch(Dialect::operator)
                    || call.named().values().stream().anyMatch(Dialect::operator)) {
                throw new NnefExecutionException(
                        where
                                + ": the assignment to "
                                + a.definedNames()
                                + " uses an operator expression or nested call without 'extension "
                                + OPERATOR_EXPRESSIONS
                                + ";' (NNEF-Tools: expected operation invocation)");
            }
        }
    }

    /** Whether an argument needs operator expressions: anything but literals, ids and lists. */
    private static boolean operator(Expr e) {
        if (e instanceof Expr.ArrayExpr a) {
            return a.items().stream().anyMatch(Dialect::operator);
        }
        if (e instanceof Expr.TupleExpr t) {
            return t.items().stream().anyMatch(Dialect::operator);
        }
        if (e instanceof Expr.Unary u) {
            // a negative number is a literal
            return !(u.operand() instanceof Expr.IntLit || u.operand() instanceof Expr.RealLit);
        }
        return !(e instanceof Expr.Id
                || e instanceof Expr.IntLit
                || e instanceof Expr.RealLit
                || e instanceof Expr.BoolLit
                || e instanceof Expr.StrLit);
    }
}
