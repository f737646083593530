package org.torch2nnef.torchscript.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ScriptLexerTest {

    private static List<Token> lex(String source) {
        return ScriptLexer.tokenize("t.py", source);
    }

    /** Kinds and texts in a compact form: NAME:x OP:= INT:1 NEWLINE ... */
    private static String shape(String source) {
        return lex(source).stream()
                .map(
                        t ->
                                switch (t.kind()) {
                                    case NEWLINE, INDENT, DEDENT, EOF -> t.kind().name();
                                    case STRING -> "STRING:" + t.value();
                                    default -> t.kind() + ":" + t.text();
                                })
                .collect(Collectors.joining(" "));
    }

    private static TorchScriptSyntaxException lexError(String source) {
        return assertThrows(TorchScriptSyntaxException.class, () -> lex(source));
    }

    @Test
    void indentationMakesIndentAndDedentTokens() {
        String source =
                "class A(Module):\n  x : int\n  def f(self):\n    return 1\nclass B:\n  pass\n";
        assertEquals(
                "KEYWORD:class NAME:A OP:( NAME:Module OP:) OP:: NEWLINE INDENT NAME:x OP:: NAME:int NEWLINE "
                        + "KEYWORD:def NAME:f OP:( NAME:self OP:) OP:: NEWLINE INDENT KEYWORD:return INT:1 NEWLINE "
                        + "DEDENT DEDENT KEYWORD:class NAME:B OP:: NEWLINE INDENT KEYWORD:pass NEWLINE DEDENT EOF",
                shape(source));
    }

    @Test
    void blankLinesCommentsAndMissingFinalNewlineAreHandled() {
        String source =
                "# header\n\ndef f():\n\n    # inside\n    return x  # trailing\n\n   \n    pass";
        assertEquals(
                "KEYWORD:def NAME:f OP:( OP:) OP:: NEWLINE INDENT KEYWORD:return NAME:x NEWLINE "
                        + "KEYWORD:pass NEWLINE DEDENT EOF",
                shape(source));
    }

    @Test
    void newlinesInsideBracketsContinueTheLine() {
        // the printer splits parameter lists like this
        String source =
                "def forward(self: __torch__.M,\n    x: Tensor) -> Tensor:\n  return [x,\n  x]\n";
        assertEquals(
                "KEYWORD:def NAME:forward OP:( NAME:self OP:: NAME:__torch__ OP:. NAME:M OP:, NAME:x OP:: "
                        + "NAME:Tensor OP:) OP:-> NAME:Tensor OP:: NEWLINE INDENT KEYWORD:return OP:[ NAME:x OP:, NAME:x "
                        + "OP:] NEWLINE DEDENT EOF",
                shape(source));
    }

    @Test
    void backslashContinuesALine() {
        assertEquals("NAME:x OP:= INT:1 OP:+ INT:2 NEWLINE EOF", shape("x = 1 + \\\n  2\n"));
    }

    @Test
    void crlfLineEndingsWork() {
        assertEquals("NAME:a NEWLINE NAME:b NEWLINE EOF", shape("a\r\nb\r\n"));
        assertEquals(2, lex("a\r\nb\r\n").get(2).pos().line());
    }

    @Test
    void numbers() {
        assertEquals(
                "INT:0 INT:9223372036854775807 INT:92233720368547758070 FLOAT:0. FLOAT:1.5 FLOAT:.5 "
                        + "FLOAT:1e-05 FLOAT:1.0000000000000001e-05 FLOAT:1e+10 FLOAT:2.E3 NEWLINE EOF",
                shape(
                        "0 9223372036854775807 92233720368547758070 0. 1.5 .5 1e-05 1.0000000000000001e-05 1e+10 2.E3"));
    }

    @Test
    void stringsWithBothQuotesAndEscapes() {
        assertEquals(
                "STRING:cpu STRING:it's STRING:say \"hi\" STRING:a\\b\nc\td NEWLINE EOF",
                shape("\"cpu\" 'it\\'s' \"say \\\"hi\\\"\" \"a\\\\b\\nc\\td\""));
        // c10::printQuotedString writes unprintable bytes as 3-digit octal escapes
        Token octal = lex("\"\\001\\177x\"").get(0);
        assertEquals("\u0001\u007fx", octal.value());
        assertEquals("A\u00e9\u20ac", lex("'\\x41\\u00e9\\U000020ac'").get(0).value());
        assertEquals("a\nb", lex("\"\"\"a\nb\"\"\"").get(0).value());
    }

    @Test
    void keywordsAndNamesAreTold() {
        assertEquals(
                "KEYWORD:None KEYWORD:True KEYWORD:False NAME:inf NAME:nan NAME:__torch__ NAME:___torch_mangle_3 "
                        + "NEWLINE EOF",
                shape("None True False inf nan __torch__ ___torch_mangle_3"));
    }

    @Test
    void operatorsPreferTheLongestMatch() {
        assertEquals(
                "NAME:a OP:** NAME:b OP:// NAME:c OP:-> OP:== OP:!= OP:<= OP:>= OP:**= OP:-= OP:@ OP:~ "
                        + "NEWLINE EOF",
                shape("a ** b // c -> == != <= >= **= -= @ ~"));
    }

    @Test
    void positionsCountLinesColumnsAndUtf8Bytes() {
        List<Token> tokens = lex("x = \"\u00e9\u20ac\"\n  # \ud83d\ude00\ny = 1\n");
        Token y = tokens.stream().filter(t -> t.text().equals("y")).findFirst().orElseThrow();
        assertEquals(3, y.pos().line());
        assertEquals(1, y.pos().column());
        // "x = \"é€\"\n" is 4 + 1 + 2 + 3 + 1 + 1 = 12 bytes; "  # 😀\n" is 2 + 2 + 4 + 1 = 9 bytes
        assertEquals(21, y.pos().byteOffset());
        Token one = tokens.stream().filter(t -> t.text().equals("1")).findFirst().orElseThrow();
        assertEquals(new SourcePos("t.py", 3, 5, 25), one.pos());
    }

    @Test
    void unterminatedStringIsReportedAtItsStart() {
        TorchScriptSyntaxException e = lexError("def f():\n  return \"abc\n");
        assertEquals(
                "t.py:2:10: unterminated string literal (line ends before the closing \")",
                e.getMessage());
        assertEquals(new SourcePos("t.py", 2, 10, 18), e.pos());
        assertTrue(
                lexError("x = 'abc")
                        .getMessage()
                        .startsWith("t.py:1:5: unterminated string literal"));
    }

    @Test
    void unknownCharacterIsReportedWithLineAndColumn() {
        TorchScriptSyntaxException e = lexError("def f(x):\n  y = x $ 2\n");
        assertEquals("t.py:2:9: unexpected character '$'", e.getMessage());
        assertEquals("t.py:1:3: unexpected character U+00A7", lexError("a \u00a7").getMessage());
    }

    @Test
    void otherLexicalErrors() {
        assertEquals(
                "t.py:1:5: malformed number literal '0x1f' (only decimal integers and floats are supported)",
                lexError("x = 0x1f").getMessage());
        assertEquals(
                "t.py:1:5: malformed number literal '1e' (only decimal integers and floats are supported)",
                lexError("x = 1e").getMessage());
        assertEquals(
                "t.py:1:7: unknown escape sequence '\\q' in string literal",
                lexError("x = \"a\\q\"").getMessage());
        assertEquals("t.py:1:6: '(' is never closed", lexError("x = f(1,\n 2\n").getMessage());
        assertEquals(
                "t.py:1:8: ']' does not match '(' opened at 1:6",
                lexError("x = f(1]").getMessage());
        assertEquals("t.py:1:5: unmatched ')'", lexError("x = )").getMessage());
        assertEquals(
                "t.py:2:1: tab in indentation: TorchScript code is indented with spaces only",
                lexError("def f():\n\treturn 1\n").getMessage());
        assertEquals(
                "t.py:3:1: unindent to column 3 does not match any enclosing block",
                lexError("def f():\n    a = 1\n  b = 2\n").getMessage());
        assertEquals(
                "t.py:1:5: unexpected character '\\' (a line continuation backslash must end its line)",
                lexError("x = \\ 1").getMessage());
    }
}
