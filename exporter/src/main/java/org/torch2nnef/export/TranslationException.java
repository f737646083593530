package org.torch2nnef.export;

/**
 * Thrown by an {@link OpTranslator} that cannot translate one node; the exporter adds the node's
 * op, module path and source line and reports every such node together.
 */
public class TranslationException extends ExportException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message why the node cannot be translated (without the node's location)
     */
    public TranslationException(String message) {
        super(message);
    }
}
