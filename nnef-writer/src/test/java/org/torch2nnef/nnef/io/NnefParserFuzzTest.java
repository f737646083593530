package org.torch2nnef.nnef.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of the {@code graph.nnef} and {@code graph.quant} parsers: any text
 * parses or is refused with an {@link NnefFormatException} (an {@link NnefParseException} naming
 * line and column); any other throwable (a stack overflow included) is a finding. Seeds: {@code
 * NnefParserFuzzTestInputs/<method>}.
 */
class NnefParserFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void parseGraph(byte[] bytes) {
        try {
            NnefParser.parse(new String(bytes, StandardCharsets.UTF_8), "graph.nnef");
        } catch (NnefFormatException refused) {
            // documented refusal
        }
    }

    @FuzzTest(maxDuration = "30s")
    void parseQuant(byte[] bytes) {
        try {
            QuantParser.parse(new String(bytes, StandardCharsets.UTF_8), "graph.quant");
        } catch (NnefFormatException refused) {
            // documented refusal
        }
    }
}
