package org.torch2nnef.nnef.model;

import java.util.Set;

/**
 * NNEF identifier rules: ASCII letters, digits and {@code _}, not starting with a digit, and not a
 * keyword of the grammar. One more rule comes from tract's parser, which tries literals before
 * identifiers without checking where a word ends: an identifier starting with {@code inf}, {@code
 * true} or {@code false} (e.g. {@code info}, {@code true_mask}) is misread there as a literal
 * followed by garbage, so such names are refused too.
 */
public final class Identifiers {
    /** Words the NNEF grammar reserves; none may name a tensor, parameter or graph. */
    public static final Set<String> KEYWORDS =
            Set.of(
                    "version",
                    "extension",
                    "fragment",
                    "graph",
                    "tensor",
                    "integer",
                    "scalar",
                    "logical",
                    "string",
                    "true",
                    "false",
                    "for",
                    "in",
                    "yield",
                    "if",
                    "else",
                    "length_of",
                    "shape_of",
                    "range_of");

    /**
     * Keywords that may still name an invocation: the type-conversion builtins {@code scalar(x)},
     * {@code integer(x)}, … and the {@code *_of} builtins.
     */
    private static final Set<String> CALLABLE_KEYWORDS =
            Set.of("integer", "scalar", "logical", "string", "length_of", "shape_of", "range_of");

    private Identifiers() {}

    /** True when {@code s} has identifier syntax ({@code [A-Za-z_][A-Za-z0-9_]*}). */
    public static boolean hasIdentifierSyntax(String s) {
        if (s == null || s.isEmpty() || !isIdentifierStart(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            if (!isIdentifierPart(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** True when {@code s} may name a tensor, parameter, result, graph or fragment. */
    public static boolean isValid(String s) {
        return hasIdentifierSyntax(s) && !KEYWORDS.contains(s) && !startsLikeLiteral(s);
    }

    /**
     * True when tract would read the start of {@code s} as the literal {@code inf}, {@code true} or
     * {@code false}.
     */
    public static boolean startsLikeLiteral(String s) {
        return s.startsWith("inf") || s.startsWith("true") || s.startsWith("false");
    }

    /** True when {@code s} may name an invoked operation (fragments and the builtins). */
    public static boolean isValidInvocationName(String s) {
        return hasIdentifierSyntax(s) && (!KEYWORDS.contains(s) || CALLABLE_KEYWORDS.contains(s));
    }

    /**
     * Returns {@code s} when it is a valid identifier, otherwise throws an {@link
     * IllegalArgumentException} naming {@code what} and the bad identifier.
     */
    public static String require(String s, String what) {
        if (!isValid(s)) {
            throw new IllegalArgumentException(describe(s, what));
        }
        return s;
    }

    /** As {@link #require} for the name of an invoked operation. */
    public static String requireInvocationName(String s, String what) {
        if (!isValidInvocationName(s)) {
            throw new IllegalArgumentException(describe(s, what));
        }
        return s;
    }

    private static String describe(String s, String what) {
        if (s == null) {
            return what + " is missing (null identifier)";
        }
        String reason;
        if (KEYWORDS.contains(s)) {
            reason = "is an NNEF keyword";
        } else if (hasIdentifierSyntax(s) && startsLikeLiteral(s)) {
            reason =
                    "starts like the literal inf/true/false, which tract's parser reads as that literal";
        } else {
            reason = "must match [A-Za-z_][A-Za-z0-9_]*";
        }
        return what + " '" + s + "' is not a valid NNEF identifier: it " + reason;
    }

    /** First character of an identifier. */
    public static boolean isIdentifierStart(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** Any later character of an identifier. */
    public static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || (c >= '0' && c <= '9');
    }
}
