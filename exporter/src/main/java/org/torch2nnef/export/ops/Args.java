package org.torch2nnef.export.ops;

import java.util.Optional;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.Value;

/**
 * Reads a node's arguments by schema name, falling back to the position when the graph builder
 * could not apply the op's schema (then inputs are positional as written).
 */
public final class Args {
    private Args() {}

    /**
     * @param node the node
     * @param name the schema argument name, e.g. {@code stride}
     * @param position its position in the schema
     * @return the argument
     * @throws TranslationException if the node has no such argument
     */
    public static Value get(Node node, String name, int position) throws TranslationException {
        return optional(node, name, position)
                .orElseThrow(
                        () ->
                                new TranslationException(
                                        "argument '"
                                                + name
                                                + "' (position "
                                                + position
                                                + ") is missing; the node has "
                                                + node.argNames()));
    }

    /**
     * @param node the node
     * @param name the schema argument name
     * @param position its position in the schema
     * @return the argument, if given
     */
    public static Optional<Value> optional(Node node, String name, int position) {
        Optional<Value> named = node.input(name);
        if (named.isPresent() || node.schemaApplied()) {
            return named;
        }
        return position < node.inputs().size() && node.argNames().get(position).startsWith("#")
                ? Optional.of(node.input(position))
                : Optional.empty();
    }
}
