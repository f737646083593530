package org.torch2nnef.graph.shapes;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.torch2nnef.graph.Dim;

/**
 * Two symbolic sizes an op needs equal that are not equal for every value of their symbols, but are
 * at the example sizes the user gave: torch only checks them when the model runs, so the export
 * assumes them equal and the exported model is valid only at the sizes where they are.
 *
 * @param left the first operand's size
 * @param right the second operand's size
 * @param example the example values of the sizes' symbols, at which both sizes agree
 * @param op the op kind, e.g. {@code aten::add}
 * @param where the op's code position, source line and module, as shape errors name them
 */
public record SizeAssumption(
        Dim left, Dim right, SortedMap<String, Long> example, String op, String where) {

    public SizeAssumption {
        example = Collections.unmodifiableSortedMap(new TreeMap<>(example));
    }

    /**
     * @return e.g. {@code (T-1)/2+1 == 2*((T-3)/4)+2 (both 16 at T=32) for aten::add at ...}
     */
    public String describe() {
        return left
                + " == "
                + right
                + " (both "
                + left.eval(example)
                + " at "
                + values(example)
                + ") for "
                + where;
    }

    /**
     * @return e.g. {@code B=2, T=32}
     */
    static String values(Map<String, Long> values) {
        StringBuilder sb = new StringBuilder();
        values.forEach(
                (k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        return sb.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
