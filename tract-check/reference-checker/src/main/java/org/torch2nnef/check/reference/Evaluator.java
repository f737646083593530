package org.torch2nnef.check.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.torch2nnef.nnef.io.NnefPrinter;
import org.torch2nnef.nnef.model.Assignment;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Expr.BinaryOp;
import org.torch2nnef.nnef.model.Fragment;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.TypeName;

/**
 * Evaluates NNEF expressions and invocations during one run: literals, identifiers (scope, then
 * symbols), operators on compile-time values and on tensors (as the ops {@code add}, {@code lt},
 * …), arrays, tuples, subscripts, slices, if-else, comprehensions and the built-in functions {@code
 * length_of}, {@code range_of}, {@code shape_of}, {@code integer}, {@code scalar}, {@code logical},
 * {@code string}. Invocations run a fragment of the model that has a body, else a registered op;
 * anything else is an {@link UnsupportedOpException}.
 */
final class Evaluator {
    private static final int MAX_TEXT = 160;

    private final RunState run;

    Evaluator(RunState run) {
        this.run = run;
    }

    /** Evaluates a literal expression (op parameter defaults) without a run. */
    static Value constant(Expr e) {
        return new Evaluator(null).eval(e, Map.of());
    }

    NDManager manager() {
        return run.manager();
    }

    RunState run() {
        return run;
    }

    /**
     * Executes {@code body} in {@code scope}; errors are prefixed with {@code where} and the
     * assignment.
     */
    void execute(
            List<Assignment> body, Map<String, Value> scope, String where, boolean graphLevel) {
        for (int i = 0; i < body.size(); i++) {
            Assignment a = body.get(i);
            List<String> names = a.definedNames();
            try {
                Value v =
                        a.rvalue() instanceof Invocation inv
                                ? invoke(inv, scope, names)
                                : eval(a.rvalue(), scope);
                bind(a.lvalue(), v, scope);
                if (graphLevel) {
                    run.afterGraphAssignment(a, names, scope);
                    run.release(scope, i);
                }
            } catch (NnefExecutionException e) {
                throw e.within(context(where + lineOf(graphLevel, names), i, a, names));
            } catch (RuntimeException e) {
                throw new NnefExecutionException(
                        context(where + lineOf(graphLevel, names), i, a, names) + ": " + e, e);
            }
        }
    }

    private String lineOf(boolean graphLevel, List<String> names) {
        Integer line = graphLevel && !names.isEmpty() ? run.line(names.get(0)) : null;
        return line == null ? "" : " line " + line;
    }

    private static String context(String where, int index, Assignment a, List<String> names) {
        String text;
        try {
            text = NnefPrinter.expr(a.lvalue()) + " = " + NnefPrinter.expr(a.rvalue());
        } catch (RuntimeException e) { // the printer refuses identifiers it could not write back
            text =
                    String.join(", ", names)
                            + " = "
                            + (a.rvalue() instanceof Invocation inv ? inv.name() + "(…)" : "…");
        }
        if (text.length() > MAX_TEXT) {
            text = text.substring(0, MAX_TEXT) + "…";
        }
        String op = a.rvalue() instanceof Invocation inv ? "op '" + inv.name() + "', " : "";
        return where
                + " assignment #"
                + (index + 1)
                + " `"
                + text
                + ";` ("
                + op
                + "output "
                + String.join(", ", names)
                + ")";
    }

    /** Binds {@code v} to the identifier, tuple or array on the left of an assignment. */
    static void bind(Expr lvalue, Value v, Map<String, Value> scope) {
        if (lvalue instanceof Expr.Id id) {
            scope.put(id.name(), v);
            return;
        }
        List<Expr> targets =
                lvalue instanceof Expr.TupleExpr t ? t.items() : ((Expr.ArrayExpr) lvalue).items();
        List<Value> items;
        if (v instanceof Value.Tuple t) {
            items = t.items();
        } else if (v instanceof Value.Array a) {
            items = a.items();
        } else {
            throw new NnefExecutionException(
                    "cannot unpack " + Value.describe(v) + " into " + targets.size() + " names");
        }
        if (items.size() != targets.size()) {
            throw new NnefExecutionException(
                    "cannot unpack " + items.size() + " values into " + targets.size() + " names");
        }
        for (int i = 0; i < items.size(); i++) {
            bind(targets.get(i), items.get(i), scope);
        }
    }

