package org.torch2nnef.export;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.torch2nnef.graph.Dim;

/**
 * Dynamic axes of one input as declared on the command line: {@code
 * NAME:AXIS=SYMBOL[,AXIS=SYMBOL]}, e.g. {@code x:1=S} or {@code x:0=B,2=T}. Symbols are single
 * letters, as tract requires; one symbol used on several inputs means those sizes are equal.
 *
 * @param name the input's name
 * @param axes symbol by axis (0-based)
 */
public record DynamicAxes(String name, Map<Integer, String> axes) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public DynamicAxes {
        Objects.requireNonNull(name, "name");
        axes = Collections.unmodifiableMap(new TreeMap<>(axes));
    }

    /**
     * Parses {@code NAME:AXIS=SYMBOL[,AXIS=SYMBOL]}.
     *
     * @param text the declaration
     * @return the parsed axes
     * @throws IllegalArgumentException naming what is wrong with the text
     */
    public static DynamicAxes parse(String text) {
        String hint =
                " in --dynamic-axes '"
                        + text
                        + "' (expected NAME:AXIS=SYMBOL[,AXIS=SYMBOL], e.g. x:1=S)";
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("missing ':'" + hint);
        }
        String name = text.substring(0, colon).strip();
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not an input name" + hint);
        }
        Map<Integer, String> axes = new TreeMap<>();
        for (String part : text.substring(colon + 1).split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(
                        "'" + part.strip() + "' is not AXIS=SYMBOL" + hint);
            }
            String axisText = part.substring(0, eq).strip();
            String symbol = part.substring(eq + 1).strip();
            int axis;
            try {
                axis = Integer.parseInt(axisText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "axis '" + axisText + "' is not a whole number" + hint, e);
            }
            if (axis < 0) {
                throw new IllegalArgumentException(
                        "axis " + axis + " is negative; count axes from 0" + hint);
            }
            if (!Dim.isValidSymbol(symbol)) {
                throw new IllegalArgumentException(
                        "symbol '"
                                + symbol
                                + "' must be a single letter (A-Z or a-z),"
                                + " as tract requires"
                                + hint);
            }
            if (axes.put(axis, symbol) != null) {
                throw new IllegalArgumentException("axis " + axis + " is given twice" + hint);
            }
        }
        return new DynamicAxes(name, axes);
    }

    /**
     * @return the CLI form, e.g. {@code x:0=B,2=T}
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append(':');
        axes.forEach(
                (a, s) ->
                        sb.append(sb.charAt(sb.length() - 1) == ':' ? "" : ",")
                                .append(a)
                                .append('=')
                                .append(s));
        return sb.toString();
    }
}
