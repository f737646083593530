package org.torch2nnef.export;

import org.torch2nnef.nnef.io.NnefPrinter;

/** Shared steps of the translation tests. */
final class TranslationTesting {
    private TranslationTesting() {}

    static Translation translate(OpModel m, TranslationOptions options) throws ExportException {
        return new GraphTranslator(OpRegistry.standard(), options).translate(m.graph);
    }

    static Translation translate(OpModel m) throws ExportException {
        return translate(m, TranslationOptions.defaults());
    }

    static String text(Translation t) {
        return NnefPrinter.print(t.model());
    }
}