    /** Evaluates {@code e} in {@code scope}. */
    Value eval(Expr e, Map<String, Value> scope) {
        if (e instanceof Expr.IntLit i) {
            return new Value.Int(i.value());
        } else if (e instanceof Expr.RealLit r) {
            return new Value.Real(r.value());
        } else if (e instanceof Expr.BoolLit b) {
            return new Value.Bool(b.value());
        } else if (e instanceof Expr.StrLit s) {
            return new Value.Str(s.value());
        } else if (e instanceof Expr.Id id) {
            return lookup(id.name(), scope);
        } else if (e instanceof Expr.ArrayExpr a) {
            return new Value.Array(evalAll(a.items(), scope));
        } else if (e instanceof Expr.TupleExpr t) {
            return new Value.Tuple(evalAll(t.items(), scope));
        } else if (e instanceof Expr.Unary u) {
            return unary(u, eval(u.operand(), scope));
        } else if (e instanceof Expr.Binary b) {
            return binary(b.op(), eval(b.left(), scope), eval(b.right(), scope));
        } else if (e instanceof Expr.Subscript s) {
            return ScalarArithmetic.subscript(eval(s.target(), scope), eval(s.index(), scope));
        } else if (e instanceof Expr.Slice s) {
            return ScalarArithmetic.slice(
                    eval(s.target(), scope),
                    s.begin().map(x -> eval(x, scope)),
                    s.end().map(x -> eval(x, scope)));
        } else if (e instanceof Expr.IfElse c) {
            return Values.toBoolean(eval(c.condition(), scope), () -> "if-else condition")
                    ? eval(c.then(), scope)
                    : eval(c.otherwise(), scope);
        } else if (e instanceof Expr.Comprehension c) {
            return comprehension(c, scope);
        }
        return invoke((Invocation) e, scope, List.of());
    }

    private List<Value> evalAll(List<Expr> items, Map<String, Value> scope) {
        List<Value> out = new ArrayList<>(items.size());
        for (Expr item : items) {
            out.add(eval(item, scope));
        }
        return out;
    }

    private Value lookup(String name, Map<String, Value> scope) {
        Value v = scope.get(name);
        if (v != null) {
            return v;
        }
        if (run != null) {
            Long symbol = run.symbol(name);
            if (symbol != null) {
                return new Value.Int(symbol);
            }
        }
        throw new NnefExecutionException(
                "unknown identifier '" + name + "' (not a tensor, parameter or bound symbol)");
    }

    private Value unary(Expr.Unary u, Value v) {
        switch (u.op()) {
            case PLUS:
                return v;
            case MINUS:
                if (v instanceof Value.Int i) {
                    return new Value.Int(-i.value());
                }
                if (v instanceof Value.Real r) {
                    return new Value.Real(-r.value());
                }
                if (v instanceof Value.Tensor t) {
                    return callOp("neg", t);
                }
                throw new NnefExecutionException("cannot negate " + Value.describe(v));
            default:
                return v instanceof Value.Tensor t
                        ? callOp("not", t)
                        : new Value.Bool(!Values.toBoolean(v, () -> "operand of !"));
        }
    }

    private Value binary(BinaryOp op, Value l, Value r) {
        if (l instanceof Value.Tensor || r instanceof Value.Tensor) {
            String name =
                    op.operation()
                            .orElseThrow(
                                    () ->
                                            new NnefExecutionException(
                                                    "operator 'in' does not apply to tensors"));
            return callOp(name, l, r);
        }
        return ScalarArithmetic.binary(op, l, r);
    }

