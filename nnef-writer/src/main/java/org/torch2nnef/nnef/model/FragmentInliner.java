package org.torch2nnef.nnef.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.torch2nnef.nnef.model.Expr.BinaryOp;

/**
 * Turns a model into flat NNEF, the form every Khronos consumer reads: each call of a fragment the
 * model defines is replaced by the fragment's body, and every operator expression or nested
 * invocation becomes an assignment of its own ({@code y = x * sigmoid(x)} becomes {@code t =
 * sigmoid(x); y = mul(x, t)}). The result defines no fragment and needs neither {@code
 * KHR_enable_fragment_definitions} nor {@code KHR_enable_operator_expressions}: NNEF-Tools' runtime
 * parses fragments under those extensions but cannot run them ({@code nnef-infer}: "Shape function
 * for operation 't2n_log_softmax' is not provided"; it lowers only its own list of standard
 * compounds).
 *
 * <p>Operators on literals alone are folded; a fragment's attribute parameters are replaced by the
 * call's literal arguments. Subscripts, slices, comprehensions and an {@code if} whose condition is
 * not a literal have no flat form: they are refused.
 */
public final class FragmentInliner {
    private final Map<String, Fragment> fragments = new HashMap<>();
    private final Set<String> taken = new HashSet<>();
    private final List<Assignment> out = new ArrayList<>();

    private FragmentInliner(NnefModel model) {
        model.fragments().forEach(f -> fragments.put(f.name(), f));
        taken.addAll(model.graph().inputs());
        taken.addAll(model.graph().outputs());
        for (Assignment a : model.graph().body()) {
            taken.addAll(a.definedNames());
        }
    }

    /**
     * The flat form of {@code model}: the same graph, inputs, outputs, tensors and quantization,
     * without fragments.
     *
     * @throws IllegalArgumentException naming the fragment (or graph assignment) and the expression
     *     that has no flat form
     */
    public static NnefModel inline(NnefModel model) {
        FragmentInliner inliner = new FragmentInliner(model);
        for (Assignment a : model.graph().body()) {
            inliner.assign(
                    a.lvalue(), a.rvalue(), Map.of(), "graph assignment " + a.definedNames());
        }
        Graph.Builder graph = Graph.builder(model.graph().name());
        model.graph().inputs().forEach(graph::input);
        model.graph().outputs().forEach(graph::output);
        inliner.out.forEach(graph::assign);
        NnefModel.Builder flat =
                NnefModel.builder(graph.build())
                        .version(model.version())
                        .tensors(model.tensors())
                        .quantization(model.quantization());
        model.extensions().forEach(flat::extension);
        return flat.build();
    }

    /**
     * Emits {@code lvalue = rvalue} flat, with {@code bound} replacing identifiers (a fragment's
     * parameters and locals).
     */
    private void assign(Expr lvalue, Expr rvalue, Map<String, Expr> bound, String where) {
        Expr target = substitute(lvalue, bound);
        if (rvalue instanceof Invocation call && fragments.containsKey(call.name())) {
            inlineCall(target, call, bound, where);
            return;
        }
        Expr value = flatten(rvalue, bound, where, nameOf(target));
        if (value instanceof Invocation call) {
            out.add(new Assignment(target, call));
        } else {
            // a literal, an identifier or an array of them: standard NNEF copies it
            out.add(new Assignment(target, Invocation.of("copy", value)));
        }
    }

    /** Replaces a call of a defined fragment by its body, its results written to {@code target}. */
    private void inlineCall(Expr target, Invocation call, Map<String, Expr> bound, String where) {
        Fragment f = fragments.get(call.name());
        String in = "fragment " + f.name() + " (called by " + where + ")";
        if (f.body().isEmpty()) {
            throw new IllegalArgumentException(in + " has no body to inline");
        }
        if (f.generic().isPresent()) {
            throw new IllegalArgumentException(in + " is generic, which flat NNEF cannot inline");
        }
        Map<String, Expr> scope = new HashMap<>();
        List<Fragment.Param> params = f.params();
        if (call.positional().size() > params.size()) {
            throw new IllegalArgumentException(
                    in + " takes " + params.size() + " arguments, given more");
        }
        for (int i = 0; i < params.size(); i++) {
            Fragment.Param p = params.get(i);
            Optional<Expr> arg =
                    i < call.positional().size()
                            ? Optional.of(call.positional().get(i))
                            : Optional.ofNullable(call.named().get(p.name()))
                                    .or(() -> p.defaultValue());
            Expr value =
                    arg.orElseThrow(
                            () -> new IllegalArgumentException(in + " lacks argument " + p.name()));
            scope.put(p.name(), flatten(value, bound, where, nameOf(target)));
        }
        List<String> outputs = names(target, in);
        if (outputs.size() != f.results().size()) {
            throw new IllegalArgumentException(
                    in + " has " + f.results().size() + " results, assigned to " + outputs.size());
        }
        for (int i = 0; i < outputs.size(); i++) {
            scope.put(f.results().get(i).name(), Expr.id(outputs.get(i)));
        }
        String prefix = outputs.get(0);
        for (Assignment a : f.body().get()) {
            for (String local : a.definedNames()) {
                if (f.results().stream().noneMatch(r -> r.name().equals(local))) {
                    scope.put(local, Expr.id(fresh(prefix + "_" + local)));
                }
            }
            assign(a.lvalue(), a.rvalue(), scope, in);
        }
    }

