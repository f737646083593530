package org.torch2nnef.check.reference;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.torch2nnef.nnef.model.Assignment;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Graph;
import org.torch2nnef.nnef.model.Invocation;

/**
 * For each tensor of a graph, the index of the last assignment that reads it (graph outputs:
 * never released), so that a run can free intermediate tensors as soon as they are dead.
 */
final class Liveness {
    private final Map<String, Integer> lastUse = new HashMap<>();

    Liveness(Graph graph) {
        List<Assignment> body = graph.body();
        for (int i = 0; i < body.size(); i++) {
            collect(body.get(i).rvalue(), i);
        }
        for (String out : graph.outputs()) {
            lastUse.put(out, Integer.MAX_VALUE);
        }
    }

    /** True when {@code name} is not read after assignment {@code index}. */
    boolean deadAfter(String name, int index) {
        return lastUse.getOrDefault(name, -1) <= index;
    }

    private void collect(Expr e, int index) {
        if (e instanceof Expr.Id id) {
            lastUse.merge(id.name(), index, Math::max);
        } else if (e instanceof Expr.ArrayExpr a) {
            a.items().forEach(x -> collect(x, index));
        } else if (e instanceof Expr.TupleExpr t) {
            t.items().forEach(x -> collect(x, index));
        } else if (e instanceof Expr.Unary u) {
            collect(u.operand(), index);
        } else if (e instanceof Expr.Binary b) {
            collect(b.left(), index);
            collect(b.right(), index);
        } else if (e instanceof Expr.Subscript s) {
            collect(s.target(), index);
            collect(s.index(), index);
        } else if (e instanceof Expr.Slice s) {
            collect(s.target(), index);
            s.begin().ifPresent(x -> collect(x, index));
            s.end().ifPresent(x -> collect(x, index));
        } else if (e instanceof Expr.IfElse c) {
            collect(c.condition(), index);
            collect(c.then(), index);
            collect(c.otherwise(), index);
        } else if (e instanceof Expr.Comprehension c) {
            c.iters().forEach(it -> collect(it.iterable(), index));
            c.filter().ifPresent(x -> collect(x, index));
            collect(c.yield(), index);
        } else if (e instanceof Invocation inv) {
            inv.positional().forEach(x -> collect(x, index));
            inv.named().values().forEach(x -> collect(x, index));
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
