package org.torch2nnef.nnef.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputQuantizationTest {
    @Test
    void formatsAndParsesBack() {
        Map<String, OutputQuantization.Step> steps = new LinkedHashMap<>();
        steps.put("logits", new OutputQuantization.Step(0.006789004430174828, 114));
        steps.put("aux", new OutputQuantization.Step(0.5, 0));
        String text = OutputQuantization.format(steps);
        assertEquals(
                "logits: scale=0.006789004430174828 zero_point=114; aux: scale=0.5 zero_point=0",
                text);
        assertEquals(steps, OutputQuantization.parse(text));
        assertEquals(Map.of(), OutputQuantization.parse(""));
    }

    @Test
    void refusesMalformedText() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> OutputQuantization.parse("y: scale=0.1"));
        assertTrue(
                e.getMessage()
                        .equals(
                                "output_quantization: 'y: scale=0.1' is not 'NAME: scale=S"
                                        + " zero_point=Z'"),
                e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> OutputQuantization.parse("y: scale=x zero_point=1"));
        assertTrue(e.getMessage().contains("malformed number"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> OutputQuantization.parse("y: scale=0 zero_point=1"));
    }
}
