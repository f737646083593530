package org.torch2nnef.torchscript.code;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * Splits TorchScript code text (the Python subset written to an archive's {@code code/} folder)
 * into tokens, with Python's layout rules: INDENT/DEDENT tokens from leading spaces, NEWLINE at the
 * end of each logical line, newlines ignored inside brackets, backslash continuation, comments and
 * blank lines skipped.
 */
public final class ScriptLexer {

    static final Set<String> KEYWORDS =
            Set.of(
                    "False",
                    "None",
                    "True",
                    "and",
                    "as",
                    "assert",
                    "async",
                    "await",
                    "break",
                    "class",
                    "continue",
                    "def",
                    "del",
                    "elif",
                    "else",
                    "except",
                    "finally",
                    "for",
                    "from",
                    "global",
                    "if",
                    "import",
                    "in",
                    "is",
                    "lambda",
                    "nonlocal",
                    "not",
                    "or",
                    "pass",
                    "raise",
                    "return",
                    "try",
                    "while",
                    "with",
                    "yield");

    private static final String[] OPERATORS = {
        // longest first, so that "**=" wins over "**" and "*"
        "**=",
        "//=",
        ">>=",
        "<<=",
        "...",
        "->",
        "**",
        "//",
        "==",
        "!=",
        "<=",
        ">=",
        "<<",
        ">>",
        "+=",
        "-=",
        "*=",
        "/=",
        "%=",
        "&=",
        "|=",
        "^=",
        "@=",
        ":=",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        ",",
        ":",
        ".",
        ";",
        "=",
        "+",
        "-",
        "*",
        "/",
        "%",
        "@",
        "<",
        ">",
        "~",
        "&",
        "|",
        "^",
    };

    private static final String[] NO_OPERATORS = {};

    /**
     * {@link #OPERATORS} by first character, longest first: the lexer tries only those that can
     * match.
     */
    private static final String[][] OPERATORS_BY_FIRST_CHAR = new String[128][];

    static {
        for (char c = 0; c < OPERATORS_BY_FIRST_CHAR.length; c++) {
            char first = c;
            OPERATORS_BY_FIRST_CHAR[c] =
                    Arrays.stream(OPERATORS)
                            .filter(op -> op.charAt(0) == first)
                            .toArray(String[]::new);
        }
    }

    private final String file;
    private final String src;
    private final List<Token> tokens = new ArrayList<>();
    private final Deque<Integer> indents = new ArrayDeque<>();
    private final Deque<Token> openBrackets = new ArrayDeque<>();
    private int i;
    private int line = 1;
    private int lineStart;
    private int byteOffset;
    private final long maxLineLength = Limits.LINE_LENGTH.value();

    private ScriptLexer(String file, String src) {
        this.file = file;
        this.src = src;
        indents.push(0);
    }

    /**
     * Tokenizes a whole code file.
     *
     * @param file the file's name, used in positions and error messages
     * @param source its text
     * @return the tokens, ending with NEWLINE (if the file had any token), DEDENTs and EOF
     * @throws TorchScriptSyntaxException on a character, number or string the lexer cannot read, an
     *     unterminated string, unbalanced brackets or bad indentation
     */
    public static List<Token> tokenize(String file, String source) {
        ScriptLexer lexer = new ScriptLexer(file, source);
        lexer.run();
        return lexer.tokens;
    }

    private void run() {
        boolean atLineStart = true;
        while (true) {
            if (atLineStart && openBrackets.isEmpty()) {
                if (!readIndentation()) {
                    break;
                }
                atLineStart = false;
            }
            if (i >= src.length()) {
                break;
            }
            char c = src.charAt(i);
            if (c == ' ' || c == '\t' || c == '\f') {
                advance();
            } else if (c == '#') {
                skipComment();
            } else if (c == '\\') {
                lineContinuation();
            } else if (c == '\n' || c == '\r') {
                boolean logicalEnd = openBrackets.isEmpty();
                if (logicalEnd) {
                    emit(TokenKind.NEWLINE, "\n", here());
                }
                newline();
                atLineStart = logicalEnd;
            } else if (isNameStart(c)) {
                name();
            } else if (isDigit(c) || (c == '.' && isDigit(charAt(i + 1)))) {
                number();
            } else if (c == '"' || c == '\'') {
                string();
            } else {
                operator();
            }
        }
        finish();
    }

    /**
     * Measures the indentation of a new line and emits INDENT/DEDENTs. Blank and comment-only lines
     * are consumed whole and do not count.
     *
     * @return false at end of input
     */
    private boolean readIndentation() {
        while (true) {
            int width = 0;
            SourcePos start = here();
            while (i < src.length()
                    && (src.charAt(i) == ' ' || src.charAt(i) == '\t' || src.charAt(i) == '\f')) {
                if (src.charAt(i) == '\t') {
                    throw TorchScriptSyntaxException.at(
                            here(),
                            "tab in indentation: TorchScript code is indented with spaces only");
                }
                width += src.charAt(i) == ' ' ? 1 : 0;
                advance();
            }
            if (i >= src.length()) {
                return false;
            }
            char c = src.charAt(i);
            if (c == '#') {
                skipComment();
                continue;
            }
            if (c == '\n' || c == '\r') {
                newline();
                continue;
            }
            indent(width, start);
            return true;
        }
    }

    private void indent(int width, SourcePos lineStartPos) {
        if (width > indents.peek()) {
            indents.push(width);
            emit(TokenKind.INDENT, "", here());
            return;
        }
        while (width < indents.peek()) {
            indents.pop();
            emit(TokenKind.DEDENT, "", here());
        }
        if (width != indents.peek()) {
            throw TorchScriptSyntaxException.at(
                    lineStartPos,
                    "unindent to column " + (width + 1) + " does not match any enclosing block");
        }
    }

    private void finish() {
        if (!openBrackets.isEmpty()) {
            Token open = openBrackets.peek();
            throw TorchScriptSyntaxException.at(
                    open.pos(), "'" + Excerpt.of(open.text()) + "' is never closed");
        }
        if (!tokens.isEmpty() && tokens.get(tokens.size() - 1).kind() != TokenKind.NEWLINE) {
            emit(TokenKind.NEWLINE, "", here());
        }
        while (indents.peek() > 0) {
            indents.pop();
            emit(TokenKind.DEDENT, "", here());
        }
        emit(TokenKind.EOF, "", here());
    }

    private void skipComment() {
        while (i < src.length() && src.charAt(i) != '\n' && src.charAt(i) != '\r') {
            advance();
        }
    }

    private void lineContinuation() {
        SourcePos pos = here();
        advance();
        char next = charAt(i);
        if (next != '\n' && next != '\r') {
            throw TorchScriptSyntaxException.at(
                    pos,
                    "unexpected character '\\' (a line continuation"
                            + " backslash must end its line)");
        }
        newline();
    }

    /** Consumes one line break ({@code \n}, {@code \r\n} or {@code \r}). */
    private void newline() {
        if (src.charAt(i) == '\r' && charAt(i + 1) == '\n') {
            advance();
        }
        advance();
        line++;
        lineStart = i;
    }

    private void name() {
        SourcePos pos = here();
        int start = i;
        while (i < src.length() && isNamePart(src.charAt(i))) {
            advance();
        }
        String text = src.substring(start, i);
        emit(KEYWORDS.contains(text) ? TokenKind.KEYWORD : TokenKind.NAME, text, pos);
    }

    private void number() {
        SourcePos pos = here();
        int start = i;
        boolean isFloat = false;
        skipDigits();
        if (charAt(i) == '.') {
            isFloat = true;
            advance();
            skipDigits();
        }
        char e = charAt(i);
        if (e == 'e' || e == 'E') {
            int save = i;
            int saveBytes = byteOffset;
            advance();
            if (charAt(i) == '+' || charAt(i) == '-') {
                advance();
            }
            if (!isDigit(charAt(i))) {
                i = save;
                byteOffset = saveBytes;
                throw malformedNumber(pos, start);
            }
            skipDigits();
            isFloat = true;
        }
        if (isNamePart(charAt(i)) || charAt(i) == '.') {
            throw malformedNumber(pos, start);
        }
        emit(isFloat ? TokenKind.FLOAT : TokenKind.INT, src.substring(start, i), pos);
    }

    private TorchScriptSyntaxException malformedNumber(SourcePos pos, int start) {
        int end = i;
        while (end < src.length()
                && (isNamePart(src.charAt(end))
                        || src.charAt(end) == '.'
                        || src.charAt(end) == '+'
                        || src.charAt(end) == '-')) {
            end++;
        }
        return TorchScriptSyntaxException.at(
                pos,
                "malformed number literal '"
                        + src.substring(start, end)
                        + "' (only decimal integers and floats are supported)");
    }

    private void skipDigits() {
        while (isDigit(charAt(i))) {
            advance();
        }
    }

    private void string() {
        SourcePos pos = here();
        int start = i;
        char quote = src.charAt(i);
        boolean triple = charAt(i + 1) == quote && charAt(i + 2) == quote;
        int quoteLength = triple ? 3 : 1;
        for (int k = 0; k < quoteLength; k++) {
            advance();
        }
        StringBuilder value = new StringBuilder();
        while (true) {
            if (i >= src.length()) {
                throw TorchScriptSyntaxException.at(pos, "unterminated string literal");
            }
            char c = src.charAt(i);
            if (c == quote && (!triple || (charAt(i + 1) == quote && charAt(i + 2) == quote))) {
                for (int k = 0; k < quoteLength; k++) {
                    advance();
                }
                break;
            }
            if (c == '\n' || c == '\r') {
                if (!triple) {
                    throw TorchScriptSyntaxException.at(
                            pos,
                            "unterminated string literal (line ends before"
                                    + " the closing "
                                    + quote
                                    + ")");
                }
                value.append('\n');
                newline();
            } else if (c == '\\') {
                escape(value);
            } else {
                value.append(c);
                advance();
            }
        }
        tokens.add(new Token(TokenKind.STRING, src.substring(start, i), value.toString(), pos));
    }

    /** Decodes one backslash escape, with the escapes Python and c10::printQuotedString use. */
    private void escape(StringBuilder value) {
        SourcePos pos = here();
        advance();
        if (i >= src.length()) {
            throw TorchScriptSyntaxException.at(
                    pos, "unterminated string literal (file ends in an escape)");
        }
        char c = src.charAt(i);
        switch (c) {
            case '\\', '\'', '"' -> value.append(c);
            case 'a' -> value.append('\u0007');
            case 'b' -> value.append('\b');
            case 'f' -> value.append('\f');
            case 'n' -> value.append('\n');
            case 'r' -> value.append('\r');
            case 't' -> value.append('\t');
            case 'v' -> value.append('\u000b');
            case '\n', '\r' -> {
                newline();
                return;
            }
            case 'x' -> {
                advance();
                value.appendCodePoint(hexDigits(pos, 2));
                return;
            }
            case 'u' -> {
                advance();
                value.appendCodePoint(hexDigits(pos, 4));
                return;
            }
            case 'U' -> {
                advance();
                value.appendCodePoint(hexDigits(pos, 8));
                return;
            }
            default -> {
                if (c >= '0' && c <= '7') {
                    int code = 0;
                    for (int k = 0; k < 3 && charAt(i) >= '0' && charAt(i) <= '7'; k++) {
                        code = code * 8 + (charAt(i) - '0');
                        advance();
                    }
                    value.append((char) code);
                    return;
                }
                throw TorchScriptSyntaxException.at(
                        pos, "unknown escape sequence '\\" + c + "' in string literal");
            }
        }
        advance();
    }

    private int hexDigits(SourcePos escapePos, int count) {
        int code = 0;
        for (int k = 0; k < count; k++) {
            int digit = Character.digit(charAt(i), 16);
            if (digit < 0) {
                throw TorchScriptSyntaxException.at(
                        escapePos, "escape sequence needs " + count + " hex digits");
            }
            code = code * 16 + digit;
            advance();
        }
        if (!Character.isValidCodePoint(code)) {
            throw TorchScriptSyntaxException.at(
                    escapePos, "escape sequence is not a valid code point");
        }
        return code;
    }

    private void operator() {
        SourcePos pos = here();
        char first = src.charAt(i);
        for (String op :
                first < OPERATORS_BY_FIRST_CHAR.length
                        ? OPERATORS_BY_FIRST_CHAR[first]
                        : NO_OPERATORS) {
            if (src.startsWith(op, i)) {
                for (int k = 0; k < op.length(); k++) {
                    advance();
                }
                Token token = new Token(TokenKind.OP, op, op, pos);
                tokens.add(token);
                brackets(token);
                return;
            }
        }
        int cp = src.codePointAt(i);
        String shown =
                cp >= 0x20 && cp < 0x7f ? "'" + (char) cp + "'" : String.format("U+%04X", cp);
        throw TorchScriptSyntaxException.at(pos, "unexpected character " + shown);
    }

    private void brackets(Token token) {
        switch (token.text()) {
            case "(", "[", "{" -> openBrackets.push(token);
            case ")", "]", "}" -> {
                if (openBrackets.isEmpty()) {
                    throw TorchScriptSyntaxException.at(
                            token.pos(), "unmatched '" + Excerpt.of(token.text()) + "'");
                }
                Token open = openBrackets.pop();
                String expected =
                        switch (open.text()) {
                            case "(" -> ")";
                            case "[" -> "]";
                            default -> "}";
                        };
                if (!expected.equals(token.text())) {
                    throw TorchScriptSyntaxException.at(
                            token.pos(),
                            "'"
                                    + token.text()
                                    + "' does not match '"
                                    + open.text()
                                    + "' opened at "
                                    + open.pos().line()
                                    + ":"
                                    + open.pos().column());
                }
            }
            default -> {
                // not a bracket
            }
        }
    }

    private void emit(TokenKind kind, String text, SourcePos pos) {
        if (pos.column() > maxLineLength) {
            throw TorchScriptSyntaxException.overLimit(
                    new SourcePos(file, line, 1, byteOffset),
                    "line longer than "
                            + maxLineLength
                            + " characters ("
                            + Limits.LINE_LENGTH.describe()
                            + ")");
        }
        tokens.add(new Token(kind, text, text, pos));
    }

    private SourcePos here() {
        return new SourcePos(file, line, i - lineStart + 1, byteOffset);
    }

    /** Moves past one char, keeping the UTF-8 byte offset in step. */
    private void advance() {
        char c = src.charAt(i++);
        if (c < 0x80) {
            byteOffset += 1;
        } else if (c < 0x800) {
            byteOffset += 2;
        } else if (Character.isHighSurrogate(c)) {
            byteOffset += 4; // the whole pair; its low surrogate then adds nothing
        } else if (!Character.isLowSurrogate(c)) {
            byteOffset += 3;
        }
    }

    private char charAt(int index) {
        return index < src.length() ? src.charAt(index) : '\0';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isNameStart(char c) {
        return c == '_' || Character.isLetter(c);
    }

    private static boolean isNamePart(char c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }
}
