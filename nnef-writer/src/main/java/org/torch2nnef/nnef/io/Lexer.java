package org.torch2nnef.nnef.io;

import java.util.ArrayList;
import java.util.List;
import org.torch2nnef.nnef.model.Identifiers;

/**
 * Tokenizer of NNEF text: identifiers (also tract's extended {@code i"…"} form), numbers without
 * sign, single- or double-quoted strings with backslash escapes, punctuation; {@code #} comments
 * and white space skipped. Tokens remember where they start for error messages.
 */
final class Lexer {
    /** RAW is the verbatim argument of an {@code extension} line, up to its {@code ;}. */
    enum Kind {
        IDENT,
        NUMBER,
        STRING,
        PUNCT,
        RAW,
        EOF
    }

    /**
     * A token; {@code end} is the offset just after it, {@code spaceBefore} whether blanks precede
     * it.
     */
    record Token(Kind kind, String text, int offset, int end, int line, int column) {
        boolean is(String punctOrWord) {
            return (kind == Kind.PUNCT || kind == Kind.IDENT) && text.equals(punctOrWord);
        }

        String describe() {
            return switch (kind) {
                case EOF -> "end of input";
                case STRING -> "string '" + text + "'";
                default -> "'" + text + "'";
            };
        }
    }

    private static final String[] PUNCT = {
        "->", "<=", ">=", "==", "!=", "&&", "||", "(", ")", "[", "]", "{", "}", ",", ";", ":", "=",
        "<", ">", "+", "-", "*", "/", "^", "!", "?",
    };

    private final String text;
    private final String source;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private int line = 1;
    private int lineStart;

    private Lexer(String text, String source) {
        this.text = text;
        this.source = source;
    }

    /** All tokens of {@code text}, ending with an EOF token. */
    static List<Token> tokenize(String text, String source) throws NnefParseException {
        Lexer l = new Lexer(text, source);
        l.run();
        return l.tokens;
    }

    private void run() throws NnefParseException {
        while (true) {
            skipBlanks();
            if (pos >= text.length()) {
                tokens.add(new Token(Kind.EOF, "", pos, pos, line, pos - lineStart + 1));
                return;
            }
            int start = pos;
            int col = pos - lineStart + 1;
            int startLine = line;
            char c = text.charAt(pos);
            if (c == 'i'
                    && pos + 1 < text.length()
                    && (text.charAt(pos + 1) == '"' || text.charAt(pos + 1) == '\'')) {
                pos++;
                String s = string(startLine, col);
                tokens.add(new Token(Kind.IDENT, s, start, pos, startLine, col));
            } else if (Identifiers.isIdentifierStart(c)) {
                while (pos < text.length() && Identifiers.isIdentifierPart(text.charAt(pos))) {
                    pos++;
                }
                tokens.add(
                        new Token(
                                Kind.IDENT,
                                text.substring(start, pos),
                                start,
                                pos,
                                startLine,
                                col));
                if (tokens.size() >= 2 && tokens.get(tokens.size() - 2).is("extension")) {
                    extensionArgument();
                }
            } else if (c >= '0' && c <= '9') {
                number();
                tokens.add(
                        new Token(
                                Kind.NUMBER,
                                text.substring(start, pos),
                                start,
                                pos,
                                startLine,
                                col));
            } else if (c == '\'' || c == '"') {
                String s = string(startLine, col);
                tokens.add(new Token(Kind.STRING, s, start, pos, startLine, col));
            } else {
                String p = punct();
                if (p == null) {
                    throw new NnefParseException(
                            source, startLine, col, "unexpected character '" + c + "'");
                }
                pos += p.length();
                tokens.add(new Token(Kind.PUNCT, p, start, pos, startLine, col));
            }
        }
    }

    /**
     * tract reads any text after an extension's name up to ';' (e.g. {@code tract_assert S >= 0}).
     */
    private void extensionArgument() throws NnefParseException {
        int start = pos;
        int col = pos - lineStart + 1;
        int startLine = line;
        while (pos < text.length() && text.charAt(pos) != ';') {
            if (text.charAt(pos) == '\n') {
                line++;
                lineStart = pos + 1;
            }
            pos++;
        }
        if (pos >= text.length()) {
            throw new NnefParseException(source, startLine, col, "extension line without ';'");
        }
        tokens.add(
                new Token(
                        Kind.RAW, text.substring(start, pos).strip(), start, pos, startLine, col));
    }

    private void skipBlanks() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\n') {
                pos++;
                line++;
                lineStart = pos;
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
                pos++;
            } else if (c == '#') {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private void number() {
        digits();
        if (pos < text.length() && text.charAt(pos) == '.') {
            pos++;
            digits();
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            int mark = pos;
            pos++;
            if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
                pos++;
            }
            int digitsStart = pos;
            digits();
            if (pos == digitsStart) {
                pos = mark; // not an exponent after all
            }
        }
    }

    private void digits() {
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
    }

    private String string(int startLine, int col) throws NnefParseException {
        char quote = text.charAt(pos++);
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw new NnefParseException(source, startLine, col, "unterminated string literal");
            }
            char c = text.charAt(pos++);
            if (c == quote) {
                return sb.toString();
            }
            if (c == '\\') {
                if (pos >= text.length()) {
                    throw new NnefParseException(
                            source, startLine, col, "unterminated string literal");
                }
                c = text.charAt(pos++);
            }
            if (c == '\n') {
                line++;
                lineStart = pos;
            }
            sb.append(c);
        }
    }

    private String punct() {
        for (String p : PUNCT) {
            if (text.startsWith(p, pos)) {
                return p;
            }
        }
        return null;
    }
}
