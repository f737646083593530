package org.torch2nnef.graph.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.ValueType;
import org.torch2nnef.graph.ValueType.TensorType;
import org.torch2nnef.torchscript.TorchDType;

/** Expected dtypes printed by torch 1.13: torch.promote_types and torch.result_type. */
class DtypePromotionTest {

    private static TorchDType t(String name) {
        return TorchDType.fromTorchName(name).orElseThrow();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "uint8|int8|int16",
                "uint8|int16|int16",
                "int8|int32|int32",
                "int32|int64|int64",
                "bool|uint8|uint8",
                "bool|int8|int8",
                "float16|bfloat16|float32",
                "float16|float32|float32",
                "bfloat16|float64|float64",
                "int64|float16|float16",
                "uint8|bfloat16|bfloat16",
                "bool|float32|float32",
                "int16|uint8|int16"
            })
    void promoteTypes(String a, String b, String expected) {
        assertEquals(t(expected), ScalarTypes.promote(t(a), t(b)));
        assertEquals(t(expected), ScalarTypes.promote(t(b), t(a)));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "int32|float64|float64",
                "int64|float64|float64",
                "float16|float64|float16",
                "int8|int64|int8",
                "bool|int32|int32",
                "uint8|int8|uint8"
            })
    void zeroDimTensorsDecideOnlyWhenOfAHigherCategory(
            String dimensioned, String zeroDim, String expected) {
        List<ValueType> operands =
                List.of(
                        new TensorType(t(dimensioned), Shape.of(3)),
                        new TensorType(t(zeroDim), Shape.scalar()));
        assertEquals(t(expected), Broadcast.resultType(operands));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // tensor dtype | with 2.5 | with 2 | with True
                "int32|float32|int32|int32",
                "float16|float16|float16|float16",
                "bool|float32|int64|bool",
                "uint8|float32|uint8|uint8"
            })
    void pythonNumbersGiveDefaultDtypes(
            String tensor, String withFloat, String withInt, String withBool) {
        TensorType x = new TensorType(t(tensor), Shape.of(3));
        assertEquals(t(withFloat), Broadcast.resultType(List.of(x, ValueType.FLOAT)));
        assertEquals(t(withInt), Broadcast.resultType(List.of(x, ValueType.INT)));
        assertEquals(t(withBool), Broadcast.resultType(List.of(x, ValueType.BOOL)));
    }

    @Test
    void broadcastKeepsSymbolsAndRefusesMismatches() {
        Dim s = Dim.symbol("S");
        assertEquals(
                Shape.of(Dim.of(2), s, Dim.of(4)),
                Broadcast.shapes(
                        Shape.of(Dim.of(2), Dim.of(1), Dim.of(4)), Shape.of(s, Dim.of(1))));
        ShapeInferenceException e =
                assertThrows(
                        ShapeInferenceException.class,
                        () -> Broadcast.shapes(Shape.of(2, 3), Shape.of(4, 3)));
        assertEquals("shapes [2,3] and [4,3] do not broadcast: 2 vs 4", e.getMessage());
        assertThrows(
                ShapeInferenceException.class,
                () -> Broadcast.shapes(Shape.of(s), Shape.of(Dim.symbol("T"))));
    }
}
