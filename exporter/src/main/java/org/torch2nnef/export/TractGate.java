package org.torch2nnef.export;

import java.util.SortedSet;
import java.util.TreeSet;
import org.torch2nnef.graph.Node;

/**
 * What the export may ask of tract: {@code tract_core_*} operators and NNEF forms, each allowed
 * from the release {@link TractTarget} dates it to, none under {@code --nnef-spec-strict}.
 * Translators name an extension through {@link #tractOp} (refused, naming the op and the release,
 * when the target lacks it) or ask {@link #tractAllows} to choose a standard-NNEF form instead.
 */
public final class TractGate {
    private final TranslationOptions options;
    private final SortedSet<String> tractOps = new TreeSet<>();
    private Node current;
    private OpDefinition definition;

    TractGate(TranslationOptions options) {
        this.options = options;
    }

    void setCurrent(Node node, OpDefinition definition) {
        this.current = node;
        this.definition = definition;
    }

    /**
     * Declares that an op is a tract extension ({@code tract_core_*}), not standard NNEF.
     *
     * @param op the extension op, e.g. {@code tract_core_erf}
     * @return {@code op}, to build the invocation with
     * @throws StrictModeException in {@code --nnef-spec-strict} mode
     * @throws TranslationException if the target tract release does not read it ({@link
     *     TractTarget})
     */
    public String tractOp(String op) throws TranslationException {
        if (options.strict()) {
            throw new StrictModeException(
                    op,
                    "no standard NNEF operation computes "
                            + (current == null ? "it" : current.kind()));
        }
        requireTractForm(op);
        // the registration names what its translator emits (checked where assertions run: the
        // tests)
        assert definition == null
                        || definition.tractOps().contains(op)
                        || OpDefinition.SIZE_FORMS.contains(op)
                : definition.kind()
                        + " emits "
                        + op
                        + ", which its registration does not declare (.tract(...))";
        tractOps.add(op);
        return op;
    }

    /**
     * Requires something of tract's NNEF reader that the target may lack: an operator, or a form
     * such as {@link TractTarget#SYMBOLS_IN_EXPRESSIONS}.
     *
     * @param form the operator or form, as {@link TractTarget} names it
     * @throws TranslationException naming the node, the form and the first release reading it when
     *     the target tract release does not
     */
    public void requireTractForm(String form) throws TranslationException {
        if (!options.tract().allows(form)) {
            throw new TranslationException(
                    (current == null ? "this op" : current.kind())
                            + " needs "
                            + form
                            + ", which tract reads from "
                            + TractTarget.since(form).orElseThrow()
                            + " on; the export targets"
                            + " tract "
                            + options.tract()
                            + " (--tract-version)");
        }
    }

    /**
     * @param op a {@code tract_core_*} operator
     * @return whether {@link #tractOp} would accept it: not strict, and the target tract reads it
     *     (translators use a standard-NNEF fragment otherwise)
     */
    public boolean tractAllows(String op) {
        return !options.strict() && options.tract().allows(op);
    }

    /**
     * @return whether only standard NNEF may be emitted ({@code --nnef-spec-strict})
     */
    public boolean isStrict() {
        return options.strict();
    }

    /**
     * @return whether only standard NNEF may be emitted ({@code --nnef-spec-strict})
     */
    public boolean strict() {
        return options.strict();
    }

    SortedSet<String> tractOps() {
        return tractOps;
    }
}