    /**
     * {@code e} with bound identifiers replaced, as an identifier, a literal or an array or tuple
     * of them, or (at the top only) an invocation whose arguments are such: every nested operation
     * becomes an assignment to a fresh name starting with {@code stem}.
     */
    private Expr flatten(Expr e, Map<String, Expr> bound, String where, String stem) {
        if (e instanceof Invocation call) {
            List<Expr> positional = new ArrayList<>();
            for (Expr p : call.positional()) {
                positional.add(operand(p, bound, where, stem));
            }
            Map<String, Expr> named = new LinkedHashMap<>();
            call.named().forEach((k, v) -> named.put(k, operand(v, bound, where, stem)));
            return new Invocation(call.name(), call.generic(), positional, named);
        }
        if (e instanceof Expr.Binary b) {
            return binary(b, bound, where, stem);
        }
        if (e instanceof Expr.Unary u) {
            return unary(u, bound, where, stem);
        }
        if (e instanceof Expr.IfElse c) {
            Expr condition = operand(c.condition(), bound, where, stem);
            if (!(condition instanceof Expr.BoolLit lit)) {
                throw new IllegalArgumentException(
                        where + ": an if-else on a tensor has no flat NNEF form");
            }
            return flatten(lit.value() ? c.then() : c.otherwise(), bound, where, stem);
        }
        if (e instanceof Expr.ArrayExpr a) {
            return new Expr.ArrayExpr(
                    a.items().stream().map(i -> operand(i, bound, where, stem)).toList());
        }
        if (e instanceof Expr.TupleExpr t) {
            return new Expr.TupleExpr(
                    t.items().stream().map(i -> operand(i, bound, where, stem)).toList());
        }
        if (e instanceof Expr.Id id) {
            return bound.getOrDefault(id.name(), id);
        }
        if (e instanceof Expr.Subscript
                || e instanceof Expr.Slice
                || e instanceof Expr.Comprehension) {
            throw new IllegalArgumentException(
                    where + ": a subscript, slice or comprehension has no flat NNEF form");
        }
        return e; // a literal
    }

    /** An argument: a nested fragment call or operation is assigned to a fresh name first. */
    private Expr operand(Expr e, Map<String, Expr> bound, String where, String stem) {
        Expr flat =
                e instanceof Invocation call && fragments.containsKey(call.name())
                        ? e
                        : flatten(e, bound, where, stem);
        if (!(flat instanceof Invocation)) {
            return flat;
        }
        Expr temp = Expr.id(fresh(stem + "_" + ((Invocation) flat).name()));
        if (fragments.containsKey(((Invocation) flat).name())) {
            inlineCall(temp, (Invocation) flat, bound, where);
        } else {
            out.add(new Assignment(temp, flat));
        }
        return temp;
    }

