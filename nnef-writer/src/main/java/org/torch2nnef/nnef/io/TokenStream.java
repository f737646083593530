package org.torch2nnef.nnef.io;

import java.util.List;
import org.torch2nnef.nnef.io.Lexer.Kind;
import org.torch2nnef.nnef.io.Lexer.Token;

/** Cursor over the tokens of one text, with the error helpers both parsers use. */
final class TokenStream {
    final String source;
    private final List<Token> tokens;
    private int index;

    TokenStream(String text, String source) throws NnefParseException {
        this.source = source;
        this.tokens = Lexer.tokenize(text, source);
    }

    Token peek() {
        return tokens.get(index);
    }

    Token peek(int ahead) {
        return tokens.get(Math.min(index + ahead, tokens.size() - 1));
    }

    Token next() {
        Token t = tokens.get(index);
        if (t.kind() != Kind.EOF) {
            index++;
        }
        return t;
    }

    boolean at(String punctOrWord) {
        return peek().is(punctOrWord);
    }

    boolean accept(String punctOrWord) {
        if (at(punctOrWord)) {
            next();
            return true;
        }
        return false;
    }

    Token expect(String punctOrWord, String context) throws NnefParseException {
        if (!at(punctOrWord)) {
            throw error(
                    peek(),
                    "expected '" + punctOrWord + "' " + context + ", found " + peek().describe());
        }
        return next();
    }

    Token expect(Kind kind, String what) throws NnefParseException {
        if (peek().kind() != kind) {
            throw error(peek(), "expected " + what + ", found " + peek().describe());
        }
        return next();
    }

    NnefParseException error(Token at, String problem) {
        return new NnefParseException(source, at.line(), at.column(), problem);
    }
}
