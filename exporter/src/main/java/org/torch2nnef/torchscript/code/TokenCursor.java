package org.torch2nnef.torchscript.code;

import java.util.List;
import java.util.Map;

/** Walks a token list for the parsers and builds their error messages. */
final class TokenCursor {

    /** Keywords that only scripted code contains, with how to name them in the refusal. */
    private static final Map<String, String> SCRIPTED_KEYWORDS =
            Map.ofEntries(
                    Map.entry("if", "control flow ('if')"),
                    Map.entry("elif", "control flow ('elif')"),
                    Map.entry("else", "control flow ('else')"),
                    Map.entry("for", "a loop ('for')"),
                    Map.entry("while", "a loop ('while')"),
                    Map.entry("break", "a loop ('break')"),
                    Map.entry("continue", "a loop ('continue')"),
                    Map.entry("with", "a 'with' block"),
                    Map.entry("raise", "a 'raise' statement"),
                    Map.entry("assert", "an 'assert' statement"),
                    Map.entry("try", "exception handling ('try')"),
                    Map.entry("except", "exception handling ('except')"),
                    Map.entry("finally", "exception handling ('finally')"));

    private final List<Token> tokens;
    private final long maxDepth = Limits.EXPRESSION_DEPTH.value();
    private int index;
    private int depth;

    TokenCursor(List<Token> tokens) {
        if (tokens.isEmpty() || tokens.get(tokens.size() - 1).kind() != TokenKind.EOF) {
            throw new IllegalArgumentException("token list must end with EOF");
        }
        this.tokens = tokens;
    }

    /**
     * Enters one more level of the expression (or type) being parsed: a bracket, a call, an
     * operator applied to what came before. The parsers recurse per level, and so does everything
     * that walks the tree later, so the depth is bounded here, where the message can say where.
     */
    void enter() {
        if (++depth > maxDepth) {
            throw TorchScriptSyntaxException.overLimit(
                    peek().pos(),
                    "expression nested deeper than "
                            + maxDepth
                            + " levels ("
                            + Limits.EXPRESSION_DEPTH.describe()
                            + ")");
        }
    }

    /** Leaves {@code levels} levels entered with {@link #enter()}. */
    void exit(int levels) {
        depth -= levels;
    }

    Token peek() {
        return tokens.get(index);
    }

    /** Where the cursor is, for {@link #seek}. */
    int index() {
        return index;
    }

    /** Moves the cursor to a position {@link #index} or {@link #endOfSuite} gave. */
    void seek(int position) {
        index = position;
    }

    /**
     * The position just after the suite starting here: one line, or a NEWLINE, an INDENT and
     * everything up to its matching DEDENT (or EOF, where the parser reports what is missing).
     */
    int endOfSuite() {
        int i = index;
        if (tokens.get(i).kind() != TokenKind.NEWLINE) {
            while (tokens.get(i).kind() != TokenKind.NEWLINE
                    && tokens.get(i).kind() != TokenKind.EOF) {
                i++;
            }
            return tokens.get(i).kind() == TokenKind.EOF ? i : i + 1;
        }
        int open = 0;
        for (i++; tokens.get(i).kind() != TokenKind.EOF; i++) {
            TokenKind kind = tokens.get(i).kind();
            if (kind == TokenKind.INDENT) {
                open++;
            } else if (kind == TokenKind.DEDENT && --open == 0) {
                return i + 1;
            }
        }
        return i;
    }

    /** The token {@code ahead} places after the current one (EOF past the end). */
    Token peek(int ahead) {
        return tokens.get(Math.min(index + ahead, tokens.size() - 1));
    }

    Token next() {
        Token token = tokens.get(index);
        if (token.kind() != TokenKind.EOF) {
            index++;
        }
        return token;
    }

    boolean atOp(String op) {
        return peek().isOp(op);
    }

    boolean atKeyword(String keyword) {
        return peek().isKeyword(keyword);
    }

    boolean at(TokenKind kind) {
        return peek().kind() == kind;
    }

    /** Consumes the operator {@code op} if it is next. */
    boolean acceptOp(String op) {
        if (atOp(op)) {
            next();
            return true;
        }
        return false;
    }

    Token expectOp(String op) {
        if (!atOp(op)) {
            throw unexpected("'" + op + "'");
        }
        return next();
    }

    Token expectKeyword(String keyword) {
        if (!atKeyword(keyword)) {
            throw unexpected("'" + keyword + "'");
        }
        return next();
    }

    Token expect(TokenKind kind, String what) {
        if (!at(kind)) {
            throw unexpected(what);
        }
        return next();
    }

    void expectNewline() {
        expect(TokenKind.NEWLINE, "end of line");
    }

    /** An error for the current token, which is not what the grammar wanted. */
    TorchScriptSyntaxException unexpected(String expected) {
        return unexpected(peek(), expected);
    }

    /**
     * An error for {@code token}: the scripted-model refusal when it is control flow, otherwise
     * "expected X but found Y".
     */
    static TorchScriptSyntaxException unexpected(Token token, String expected) {
        if (token.kind() == TokenKind.KEYWORD && SCRIPTED_KEYWORDS.containsKey(token.text())) {
            return TorchScriptSyntaxException.scripted(
                    token.pos(), SCRIPTED_KEYWORDS.get(token.text()));
        }
        return TorchScriptSyntaxException.at(
                token.pos(), "expected " + expected + " but found " + token.describe());
    }
}
