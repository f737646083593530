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
    /** The most points of the symbols' ranges checked to prove two sizes equal. */
    static final long MAX_POINTS = 100_000;

    private final SortedMap<String, Long> example;
    private final Map<String, long[]> ranges;
    private final List<SizeAssumption> made = new ArrayList<>();

    /**
     * @param example a value for each symbol of the inputs (empty: nothing may be assumed)
     */
    SizeAssumptions(Map<String, Long> example) {
        this(example, Map.of());
    }

    /**
     * @param example a value for each symbol of the inputs (empty: nothing may be assumed)
     * @param ranges {@code [min, max]} of some symbols: sizes equal at each point are equal
     */
    SizeAssumptions(Map<String, Long> example, Map<String, long[]> ranges) {
        this.example = new TreeMap<>(example);
        this.ranges = Map.copyOf(ranges);
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
        if (a.provablyEquals(b) || equalOverRanges(a, b)) {
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

    /**
     * Whether the sizes are equal at every point of their symbols' ranges, checked point by point
     * when all have a range and there are at most {@link #MAX_POINTS} points.
     */
    private boolean equalOverRanges(Dim a, Dim b) {
        List<String> symbols = new ArrayList<>(union(a, b));
        long points = 1;
        for (String s : symbols) {
            long[] r = ranges.get(s);
            if (r == null || r[1] < r[0] || r[1] - r[0] >= MAX_POINTS) {
                return false;
            }
            points *= r[1] - r[0] + 1;
            if (points > MAX_POINTS) {
                return false;
            }
        }
        return equalFrom(a, b, symbols, 0, new TreeMap<>());
    }

    private boolean equalFrom(Dim a, Dim b, List<String> symbols, int i, Map<String, Long> at) {
        if (i == symbols.size()) {
            try {
                return a.eval(at) == b.eval(at);
            } catch (ArithmeticException e) {
                return false;
            }
        }
        long[] r = ranges.get(symbols.get(i));
        for (long v = r[0]; v <= r[1]; v++) {
            at.put(symbols.get(i), v);
            if (!equalFrom(a, b, symbols, i + 1, at)) {
                return false;
            }
        }
        return true;
    }

    private static SortedSet<String> union(Dim a, Dim b) {
        SortedSet<String> out = new TreeSet<>(a.symbols());
        out.addAll(b.symbols());
        return out;
    }
}
