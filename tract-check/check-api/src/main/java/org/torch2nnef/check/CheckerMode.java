package org.torch2nnef.check;

import java.util.Locale;

/** Which checker runs the exported model ({@code --checker} / {@code export --check}). */
public enum CheckerMode {
    /** tract when found, otherwise the built-in reference interpreter; the report says which. */
    AUTO,
    /** tract only; a missing tract is exit code 3. */
    TRACT,
    /** The built-in NNEF reference interpreter on the model read back from its files. */
    REFERENCE;

    /**
     * Parses {@code auto}, {@code tract} or {@code reference} (case-insensitive).
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
                "unknown checker '" + text + "', expected one of auto, tract, reference");
    }

    /** The lower-case command-line name. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return cliName();
    }
}
