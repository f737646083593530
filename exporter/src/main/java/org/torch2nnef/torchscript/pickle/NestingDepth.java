package org.torch2nnef.torchscript.pickle;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The nesting depth of every container a pickle builds (lists, tuples, dicts and objects given
 * state by {@code BUILD}), kept current as children are added, so that a list nested 100k deep is
 * refused while it is built, before anything walks it recursively (printing it in a message,
 * libtorch loading it). A container filled after it was nested (memo references, cycles) passes its
 * new depth up to its parents; those walks are charged to the pickle's step budget, and a cycle
 * stops them.
 */
final class NestingDepth {
    private static final class Node {
        int depth = 1;

        /** null, the one parent, or an {@link ArrayList} of them (most values have one parent). */
        Object parents;

        void addParent(Object parent) {
            if (parents == null) {
                parents = parent;
            } else if (parents instanceof ParentList list) {
                list.add(parent);
            } else {
                ParentList list = new ParentList();
                list.add(parents);
                list.add(parent);
                parents = list;
            }
        }

        List<?> parentList() {
            return parents == null
                    ? List.of()
                    : parents instanceof ParentList list ? list : List.of(parents);
        }
    }

    /** Its own class so that a list value that is a parent is never mistaken for the list. */
    private static final class ParentList extends ArrayList<Object> {
        private static final long serialVersionUID = 1L;
    }

    /** Charges work to the pickle's step budget. */
    interface Budget {
        void charge(long steps) throws PickleException;
    }

    private final long limit;
    private final Budget budget;
    private final Map<Object, Node> nodes = new IdentityHashMap<>();

    NestingDepth(long limit, Budget budget) {
        this.limit = limit;
        this.budget = budget;
    }

    /** Records that {@code parent} now holds {@code child}. */
    void link(Object parent, Object child) throws PickleException {
        Node p = node(parent);
        if (isContainer(child) && child != parent) { // a value holding itself is a cycle, not depth
            Node c = node(child);
            c.addParent(parent);
            raise(parent, p, c.depth + 1);
        }
    }

    /** Records that {@code parent} now holds each of {@code children}. */
    void linkAll(Object parent, List<?> children) throws PickleException {
        node(parent);
        for (Object child : children) {
            link(parent, child);
        }
    }

    /**
     * Whether a value may hold others: anything but a scalar (handler objects get state by {@code
     * BUILD}).
     */
    private static boolean isContainer(Object v) {
        return !(v == null
                || v instanceof Boolean
                || v instanceof Number
                || v instanceof String
                || v instanceof byte[]);
    }

    private Node node(Object v) {
        return nodes.computeIfAbsent(v, k -> new Node());
    }

    private void raise(Object start, Node startNode, int depth) throws PickleException {
        if (depth <= startNode.depth) {
            return;
        }
        Deque<Object> todo = new ArrayDeque<>();
        Deque<Integer> depths = new ArrayDeque<>();
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        todo.add(start);
        depths.add(depth);
        while (!todo.isEmpty()) {
            Object v = todo.poll();
            int d = depths.poll();
            Node n = nodes.get(v);
            if (d <= n.depth || !seen.add(v)) {
                continue; // already as deep, or a cycle brought us back
            }
            if (d > limit) {
                throw new PickleException(
                        "pickle limit: containers nested more than "
                                + limit
                                + " deep (torch2nnef.limit.pickle.nesting)");
            }
            n.depth = d;
            List<?> parents = n.parentList();
            if (!parents.isEmpty()) {
                budget.charge(parents.size());
                for (Object parent : parents) {
                    todo.add(parent);
                    depths.add(d + 1);
                }
            }
        }
    }
}
