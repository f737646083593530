package org.torch2nnef.export;

import org.torch2nnef.graph.Node;

/**
 * Translates one graph node into NNEF assignments. Implementations read the node's inputs through
 * the context ({@link NnefEmitter#tensor}, {@link ExportTimeValues#intArg}, ...) and define every
 * output ({@link NnefEmitter#define}, {@link NnefEmitter#alias}, {@link ExportTimeValues#fold},
 * {@link ExportTimeValues#bindList}).
 */
@FunctionalInterface
public interface OpTranslator {

    /**
     * @param node the node to translate
     * @param ctx the translation state
     * @throws TranslationException if this node (with these arguments) has no NNEF translation
     */
    void translate(Node node, TranslationContext ctx) throws TranslationException;
}
