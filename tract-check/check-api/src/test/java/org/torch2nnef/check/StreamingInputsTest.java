package org.torch2nnef.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.torch2nnef.nnef.io.NnefParseException;
import org.torch2nnef.nnef.io.NnefParser;

/** What a pulsed check asks of the inputs, and the pulse's syntax. */
class StreamingInputsTest {
    private static NnefSignature signature(String... inputs) {
        StringBuilder g = new StringBuilder("version 1.0;\nextension tract_symbol T;\n");
        StringBuilder names = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < inputs.length; i++) {
            String name = "in" + i;
            names.append(i == 0 ? "" : ", ").append(name);
            body.append(name)
                    .append(" = external<scalar>(shape = ")
                    .append(inputs[i])
                    .append(");\n");
        }
        g.append("graph g(").append(names).append(") -> (in0)\n{\n").append(body).append("}\n");
        try {
            return NnefSignature.of(NnefParser.parse(g.toString(), "g.nnef"), "g.nnef");
        } catch (NnefParseException e) {
            throw new AssertionError(g.toString(), e);
        }
    }

    @Test
    void everyInputStreamsAlongTheSymbol() {
        assertEquals(
                List.of(2, 1),
                StreamingInputs.axes(
                        signature("[1, 2, T]", "[1, T, 4]"), TractLoading.Pulse.parse("T=8")));
    }

    @Test
    void aConditioningInputWithoutTheAxisIsExplained() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                StreamingInputs.axes(
                                        signature("[1, 2, T]", "[1, 3]"),
                                        TractLoading.Pulse.parse("T=8")));
        String m = e.getMessage();
        assertTrue(m.startsWith("--pulse T=8: input 'in1' [1, 3] has no axis along T."), m);
        assertTrue(m.contains("every input streams along the pulse symbol"), m);
        assertTrue(m.contains("a conditioning vector as in FiLM"), m);
        assertTrue(m.contains("Can not pulse a tensor with no streaming dim"), m);
    }

    @Test
    void aSymbolNoInputHasIsRefusedNamingTheSymbols() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                StreamingInputs.axes(
                                        signature("[1, 2, T]"), TractLoading.Pulse.parse("S=8")));
        assertEquals(
                "--pulse S=8: no input of the model has a size S; its symbols are T",
                e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                StreamingInputs.axes(
                                        signature("[1, T, T]"), TractLoading.Pulse.parse("T=4")));
        assertTrue(e.getMessage().contains("has 2 axes along T"), e.getMessage());
    }

    @Test
    void thePulseIsASymbolAndAPositiveSize() {
        assertEquals("T=8", TractLoading.Pulse.parse(" T=8 ").spec());
        for (String bad : new String[] {"T", "T=0", "time=8", "T=-1", "8", "T=x"}) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class, () -> TractLoading.Pulse.parse(bad));
            assertTrue(
                    e.getMessage().contains("--pulse")
                            || e.getMessage().contains("must be positive"),
                    bad + ": " + e.getMessage());
        }
    }
}
