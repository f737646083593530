package org.torch2nnef.export;

import java.util.List;
import java.util.Objects;

/**
 * What shapes the NNEF text of a translation.
 *
 * @param naming how intermediate tensors and variables are named
 * @param strict standard NNEF only: fail on any node needing a tract extension
 * @param inputNames NNEF names of the graph inputs in order, or empty for the names in the code
 * @param outputNames NNEF names of the graph outputs in order, or empty for the names in the code
 * @param tract the tract release the text must be readable by
 */
public record TranslationOptions(
        NamingScheme naming,
        boolean strict,
        List<String> inputNames,
        List<String> outputNames,
        TractTarget tract) {

    public TranslationOptions {
        Objects.requireNonNull(naming, "naming");
        Objects.requireNonNull(tract, "tract");
        inputNames = List.copyOf(inputNames);
        outputNames = List.copyOf(outputNames);
    }

    /**
     * @return natural-verbose names, tract extensions allowed, names from the code
     */
    /**
     * Options targeting the newest supported tract release.
     *
     * @param naming the naming scheme
     * @param strict standard NNEF only
     * @param inputNames NNEF input names, or empty
     * @param outputNames NNEF output names, or empty
     */
    public TranslationOptions(
            NamingScheme naming,
            boolean strict,
            List<String> inputNames,
            List<String> outputNames) {
        this(naming, strict, inputNames, outputNames, TractTarget.NEWEST_SUPPORTED);
    }

    public static TranslationOptions defaults() {
        return new TranslationOptions(NamingScheme.NATURAL_VERBOSE, false, List.of(), List.of());
    }
}
