package org.torch2nnef.torchscript.code;

/**
 * One lexical token.
 *
 * @param kind what it is
 * @param text its source text (for {@link TokenKind#STRING} the raw literal with quotes)
 * @param value the decoded string for {@link TokenKind#STRING}, otherwise the same as {@code text}
 * @param pos where it starts
 */
public record Token(TokenKind kind, String text, String value, SourcePos pos) {

    /** True for an {@link TokenKind#OP} token with this text. */
    public boolean isOp(String op) {
        return kind == TokenKind.OP && text.equals(op);
    }

    /** True for a {@link TokenKind#KEYWORD} token with this text. */
    public boolean isKeyword(String keyword) {
        return kind == TokenKind.KEYWORD && text.equals(keyword);
    }

    /** How the token reads in an error message. */
    public String describe() {
        return switch (kind) {
            case NEWLINE -> "end of line";
            case INDENT -> "indentation";
            case DEDENT -> "end of indented block";
            case EOF -> "end of file";
            default -> "'" + Excerpt.of(text) + "'";
        };
    }
}
