package org.torch2nnef.export;

import java.util.Objects;
import java.util.SortedSet;
import org.torch2nnef.export.ops.SizeScalars;
import org.torch2nnef.graph.Node;

/**
 * What a translator works with while it translates one node, in four narrow roles: {@link
 * #values()} (arguments known at export time), {@link #types()} (inferred dtypes and shapes),
 * {@link #nnef()} (the NNEF being written) and {@link #tract()} (which tract extensions the target
 * allows). One context serves a whole graph translation; {@link #node()} is the node at hand.
 */
public final class TranslationContext {
    private final ExportTimeValues values = new ExportTimeValues();
    private final ValueTypes types = new ValueTypes();
    private final NnefEmitter nnef;
    private final TractGate tract;
    private Node current;

    /**
     * @param options naming and strictness
     * @param symbols the tract symbols of the dynamic axes, reserved so no tensor takes their name
     */
    TranslationContext(TranslationOptions options, SortedSet<String> symbols) {
        this.nnef =
                new NnefEmitter(Objects.requireNonNull(options, "options"), symbols, values, types);
        this.tract = new TractGate(options);
        nnef.useTract(tract);
        nnef.useSizeTensors((d, dtype) -> SizeScalars.of(this, d, dtype));
    }

    /**
     * @return the values known at export time
     */
    public ExportTimeValues values() {
        return values;
    }

    /**
     * @return the inferred types
     */
    public ValueTypes types() {
        return types;
    }

    /**
     * @return the NNEF being written
     */
    public NnefEmitter nnef() {
        return nnef;
    }

    /**
     * @return the tract extensions the target allows
     */
    public TractGate tract() {
        return tract;
    }

    /**
     * @return the node being translated, or null between nodes
     */
    public Node node() {
        return current;
    }

    void setCurrent(Node node, OpDefinition definition) {
        current = node;
        nnef.setCurrent(node);
        tract.setCurrent(node, definition);
    }
}
