package org.torch2nnef.torchscript.code;

/**
 * Source text as an error message shows it: a hostile or generated file can hold a 100 KB literal
 * or name, which echoed whole would bury the message (and fill CI logs).
 */
public final class Excerpt {
    /** Characters of a text shown before it is cut. */
    public static final int MAX_CHARS = 80;

    private Excerpt() {}

    /**
     * {@code text} itself when short, else its first {@link #MAX_CHARS} characters, "…" and its
     * length.
     */
    public static String of(String text) {
        if (text.length() <= MAX_CHARS) {
            return text;
        }
        int end = MAX_CHARS;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // never split a surrogate pair
        }
        return text.substring(0, end) + "…(" + text.length() + " characters)";
    }
}
