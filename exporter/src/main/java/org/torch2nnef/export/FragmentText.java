package org.torch2nnef.export;

import java.util.List;
import org.torch2nnef.nnef.io.NnefParseException;
import org.torch2nnef.nnef.io.NnefParser;
import org.torch2nnef.nnef.model.Fragment;

/** Reads helper fragments written as NNEF text, so translators can state them readably. */
public final class FragmentText {
    private FragmentText() {}

    /**
     * @param text one {@code fragment name(...) -> (...) { ... }} definition in NNEF syntax
     * @return the fragment
     * @throws IllegalArgumentException if the text is not exactly one valid fragment (a bug in the
     *     caller)
     */
    public static Fragment parse(String text) {
        String doc =
                "version 1.0;\n"
                        + text
                        + "\ngraph g(i) -> (i) { i = external<scalar>(shape = [1]); }\n";
        try {
            List<Fragment> fragments = NnefParser.parse(doc, "fragment text").fragments();
            if (fragments.size() != 1) {
                throw new IllegalArgumentException(
                        "expected one fragment, found " + fragments.size() + " in: " + text);
            }
            return fragments.get(0);
        } catch (NnefParseException e) {
            throw new IllegalArgumentException(
                    "invalid fragment text: " + e.getMessage() + "\n" + text, e);
        }
    }

    /**
     * @param text as for {@link #parse}
     * @return the fragment, parsed on first use: most exports use none of a family's helpers, and
     *     parsing them all when the op table is built was a twentieth of a tiny export
     */
    public static Lazy lazy(String text) {
        return new Lazy(text);
    }

    /** A helper fragment parsed on first use ({@link #lazy}). */
    public static final class Lazy {
        private final String text;
        private volatile Fragment fragment;

        private Lazy(String text) {
            this.text = text;
        }

        /**
         * @return the fragment
         * @throws IllegalArgumentException as {@link FragmentText#parse}
         */
        public Fragment get() {
            Fragment f = fragment;
            if (f == null) {
                f = parse(text);
                fragment = f; // racing threads parse equal fragments: either may stay
            }
            return f;
        }
    }
}
