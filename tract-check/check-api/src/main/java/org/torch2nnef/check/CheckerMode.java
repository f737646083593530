package org.torch2nnef.check;

import java.util.Locale;

/** Which checker runs the exported model ({@code --checker} / {@code export --check}). */
public enum CheckerMode {
    /** tract when found, otherwise the built-in reference interpreter; the report says which. */
    AUTO,
    /** tract only; a missing tract is exit code 3. */
    TRACT,
    /** The built-in NNEF reference interpreter on the model read back from its files. */
    REFERENCE,
    /**
     * Khronos' NNEF-Tools runtime ({@code nnef-infer}), for {@code --nnef-spec-strict} exports; a
     * missing {@code nnef-infer} is exit code 3. {@code auto} never picks it.
     */
    NNEF_TOOLS;

    /**
     * Parses {@code auto}, {@code tract}, {@code reference} or {@code nnef-tools}
     * (case-insensitive).
     *
     * @throws IllegalArgumentException listing the valid names
     */
    public static CheckerMode parse(String text) {
        for (CheckerMode m : values()) {
            if (m.cliName().equalsIgnoreCase(text)) {
                return m;
            }
        }
        throw new IllegalArgumentException(
                "unknown checker '"
                        + text
                        + "', expected one of auto, tract, reference, nnef-tools");
    }

    /** The lower-case command-line name. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public String toString() {
        return cliName();
    }
}
