package org.torch2nnef.check.reference;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.torch2nnef.nnef.model.Assignment;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Graph;
import org.torch2nnef.nnef.model.Invocation;

/**
 * For each tensor of a graph, the index of the last assignment that reads it (graph outputs: never
 * released), so that a run can free intermediate tensors as soon as they are dead.
 */
final class Liveness {
    private final Map<String, Integer> lastUse = new HashMap<>();

    Liveness(Graph graph) {
        List<Assignment> body = graph.body();
        for (int i = 0; i < body.size(); i++) {
            int index = i;
            identifiers(body.get(i).rvalue(), name -> lastUse.merge(name, index, Math::max));
        }
        for (String out : graph.outputs()) {
            lastUse.put(out, Integer.MAX_VALUE);
        }
    }

    /** True when {@code name} is not read after assignment {@code index}. */
    boolean deadAfter(String name, int index) {
        return lastUse.getOrDefault(name, -1) <= index;
    }

    /** Calls {@code sink} with every identifier {@code e} reads (loop variables included). */
    static void identifiers(Expr e, Consumer<String> sink) {
        if (e instanceof Expr.Id id) {
            sink.accept(id.name());
        } else if (e instanceof Expr.ArrayExpr a) {
            a.items().forEach(x -> identifiers(x, sink));
        } else if (e instanceof Expr.TupleExpr t) {
            t.items().forEach(x -> identifiers(x, sink));
        } else if (e instanceof Expr.Unary u) {
            identifiers(u.operand(), sink);
        } else if (e instanceof Expr.Binary b) {
            identifiers(b.left(), sink);
            identifiers(b.right(), sink);
        } else if (e instanceof Expr.Subscript s) {
            identifiers(s.target(), sink);
            identifiers(s.index(), sink);
        } else if (e instanceof Expr.Slice s) {
            identifiers(s.target(), sink);
            s.begin().ifPresent(x -> identifiers(x, sink));
            s.end().ifPresent(x -> identifiers(x, sink));
        } else if (e instanceof Expr.IfElse c) {
            identifiers(c.condition(), sink);
            identifiers(c.then(), sink);
            identifiers(c.otherwise(), sink);
        } else if (e instanceof Expr.Comprehension c) {
            c.iters().forEach(it -> identifiers(it.iterable(), sink));
            c.filter().ifPresent(x -> identifiers(x, sink));
            identifiers(c.yield(), sink);
        } else if (e instanceof Invocation inv) {
            inv.positional().forEach(x -> identifiers(x, sink));
            inv.named().values().forEach(x -> identifiers(x, sink));
        }
    }

    /** Adds every tensor reachable from {@code v} to {@code out}. */
    static void tensorsOf(Value v, Set<Object> out) {
        if (v instanceof Value.Tensor t) {
            out.add(t.array());
        } else if (v instanceof Value.Array a) {
            a.items().forEach(x -> tensorsOf(x, out));
        } else if (v instanceof Value.Tuple t) {
            t.items().forEach(x -> tensorsOf(x, out));
        }
    }
}
