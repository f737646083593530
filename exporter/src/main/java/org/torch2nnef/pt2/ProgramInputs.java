package org.torch2nnef.pt2;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.torch2nnef.export.DynamicAxes;
import org.torch2nnef.graph.Dim;

/**
 * The user inputs of a program as the export declares them: example sizes (torch's hints), dtypes,
 * and one tract symbol per torch symbol of the dynamic dims ({@code s98} becomes a free letter,
 * {@code S} first, unless {@code --dynamic-axes} names it), with torch's range for each.
 *
 * @param names the inputs' names, in forward order
 * @param metas their metadata
 * @param axes the symbol of each dynamic axis, per input that has any
 * @param ranges one per symbol, in order of first use
 */
record ProgramInputs(
        List<String> names,
        List<TensorMeta> metas,
        List<DynamicAxes> axes,
        List<SymbolRange> ranges) {

    private static final String LETTERS = "STUVWXYZBCDEFGHIJKLMNOPQRA";

    /**
     * @param names the user inputs' placeholder names, in order
     * @param metas their metadata
     * @param renames the user's {@code --dynamic-axes}, by input name
     * @param rangeConstraints the program's {@code range_constraints}
     * @param where the program's location, for messages
     */
    static ProgramInputs of(
            List<String> names,
            List<TensorMeta> metas,
            List<DynamicAxes> renames,
            JsonNode rangeConstraints,
            String where)
            throws ProgramFormatException {
        Map<String, String> letterOf = new LinkedHashMap<>(); // torch symbol -> letter
        for (DynamicAxes d : renames) {
            int i = names.indexOf(d.name());
            if (i < 0) {
                throw new IllegalArgumentException(
                        "--dynamic-axes "
                                + d
                                + ": the program has no input '"
                                + d.name()
                                + "' (its inputs: "
                                + String.join(", ", names)
                                + ")");
            }
            for (Map.Entry<Integer, String> e : d.axes().entrySet()) {
                TensorMeta m = metas.get(i);
                if (e.getKey() >= m.sizes().size()) {
                    throw new IllegalArgumentException(
                            "--dynamic-axes "
                                    + d
                                    + ": input "
                                    + d.name()
                                    + " has "
                                    + m.sizes().size()
                                    + " axes");
                }
                TensorMeta.Size s = m.sizes().get(e.getKey());
                if (s.symbol() == null) {
                    throw new IllegalArgumentException(
                            "--dynamic-axes "
                                    + d
                                    + ": axis "
                                    + e.getKey()
                                    + " of "
                                    + d.name()
                                    + " is "
                                    + (s.isConstant()
                                            ? "static in the program (size " + s.constant() + ")"
                                            : "the expression " + s.expression())
                                    + "; torch.export decides which dims are dynamic"
                                    + " (dynamic_shapes=)");
                }
                String before = letterOf.putIfAbsent(s.symbol(), e.getValue());
                if (before != null && !before.equals(e.getValue())) {
                    throw new IllegalArgumentException(
                            "--dynamic-axes names torch's symbol "
                                    + s.symbol()
                                    + " both "
                                    + before
                                    + " and "
                                    + e.getValue()
                                    + ": torch proved those sizes equal");
                }
            }
        }
        Map<String, String> byLetter = new TreeMap<>();
        letterOf.forEach(
                (sym, letter) -> {
                    String other = byLetter.put(letter, sym);
                    if (other != null) {
                        throw new IllegalArgumentException(
                                "--dynamic-axes names torch's symbols "
                                        + other
                                        + " and "
                                        + sym
                                        + " both "
                                        + letter
                                        + ", but torch did not prove them equal");
                    }
                });
        List<DynamicAxes> axes = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Map<Integer, String> own = new TreeMap<>();
            List<TensorMeta.Size> sizes = metas.get(i).sizes();
            for (int a = 0; a < sizes.size(); a++) {
                TensorMeta.Size s = sizes.get(a);
                if (s.expression() != null) {
                    throw new ProgramFormatException(
                            where
                                    + ": input "
                                    + names.get(i)
                                    + " axis "
                                    + a
                                    + " has the size "
                                    + s.expression()
                                    + "; only plain dynamic dims are supported as input sizes");
                }
                if (s.symbol() != null) {
                    if (s.constant() < 0) {
                        throw new ProgramFormatException(
                                where
                                        + ": input "
                                        + names.get(i)
                                        + " axis "
                                        + a
                                        + " has no example size (hint)");
                    }
                    own.put(a, letterOf.computeIfAbsent(s.symbol(), k -> freeLetter(byLetter, k)));
                }
            }
            if (!own.isEmpty()) {
                axes.add(new DynamicAxes(names.get(i), own));
            }
        }
        List<SymbolRange> ranges = new ArrayList<>();
        for (Map.Entry<String, String> e : letterOf.entrySet()) {
            JsonNode r = rangeConstraints == null ? null : rangeConstraints.get(e.getKey());
            ranges.add(
                    new SymbolRange(
                            e.getValue(),
                            e.getKey(),
                            bound(r, "min_val", 0),
                            bound(r, "max_val", Long.MAX_VALUE)));
        }
        return new ProgramInputs(names, metas, axes, ranges);
    }

    private static String freeLetter(Map<String, String> byLetter, String torchSymbol) {
        for (char c : LETTERS.toCharArray()) {
            String l = String.valueOf(c);
            if (Dim.isValidSymbol(l) && !byLetter.containsKey(l)) {
                byLetter.put(l, torchSymbol);
                return l;
            }
        }
        throw new IllegalArgumentException(
                "more dynamic dims than letters: name them with --dynamic-axes");
    }

    /** A range end: an integer, else (null, infinity) unbounded. */
    private static long bound(JsonNode range, String field, long unbounded) {
        JsonNode n = range == null ? null : range.get(field);
        return n != null && n.isIntegralNumber() && n.canConvertToLong() ? n.asLong() : unbounded;
    }
}