    private Expr binary(Expr.Binary b, Map<String, Expr> bound, String where, String stem) {
        Expr left = operand(b.left(), bound, where, stem);
        Expr right = operand(b.right(), bound, where, stem);
        Optional<Expr> folded = Folding.binary(b.op(), left, right);
        if (folded.isPresent()) {
            return folded.get();
        }
        String op =
                b.op().operation()
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                where
                                                        + ": 'in' on a tensor has no flat NNEF form"));
        return Invocation.of(op, left, right);
    }

    private Expr unary(Expr.Unary u, Map<String, Expr> bound, String where, String stem) {
        Expr operand = operand(u.operand(), bound, where, stem);
        Optional<Expr> folded = Folding.unary(u.op(), operand);
        if (folded.isPresent()) {
            return folded.get();
        }
        return switch (u.op()) {
            case PLUS -> operand;
            case MINUS -> Invocation.of("neg", operand);
            case NOT -> Invocation.of("not", operand);
        };
    }

    private static Expr substitute(Expr lvalue, Map<String, Expr> bound) {
        if (lvalue instanceof Expr.Id id) {
            return bound.getOrDefault(id.name(), id);
        }
        if (lvalue instanceof Expr.TupleExpr t) {
            return new Expr.TupleExpr(t.items().stream().map(i -> substitute(i, bound)).toList());
        }
        if (lvalue instanceof Expr.ArrayExpr a) {
            return new Expr.ArrayExpr(a.items().stream().map(i -> substitute(i, bound)).toList());
        }
        return lvalue;
    }

    private static List<String> names(Expr target, String where) {
        if (target instanceof Expr.Id id) {
            return List.of(id.name());
        }
        List<Expr> items =
                target instanceof Expr.TupleExpr t
                        ? t.items()
                        : target instanceof Expr.ArrayExpr a ? a.items() : null;
        if (items == null) {
            throw new IllegalArgumentException(where + ": cannot assign to " + target);
        }
        return items.stream().flatMap(i -> names(i, where).stream()).toList();
    }

    private static String nameOf(Expr target) {
        return names(target, "").get(0);
    }

    /** {@code stem}, or {@code stem_2}, {@code stem_3}, ... when taken. */
    private String fresh(String stem) {
        String name = stem;
        for (int i = 2; !taken.add(name); i++) {
            name = stem + "_" + i;
        }
        return name;
    }

    /** Operators on literals alone, computed as NNEF defines them. */
    private static final class Folding {
        static Optional<Expr> binary(BinaryOp op, Expr l, Expr r) {
            if (l instanceof Expr.BoolLit a && r instanceof Expr.BoolLit b) {
                return switch (op) {
                    case AND -> Optional.of(Expr.of(a.value() && b.value()));
                    case OR -> Optional.of(Expr.of(a.value() || b.value()));
                    case EQ -> Optional.of(Expr.of(a.value() == b.value()));
                    case NE -> Optional.of(Expr.of(a.value() != b.value()));
                    default -> Optional.empty();
                };
            }
            if (l instanceof Expr.IntLit a && r instanceof Expr.IntLit b) {
                long x = a.value();
                long y = b.value();
                return switch (op) {
                    case ADD -> Optional.of(Expr.of(x + y));
                    case SUB -> Optional.of(Expr.of(x - y));
                    case MUL -> Optional.of(Expr.of(x * y));
                    case DIV -> y == 0 ? Optional.empty() : Optional.of(Expr.of(x / y));
                    default -> compare(op, Long.compare(x, y));
                };
            }
            if (number(l) && number(r)) {
                double x = value(l);
                double y = value(r);
                return switch (op) {
                    case ADD -> Optional.of(real(x + y, l, r));
                    case SUB -> Optional.of(real(x - y, l, r));
                    case MUL -> Optional.of(real(x * y, l, r));
                    case DIV -> Optional.of(real(x / y, l, r));
                    case POW -> Optional.of(real(Math.pow(x, y), l, r));
                    default -> compare(op, Double.compare(x, y));
                };
            }
            return Optional.empty();
        }

        private static Optional<Expr> compare(BinaryOp op, int c) {
            return switch (op) {
                case LT -> Optional.of(Expr.of(c < 0));
                case LE -> Optional.of(Expr.of(c <= 0));
                case GT -> Optional.of(Expr.of(c > 0));
                case GE -> Optional.of(Expr.of(c >= 0));
                case EQ -> Optional.of(Expr.of(c == 0));
                case NE -> Optional.of(Expr.of(c != 0));
                default -> Optional.empty();
            };
        }

        static Optional<Expr> unary(Expr.UnaryOp op, Expr e) {
            return switch (op) {
                case MINUS ->
                        e instanceof Expr.IntLit i
                                ? Optional.of(Expr.of(-i.value()))
                                : e instanceof Expr.RealLit r
                                        ? Optional.of(new Expr.RealLit(-r.value(), r.single()))
                                        : Optional.empty();
                case NOT ->
                        e instanceof Expr.BoolLit b
                                ? Optional.of(Expr.of(!b.value()))
                                : Optional.empty();
                case PLUS -> number(e) ? Optional.of(e) : Optional.empty();
            };
        }

        /** A folded real, single precision when an operand was. */
        private static Expr real(double v, Expr l, Expr r) {
            boolean single =
                    (l instanceof Expr.RealLit a && a.single())
                            || (r instanceof Expr.RealLit b && b.single());
            return new Expr.RealLit(single ? (float) v : v, single);
        }

        private static boolean number(Expr e) {
            return e instanceof Expr.IntLit || e instanceof Expr.RealLit;
        }

        private static double value(Expr e) {
            return e instanceof Expr.IntLit i ? i.value() : ((Expr.RealLit) e).value();
        }
    }
}
