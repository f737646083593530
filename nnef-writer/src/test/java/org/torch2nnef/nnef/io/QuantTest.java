package org.torch2nnef.nnef.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Quantization;

class QuantTest {

    @Test
    void printsTractsFormsAndReadsThemBack() throws NnefParseException {
        Map<String, Quantization> q = new LinkedHashMap<>();
        q.put("w", Quantization.ZeroPointLinear.of(0, 0.0625f, 8, true));
        q.put("x", new Quantization.ZeroPointLinear(128, 1e-5f, 8, false, false));
        q.put("y", new Quantization.Linear(-1.5f, 3.25f, 8));
        q.put(
                "z",
                new Quantization.Other(
                        "logarithmic_quantize", Map.of("max", Expr.of(4.0f), "bits", Expr.of(4))));
        String text = QuantPrinter.print(q);
        assertTrue(
                text.startsWith(
                        """
                "w": zero_point_linear_quantize(zero_point = 0, scale = 0.0625, bits = 8, signed = true, symmetric = true);
                "x": zero_point_linear_quantize(zero_point = 128, scale = 1.0e-5, bits = 8, signed = false, symmetric = false);
                "y": linear_quantize(min = -1.5, max = 3.25, bits = 8);
                "z": logarithmic_quantize("""),
                text);
        assertEquals(q, QuantParser.parse(text, "graph.quant"));
    }

    @Test
    void readsTractsOwnOutput() throws NnefParseException {
        // tract writes scale with 9 decimals, linear_quantize as max, min, bits and may use i"…"
        // names
        String text =
                """
                "a": zero_point_linear_quantize(zero_point = 3, scale = 0.125000000, bits = 8, signed = false, symmetric = false);
                i"b.c": linear_quantize(max = 1.000000000, min = -1.000000000, bits = 8);
                "d": zero_point_linear_quantize(zero_point = 0, scale = 2.0, bits = 32, signed = true);
                """;
        Map<String, Quantization> q = QuantParser.parse(text, "graph.quant");
        assertEquals(new Quantization.ZeroPointLinear(3, 0.125f, 8, false, false), q.get("a"));
        assertEquals(new Quantization.Linear(-1f, 1f, 8), q.get("b.c"));
        assertEquals(new Quantization.ZeroPointLinear(0, 2f, 32, true, false), q.get("d"));
    }

    @Test
    void errorsNameTheTensorAndPosition() {
        NnefParseException e =
                assertThrows(
                        NnefParseException.class,
                        () ->
                                QuantParser.parse(
                                        "\"a\": zero_point_linear_quantize(zero_point = 1.5, scale = 1.0, bits = 8, signed = true);",
                                        "graph.quant"));
        assertTrue(
                e.getMessage().startsWith("graph.quant:1:6:")
                        && e.getMessage().contains("zero_point"),
                e.getMessage());
        e =
                assertThrows(
                        NnefParseException.class,
                        () -> QuantParser.parse("\"a\": 3;", "graph.quant"));
        assertTrue(
                e.getMessage().contains("quantization invocation")
                        && e.getMessage().contains("'a'"),
                e.getMessage());
        IllegalArgumentException bad =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> QuantPrinter.print(Map.of("a.b", new Quantization.Linear(0, 1, 8))));
        assertTrue(bad.getMessage().contains("'a.b'"), bad.getMessage());
        bad =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                QuantPrinter.print(
                                        Map.of("a", new Quantization.Linear(0, Float.NaN, 8))));
        assertTrue(bad.getMessage().contains("max of 'a'"), bad.getMessage());
    }
}
