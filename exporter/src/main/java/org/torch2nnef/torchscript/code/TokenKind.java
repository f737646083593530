package org.torch2nnef.torchscript.code;

/** The kinds of tokens {@link ScriptLexer} produces. */
public enum TokenKind {
    /** An identifier that is not a keyword. */
    NAME,
    /** A Python keyword ({@code def}, {@code return}, {@code None}, {@code if}, ...). */
    KEYWORD,
    /** A decimal integer literal; its text may exceed the int64 range (the parser checks). */
    INT,
    /** A float literal: digits with a dot and/or an exponent. */
    FLOAT,
    /** A string literal; {@link Token#value()} holds the decoded text. */
    STRING,
    /** An operator or delimiter. */
    OP,
    /** The end of a logical line. */
    NEWLINE,
    /** The indentation grew. */
    INDENT,
    /** The indentation went back to an enclosing level. */
    DEDENT,
    /** The end of the file. */
    EOF
}
