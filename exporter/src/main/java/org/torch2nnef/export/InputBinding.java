package org.torch2nnef.export;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The one rule binding an input declaration ({@code --input NAME=...}, or an array of {@code
 * --inputs-npz}) to a model input, shared by export, inspect and check: a declaration named after a
 * {@code forward} argument binds that argument; any other declaration binds the argument at its
 * position, and its name becomes that input's NNEF name.
 */
public final class InputBinding {
    private static final String RULE =
            " (--input binds a forward argument by name, or by position under its NNEF name)";

    private InputBinding() {}

    /**
     * Binds declarations to {@code forward}'s arguments.
     *
     * @param model the model, as named in messages
     * @param forwardNames the names of {@code forward}'s arguments, in order
     * @param declared the declarations, in the order given
     * @return one declaration per argument, in {@code forward}'s order, each named by its NNEF
     *     input name
     * @throws ExportInputException when a name is declared twice or names no input, when two
     *     declarations bind one argument, or when an argument has none
     */
    public static List<InputDeclaration> inForwardOrder(
            String model, List<String> forwardNames, List<InputDeclaration> declared)
            throws ExportInputException {
        Set<String> seen = new HashSet<>();
        for (InputDeclaration d : declared) {
            if (!seen.add(d.name())) {
                throw new ExportInputException("input '" + d.name() + "' is declared twice");
            }
        }
        InputDeclaration[] bound = new InputDeclaration[forwardNames.size()];
        for (int i = 0; i < declared.size(); i++) {
            InputDeclaration d = declared.get(i);
            int byName = forwardNames.indexOf(d.name());
            int target = byName >= 0 ? byName : i;
            if (target >= bound.length) {
                throw noSuchInput(model, d.name(), forwardNames);
            }
            if (bound[target] != null) {
                InputDeclaration byPosition = byName >= 0 ? bound[target] : d;
                InputDeclaration named = byName >= 0 ? d : bound[target];
                throw new ExportInputException(
                        model
                                + ": --input "
                                + byPosition
                                + " (by position) and --input "
                                + named
                                + " (by name) both declare its input '"
                                + forwardNames.get(target)
                                + "'; its inputs are "
                                + forwardNames);
            }
            bound[target] = d;
        }
        if (Arrays.asList(bound).contains(null)) {
            throw new ExportInputException(
                    model
                            + " takes "
                            + forwardNames.size()
                            + " inputs "
                            + forwardNames
                            + " but "
                            + declared.size()
                            + " are declared "
                            + declared.stream().map(InputDeclaration::name).toList());
        }
        return List.of(bound);
    }

    /**
     * Renames dynamic axes given by {@code forward} argument name to the NNEF name of the input
     * they name; others are kept (an unknown name is reported by {@link InputTypes#of}).
     *
     * @param forwardNames the names of {@code forward}'s arguments, in order
     * @param bound the declarations {@link #inForwardOrder} returned
     * @param dynamic the dynamic axes as given
     * @return the axes, each naming an input by its NNEF name where it names one
     */
    public static List<DynamicAxes> byNnefName(
            List<String> forwardNames, List<InputDeclaration> bound, List<DynamicAxes> dynamic) {
        List<String> nnefNames = bound.stream().map(InputDeclaration::name).toList();
        List<DynamicAxes> out = new ArrayList<>();
        for (DynamicAxes a : dynamic) {
            int position = forwardNames.indexOf(a.name());
            boolean renamed = !nnefNames.contains(a.name()) && position >= 0;
            out.add(renamed ? new DynamicAxes(nnefNames.get(position), a.axes()) : a);
        }
        return out;
    }

    /**
     * The NNEF input an {@code --input} of an exported model names, by the same rule: its NNEF
     * name, or the name of the {@code forward} argument at its position.
     *
     * @param model the TorchScript model, as named in messages
     * @param name the declared name
     * @param forwardNames the names of {@code forward}'s arguments, in order
     * @param nnefNames the exported model's input names, in the same order
     * @return the NNEF input name
     * @throws ExportInputException when the name is neither, listing the names accepted
     */
    public static String nnefName(
            String model, String name, List<String> forwardNames, List<String> nnefNames)
            throws ExportInputException {
        if (nnefNames.contains(name)) {
            return name;
        }
        int position = forwardNames.indexOf(name);
        if (position >= 0 && position < nnefNames.size()) {
            return nnefNames.get(position);
        }
        Set<String> accepted = new LinkedHashSet<>(forwardNames);
        accepted.addAll(nnefNames);
        throw noSuchInput(model, name, List.copyOf(accepted));
    }

    private static ExportInputException noSuchInput(
            String model, String name, List<String> accepted) {
        return new ExportInputException(
                model + " has no input '" + name + "'; its inputs are " + accepted + RULE);
    }
}
