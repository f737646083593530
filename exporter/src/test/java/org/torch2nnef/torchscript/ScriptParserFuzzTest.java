package org.torch2nnef.torchscript;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.torch2nnef.torchscript.code.ScriptParser;
import org.torch2nnef.torchscript.code.TorchScriptSyntaxException;

/**
 * Coverage-guided fuzzing of the TorchScript lexer and parser (parsing tokenizes first, so one
 * target covers both): any bytes of a {@code code/} file parse or are refused with a {@link
 * TorchScriptSyntaxException}; any other throwable (a stack overflow included) is a finding. Seeds:
 * {@code ScriptParserFuzzTestInputs/<method>}.
 */
class ScriptParserFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void parse(byte[] bytes) {
        try {
            ScriptParser.parse("code/fuzz.py", bytes);
        } catch (TorchScriptSyntaxException refused) {
            // documented refusal
        }
    }
}
