package org.torch2nnef.serve;

import java.util.Locale;

/** Sizes as the CLI's limits write them: a whole number with an optional K, M or G (binary). */
public final class ByteSize {
    private ByteSize() {}

    /**
     * Parses {@code text}, e.g. {@code 512M}.
     *
     * @throws IllegalArgumentException quoting the text when it is not such a size, or not positive
     */
    public static long parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        int shift = 0;
        if (t.endsWith("K") || t.endsWith("M") || t.endsWith("G")) {
            shift = "KMG".indexOf(t.charAt(t.length() - 1)) * 10 + 10;
            t = t.substring(0, t.length() - 1);
        }
        long n;
        try {
            n = Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(bad(text));
        }
        if (n <= 0 || n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException(bad(text));
        }
        return n << shift;
    }

    private static String bad(String text) {
        return "invalid size '"
                + text
                + "', expected a positive whole number with optional K, M or G";
    }
}
