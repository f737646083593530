package org.torch2nnef.nnef.io;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.torch2nnef.nnef.io.Lexer.Token;

/**
 * Which fragment bodies invoke which fragments, checked once the document is read: NNEF forbids
 * recursion, and an interpreter would follow a cycle (or a chain of 100k fragments) until its stack
 * overflows. Walked without recursion, for the same reason.
 */
final class FragmentCallGraph {
    /** Per fragment with a body, in document order: each fragment it invokes, at its first call. */
    private final Map<String, Map<String, Token>> calls = new LinkedHashMap<>();

    /** Records the invocations of one fragment's body. */
    void add(String fragment, Map<String, Token> invoked) {
        calls.put(fragment, invoked);
    }

    /**
     * @throws NnefParseException at the call that closes a cycle, or that makes a chain of fragment
     *     calls deeper than {@link Limits#FRAGMENT_DEPTH}
     */
    void check(TokenStream in) throws NnefParseException {
        long max = Limits.FRAGMENT_DEPTH.value();
        Map<String, Integer> depthBelow = new HashMap<>(); // finished fragments: longest chain
        for (String root : calls.keySet()) {
            if (depthBelow.containsKey(root)) {
                continue;
            }
            // the path being walked, each fragment with the callees still to visit
            Deque<String> path = new ArrayDeque<>();
            Deque<Iterator<Map.Entry<String, Token>>> pending = new ArrayDeque<>();
            path.push(root);
            pending.push(calls.get(root).entrySet().iterator());
            while (!path.isEmpty()) {
                String current = path.peek();
                Iterator<Map.Entry<String, Token>> next = pending.peek();
                if (!next.hasNext()) {
                    int deepest = 0;
                    for (String callee : calls.get(current).keySet()) {
                        deepest = Math.max(deepest, depthBelow.getOrDefault(callee, 0));
                    }
                    depthBelow.put(current, deepest + 1);
                    path.pop();
                    pending.pop();
                    continue;
                }
                Map.Entry<String, Token> call = next.next();
                String callee = call.getKey();
                if (!calls.containsKey(callee) || depthBelow.containsKey(callee)) {
                    if (depthBelow.getOrDefault(callee, 0) + path.size() > max) {
                        throw tooDeep(in, call.getValue(), max);
                    }
                    continue;
                }
                if (path.contains(callee)) {
                    List<String> cycle = new ArrayList<>(path);
                    Collections.reverse(cycle);
                    cycle = cycle.subList(cycle.indexOf(callee), cycle.size());
                    throw in.error(
                            call.getValue(),
                            "fragment '"
                                    + callee
                                    + "' calls itself ("
                                    + String.join(" -> ", cycle)
                                    + " -> "
                                    + callee
                                    + "): NNEF fragments cannot recurse");
                }
                if (path.size() >= max) {
                    throw tooDeep(in, call.getValue(), max);
                }
                path.push(callee);
                pending.push(calls.get(callee).entrySet().iterator());
            }
        }
    }

    private static NnefParseException tooDeep(TokenStream in, Token at, long max) {
        return in.error(
                at,
                "fragment calls nested deeper than "
                        + max
                        + " ("
                        + Limits.FRAGMENT_DEPTH.describe()
                        + ")");
    }
}
