package org.torch2nnef.graph.shapes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Node;

/**
 * Decides whether two sizes an op needs equal are: equal for every value of their symbols (proven),
 * equal at the example sizes only (an assumption, recorded once per pair of sizes), or different.
 * One instance per shape inference run.
 */
final class SizeAssumptions {
    private final SortedMap<String, Long> example;
    private final List<SizeAssumption> made = new ArrayList<>();

    /**
     * @param example a value for each symbol of the inputs (empty: nothing may be assumed)
     */
    SizeAssumptions(Map<String, Long> example) {
        this.example = new TreeMap<>(example);
    }

    /**
     * @return the assumptions made so far, in order
     */
    List<SizeAssumption> made() {
        return Collections.unmodifiableList(made);
    }

    /**
     * @param a a size
     * @param b another, not structurally equal to {@code a}
     * @param node the op that needs them equal
     * @return whether they are equal, for every value of the symbols or by an assumption now
     *     recorded (false when they are different constants)
     * @throws ShapeInferenceException if they are symbolic and differ at the example sizes, or no
     *     example sizes were given
     */
    boolean agree(Dim a, Dim b, Node node) {
        if (a.isConstant() && b.isConstant()) {
            return a.equals(b);
        }
        if (a.provablyEquals(b)) {
            return true;
        }
        if (made.stream()
                .anyMatch(
                        s ->
                                s.left().equals(a) && s.right().equals(b)
                                        || s.left().equals(b) && s.right().equals(a))) {
            return true;
        }
        SortedMap<String, Long> at = new TreeMap<>();
        List<String> unbound = new ArrayList<>();
        for (String symbol : union(a, b)) {
            Long v = example.get(symbol);
            if (v == null) {
                unbound.add(symbol);
            } else {
                at.put(symbol, v);
            }
        }
        if (!unbound.isEmpty()) {
            throw new ShapeInferenceException(
                    a
                            + " and "
                            + b
                            + " are not equal for every value of "
                            + String.join(", ", union(a, b))
                            + ", and "
                            + String.join(", ", unbound)
                            + " has no example size to check them at");
        }
        long va = a.eval(at);
        long vb = b.eval(at);
        if (va != vb) {
            throw new ShapeInferenceException(
                    a
                            + " and "
                            + b
                            + " differ at the example sizes "
                            + SizeAssumption.values(at)
                            + ": "
                            + va
                            + " vs "
                            + vb);
        }
        made.add(new SizeAssumption(a, b, at, node.kind(), ShapeInference.where(node)));
        return true;
    }

    private static SortedSet<String> union(Dim a, Dim b) {
        SortedSet<String> out = new TreeSet<>(a.symbols());
        out.addAll(b.symbols());
        return out;
    }
}
