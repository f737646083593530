package org.torch2nnef.export;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.torch2nnef.nnef.model.Identifiers;

/**
 * Hands out unique, valid NNEF identifiers: characters outside {@code [A-Za-z0-9_]} become {@code
 * _}; names that are keywords, start with a digit or read as a literal ({@code inf}, {@code true},
 * {@code false}) get a {@code t_} prefix; reserved names (tract symbols) and names already given
 * get a numeric suffix. Deterministic: the same requests in the same order give the same names.
 */
public final class IdentifierAllocator {
    private final Set<String> taken = new HashSet<>();

    /**
     * Per base name, the suffix last handed out: every smaller suffix was taken then and stays
     * taken, so the search resumes there (a graph of 50k {@code relu} would otherwise probe
     * quadratically many names) and gives the same names as a search from 1.
     */
    private final Map<String, Integer> lastSuffix = new HashMap<>();

    /**
     * @param name a name that must never be handed out (e.g. a tract symbol)
     */
    public void reserve(String name) {
        taken.add(name);
    }

    /**
     * @param hint the wanted name, any text
     * @return a fresh valid identifier derived from it
     */
    public String allocate(String hint) {
        String base = sanitize(hint);
        if (taken.add(base)) {
            return base;
        }
        for (int i = lastSuffix.getOrDefault(base, 0) + 1; ; i++) {
            String candidate = base + "_" + i;
            if (taken.add(candidate)) {
                lastSuffix.put(base, i);
                return candidate;
            }
        }
    }

    /**
     * @param hint any text
     * @return a valid NNEF identifier close to it
     */
    public static String sanitize(String hint) {
        StringBuilder sb = new StringBuilder(hint.length());
        for (int i = 0; i < hint.length(); i++) {
            char c = hint.charAt(i);
            sb.append(Identifiers.isIdentifierPart(c) ? c : '_');
        }
        String s = sb.toString();
        if (s.isEmpty() || !Identifiers.isValid(s)) {
            s = "t_" + s;
        }
        return s;
    }
}
