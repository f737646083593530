package org.torch2nnef.graph;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The module calls of a program that inlined its modules (a torch.export program), recovered from
 * the module stack each node records: consecutive nodes under the same module belong to one call of
 * it. A call's inputs are the tensors its nodes read from outside it, its outputs the values it
 * computes that are read after it (or returned), as an extractor of a traced call sees them.
 */
final class InlinedCalls {
    /** A call being assembled. */
    private static final class Open {
        final ModuleScope scope;
        final List<Object> items = new ArrayList<>(); // nodes and nested calls, in order

        Open(ModuleScope scope) {
            this.scope = scope;
        }

        void allNodes(List<Node> out) {
            for (Object o : items) {
                if (o instanceof Node n) {
                    out.add(n);
                } else {
                    ((Open) o).allNodes(out);
                }
            }
        }
    }

    private InlinedCalls() {}

    /**
     * @param root the root module
     * @param inputs the program's user inputs
     * @param outputs the program's outputs
     * @param nodes every node, in execution order
     * @param stack each node's modules below the root, outermost first
     * @return the root call with the nested calls
     */
    static ModuleCall build(
            ModuleScope root,
            List<Value> inputs,
            List<Value> outputs,
            List<Node> nodes,
            Function<Node, List<ModuleScope>> stack) {
        Open top = new Open(root);
        List<Open> open = new ArrayList<>(List.of(top));
        for (Node n : nodes) {
            List<ModuleScope> s = stack.apply(n);
            int keep = 0;
            while (keep < s.size()
                    && keep + 1 < open.size()
                    && open.get(keep + 1).scope == s.get(keep)) {
                keep++;
            }
            open.subList(keep + 1, open.size()).clear();
            for (int i = keep; i < s.size(); i++) {
                Open child = new Open(s.get(i));
                open.get(open.size() - 1).items.add(child);
                open.add(child);
            }
            open.get(open.size() - 1).items.add(n);
        }
        ModuleCall call = new ModuleCall(root, "forward", inputs);
        fill(call, top, nodes, outputs);
        call.setOutputs(outputs);
        return call;
    }

    private static void fill(ModuleCall call, Open open, List<Node> all, List<Value> returned) {
        for (Object o : open.items) {
            if (o instanceof Node n) {
                call.addNode(n);
                continue;
            }
            Open c = (Open) o;
            List<Node> inside = new ArrayList<>();
            c.allNodes(inside);
            Set<Node> set = new HashSet<>(inside);
            Set<Value> in = new LinkedHashSet<>();
            for (Node n : inside) {
                for (Value v : n.inputs()) {
                    boolean outside = v.producer().map(p -> !set.contains(p)).orElse(true);
                    if (outside
                            && (v.origin() == Value.Origin.INPUT
                                    || v.origin() == Value.Origin.NODE_OUTPUT)) {
                        in.add(v);
                    }
                }
            }
            Set<Value> readAfter = new HashSet<>(returned);
            for (Node n : all) {
                if (!set.contains(n)) {
                    readAfter.addAll(n.inputs());
                }
            }
            List<Value> out = new ArrayList<>();
            for (Node n : inside) {
                n.outputs().stream().filter(readAfter::contains).forEach(out::add);
            }
            ModuleCall child = new ModuleCall(c.scope, "forward", List.copyOf(in));
            child.setOutputs(out);
            fill(child, c, all, returned);
            call.addChild(child);
        }
    }
}
