package org.torch2nnef.export;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How NNEF identifiers of intermediate tensors and variables are chosen. */
public enum NamingScheme {
    /** Short generated ids ({@code t12}, {@code v3}): compact and stable. */
    NUMERIC("numeric"),
    /**
     * Names from module paths, ops and state-dict names ({@code features_0_conv}, {@code
     * fc_weight}).
     */
    NATURAL_VERBOSE("natural-verbose");

    private final String cliName;

    NamingScheme(String cliName) {
        this.cliName = cliName;
    }

    /**
     * @return the name used on the command line
     */
    public String cliName() {
        return cliName;
    }

    /**
     * @param text {@code numeric} or {@code natural-verbose}
     * @return the scheme
     * @throws IllegalArgumentException naming the accepted values
     */
    public static NamingScheme parse(String text) {
        for (NamingScheme s : values()) {
            if (s.cliName.equals(text.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "unknown renaming scheme '"
                        + text
                        + "'; use one of "
                        + Arrays.stream(values())
                                .map(NamingScheme::cliName)
                                .collect(Collectors.joining(", ")));
    }
}
