package org.torch2nnef.export;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.ValueType.TensorType;

/** Turns input declarations and dynamic axes into the tensor types shape inference starts from. */
public final class InputTypes {
    private InputTypes() {}

    /**
     * @param inputs one declaration per model input
     * @param dynamic dynamic axes, each naming a declared input
     * @return the type of each input by name, dynamic axes as symbols
     * @throws IllegalArgumentException if an input is declared twice, dynamic axes name an
     *     undeclared input or an axis beyond its rank
     */
    public static Map<String, TensorType> of(
            List<InputDeclaration> inputs, List<DynamicAxes> dynamic) {
        Map<String, InputDeclaration> byName = new LinkedHashMap<>();
        for (InputDeclaration d : inputs) {
            if (byName.put(d.name(), d) != null) {
                throw new IllegalArgumentException("input '" + d.name() + "' is declared twice");
            }
        }
        Map<String, DynamicAxes> axesByName = new HashMap<>();
        for (DynamicAxes a : dynamic) {
            InputDeclaration d = byName.get(a.name());
            if (d == null) {
                throw new IllegalArgumentException(
                        "--dynamic-axes "
                                + a
                                + " names input '"
                                + a.name()
                                + "' which has no --input declaration (declared: "
                                + byName.keySet()
                                + ")");
            }
            for (int axis : a.axes().keySet()) {
                if (axis >= d.sizes().length) {
                    throw new IllegalArgumentException(
                            "--dynamic-axes "
                                    + a
                                    + ": axis "
                                    + axis
                                    + " is beyond input '"
                                    + d.name()
                                    + "' of rank "
                                    + d.sizes().length);
                }
            }
            if (axesByName.put(a.name(), a) != null) {
                throw new IllegalArgumentException(
                        "--dynamic-axes given twice for input '" + a.name() + "'");
            }
        }
        Map<String, TensorType> out = new LinkedHashMap<>();
        for (InputDeclaration d : byName.values()) {
            DynamicAxes a = axesByName.get(d.name());
            List<Dim> dims = new ArrayList<>();
            for (int i = 0; i < d.sizes().length; i++) {
                String symbol = a == null ? null : a.axes().get(i);
                dims.add(symbol == null ? Dim.of(d.sizes()[i]) : Dim.symbol(symbol));
            }
            out.put(d.name(), new TensorType(d.dtype(), new Shape(dims)));
        }
        return out;
    }

    /**
     * The example value of each symbol: the declared size of every axis it names. Sizes that only
     * torch's run-time checks relate are assumed equal when they agree at these values.
     *
     * @param inputs one declaration per model input
     * @param dynamic dynamic axes, each naming a declared input (checked by {@link #of})
     * @return symbol to size
     * @throws IllegalArgumentException if a symbol names axes declared with different sizes
     */
    public static Map<String, Long> exampleSizes(
            List<InputDeclaration> inputs, List<DynamicAxes> dynamic) {
        Map<String, InputDeclaration> byName = new HashMap<>();
        inputs.forEach(d -> byName.putIfAbsent(d.name(), d));
        Map<String, Long> sizes = new LinkedHashMap<>();
        Map<String, String> firstUse = new HashMap<>();
        for (DynamicAxes a : dynamic) {
            InputDeclaration d = byName.get(a.name());
            if (d == null) {
                continue; // reported by of()
            }
            for (Map.Entry<Integer, String> e : a.axes().entrySet()) {
                if (e.getKey() >= d.sizes().length) {
                    continue; // reported by of()
                }
                long size = d.sizes()[e.getKey()];
                String use = "axis " + e.getKey() + " of input '" + d.name() + "'";
                Long before = sizes.putIfAbsent(e.getValue(), size);
                if (before == null) {
                    firstUse.put(e.getValue(), use);
                } else if (before != size) {
                    throw new IllegalArgumentException(
                            "--dynamic-axes: symbol "
                                    + e.getValue()
                                    + " names "
                                    + firstUse.get(e.getValue())
                                    + ", declared "
                                    + before
                                    + ", and "
                                    + use
                                    + ", declared "
                                    + size
                                    + "; one symbol is one size, so give both the same example size");
                }
            }
        }
        return sizes;
    }
}