    /** NNEF comprehensions iterate their loop variables in parallel (zip), not nested. */
    private Value comprehension(Expr.Comprehension c, Map<String, Value> scope) {
        List<List<Value>> iterables = new ArrayList<>();
        int n = -1;
        for (Expr.LoopIter it : c.iters()) {
            Value v = eval(it.iterable(), scope);
            if (!(v instanceof Value.Array a)) {
                throw new NnefExecutionException(
                        "comprehension over " + Value.describe(v) + ", expected an array");
            }
            if (n >= 0 && a.items().size() != n) {
                throw new NnefExecutionException(
                        "comprehension iterables differ in length: "
                                + n
                                + " and "
                                + a.items().size());
            }
            n = a.items().size();
            iterables.add(a.items());
        }
        List<Value> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Value> inner = new HashMap<>(scope);
            for (int k = 0; k < iterables.size(); k++) {
                inner.put(c.iters().get(k).name(), iterables.get(k).get(i));
            }
            if (c.filter().isEmpty()
                    || Values.toBoolean(
                            eval(c.filter().get(), inner), () -> "comprehension filter")) {
                out.add(eval(c.yield(), inner));
            }
        }
        return new Value.Array(out);
    }

    /** Evaluates the arguments of {@code inv} and calls it. */
    Value invoke(Invocation inv, Map<String, Value> scope, List<String> outputNames) {
        List<Value> positional = evalAll(inv.positional(), scope);
        Map<String, Value> named = new LinkedHashMap<>();
        inv.named().forEach((k, v) -> named.put(k, eval(v, scope)));
        return call(inv.name(), positional, named, inv.generic(), outputNames);
    }

    /** Calls {@code op} (or a model fragment) with positional values. */
    Value callOp(String op, Value... positional) {
        return call(op, List.of(positional), Map.of(), Optional.empty(), List.of());
    }

    /** Calls {@code op} with positional and named values. */
    Value call(
            String op,
            List<Value> positional,
            Map<String, Value> named,
            Optional<TypeName> generic,
            List<String> outputNames) {
        Value builtin = Builtins.call(op, positional, named);
        if (builtin != null) {
            return builtin;
        }
        if (run == null) {
            throw new NnefExecutionException("invocation of '" + op + "' in a constant expression");
        }
        Fragment fragment = run.fragment(op);
        if (fragment != null && fragment.body().isPresent()) {
            return callFragment(fragment, positional, named);
        }
        OpDef def = run.registry().get(op);
        if (def == null) {
            throw new UnsupportedOpException(
                    op,
                    "unknown operation '"
                            + op
                            + "': not a standard NNEF or supported "
                            + "tract_core operation"
                            + (fragment != null ? " (the model declares it without a body)" : "")
                            + " and not a fragment with a body");
        }
        Map<String, Value> args =
                bindArgs(
                        op,
                        def.params().stream().map(OpDef.Param::name).toList(),
                        positional,
                        named);
        for (OpDef.Param p : def.params()) {
            if (!args.containsKey(p.name()) && p.defaultValue().isPresent()) {
                args.put(p.name(), p.defaultValue().get());
            }
        }
        try {
            return def.executor().execute(new OpCall(def, args, generic, outputNames, this));
        } catch (NnefExecutionException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new NnefExecutionException("op '" + op + "' failed: " + e, e);
        }
    }

    private static Map<String, Value> bindArgs(
            String op, List<String> params, List<Value> positional, Map<String, Value> named) {
        if (positional.size() > params.size()) {
            throw new NnefExecutionException(
                    "'"
                            + op
                            + "' takes "
                            + params.size()
                            + " parameters, got "
                            + positional.size()
                            + " positional arguments");
        }
        Map<String, Value> args = new HashMap<>();
        for (int i = 0; i < positional.size(); i++) {
            args.put(params.get(i), positional.get(i));
        }
        for (Map.Entry<String, Value> e : named.entrySet()) {
            if (!params.contains(e.getKey())) {
                throw new NnefExecutionException(
                        "'"
                                + op
                                + "' has no parameter '"
                                + e.getKey()
                                + "' (parameters: "
                                + String.join(", ", params)
                                + ")");
            }
            if (args.put(e.getKey(), e.getValue()) != null) {
                throw new NnefExecutionException(
                        "'" + op + "': parameter '" + e.getKey() + "' given twice");
            }
        }
        return args;
    }

    /**
     * Runs a fragment's body in a fresh scope holding its parameters (defaults filled in); returns
     * its only result, or a tuple of its results in declaration order.
     */
    Value callFragment(Fragment f, List<Value> positional, Map<String, Value> named) {
        Map<String, Value> scope =
                bindArgs(
                        f.name(),
                        f.params().stream().map(Fragment.Param::name).toList(),
                        positional,
                        named);
        for (Fragment.Param p : f.params()) {
            if (!scope.containsKey(p.name())) {
                if (p.defaultValue().isEmpty()) {
                    throw new NnefExecutionException(
                            "fragment '" + f.name() + "': missing argument '" + p.name() + "'");
                }
                scope.put(p.name(), eval(p.defaultValue().get(), scope));
            }
        }
        execute(f.body().orElseThrow(), scope, "fragment '" + f.name() + "'", false);
        List<Value> results = new ArrayList<>();
        for (Fragment.Result r : f.results()) {
            Value v = scope.get(r.name());
            if (v == null) {
                throw new NnefExecutionException(
                        "fragment '"
                                + f.name()
                                + "' does not assign its result '"
                                + r.name()
                                + "'");
            }
            results.add(v);
        }
        return results.size() == 1 ? results.get(0) : new Value.Tuple(results);
    }

    /** The tensor a value denotes, for the interpreter's outputs. */
    NDArray asTensor(Value v, String what) {
        return Tensors.toArray(v, manager(), null, () -> what);
    }
}
