package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.ValueType.TensorType;
import org.torch2nnef.torchscript.TorchDType;

class InputDeclarationTest {

    @Test
    void parsesNameSizesAndDtype() {
        InputDeclaration d = InputDeclaration.parse("x=1,3,224,224:f16");
        assertEquals("x", d.name());
        assertArrayEquals(new long[] {1, 3, 224, 224}, d.sizes());
        assertEquals(TorchDType.FLOAT16, d.dtype());
        assertEquals(TorchDType.FLOAT32, InputDeclaration.parse("x=2,3").dtype());
        assertEquals(0, InputDeclaration.parse("scale=:f64").sizes().length);
        assertEquals(
                InputDeclaration.parse("tokens=1,16:i64"),
                InputDeclaration.parse(" tokens = 1, 16 : int64"));
        assertEquals("tokens=1,16:int64", InputDeclaration.parse("tokens=1,16:long").toString());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "f32|FLOAT32",
                "float32|FLOAT32",
                "F16|FLOAT16",
                "bf16|BFLOAT16",
                "f64|FLOAT64",
                "i8|INT8",
                "i16|INT16",
                "i32|INT32",
                "int32|INT32",
                "i64|INT64",
                "int64|INT64",
                "u8|UINT8",
                "bool|BOOL"
            })
    void knowsDtypeNames(String name, TorchDType dtype) {
        assertEquals(dtype, InputDeclaration.parse("x=1:" + name).dtype());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "x1,2|missing '='",
                "=1,2|'' is not an input name",
                "1x=1|'1x' is not an input name",
                "x=1,a|size 'a' is not a whole number",
                "x=1,,2|size '' is not a whole number",
                "x=1,-2|negative size -2",
                "x=1,2:f8|unknown dtype 'f8'"
            })
    void badTextIsNamed(String text, String problem) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> InputDeclaration.parse(text));
        assertTrue(e.getMessage().startsWith(problem), e.getMessage());
        assertTrue(
                e.getMessage()
                        .contains("in --input '" + text + "' (expected NAME=D0,D1,...[:DTYPE]"),
                e.getMessage());
    }

    @Test
    void dynamicAxesParse() {
        DynamicAxes a = DynamicAxes.parse("x:0=B,2=T");
        assertEquals("x", a.name());
        assertEquals(Map.of(0, "B", 2, "T"), a.axes());
        assertEquals("x:0=B,2=T", a.toString());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "x|missing ':'",
                "x:1|'1' is not AXIS=SYMBOL",
                "x:a=S|axis 'a' is not a whole number",
                "x:-1=S|axis -1 is negative",
                "x:1=SEQ|symbol 'SEQ' must be a single letter",
                "x:1=1|symbol '1' must be a single letter",
                "x:1=S,1=T|axis 1 is given twice",
                "2x:1=S|'2x' is not an input name"
            })
    void badDynamicAxesAreNamed(String text, String problem) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> DynamicAxes.parse(text));
        assertTrue(e.getMessage().startsWith(problem), e.getMessage());
        assertTrue(e.getMessage().contains("in --dynamic-axes '" + text + "'"), e.getMessage());
    }

    @Test
    void inputTypesPutSymbolsOnDynamicAxes() {
        Map<String, TensorType> types =
                InputTypes.of(
                        List.of(
                                InputDeclaration.parse("x=2,4,12"),
                                InputDeclaration.parse("m=2,12:bool")),
                        List.of(DynamicAxes.parse("x:2=S"), DynamicAxes.parse("m:1=S")));
        assertEquals(
                new TensorType(TorchDType.FLOAT32, Shape.of(Dim.of(2), Dim.of(4), Dim.symbol("S"))),
                types.get("x"));
        assertEquals(
                new TensorType(TorchDType.BOOL, Shape.of(Dim.of(2), Dim.symbol("S"))),
                types.get("m"));
        assertEquals(List.of("x", "m"), List.copyOf(types.keySet()));
    }

    @Test
    void inputTypesRefuseInconsistentDeclarations() {
        List<InputDeclaration> x = List.of(InputDeclaration.parse("x=2,4"));
        assertEquals(
                "--dynamic-axes y:0=S names input 'y' which has no --input declaration (declared: [x])",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> InputTypes.of(x, List.of(DynamicAxes.parse("y:0=S"))))
                        .getMessage());
        assertEquals(
                "--dynamic-axes x:2=S: axis 2 is beyond input 'x' of rank 2",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> InputTypes.of(x, List.of(DynamicAxes.parse("x:2=S"))))
                        .getMessage());
        assertEquals(
                "input 'x' is declared twice",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> InputTypes.of(List.of(x.get(0), x.get(0)), List.of()))
                        .getMessage());
    }

    @Test
    void exampleSizesBindEachSymbolOnce() {
        List<InputDeclaration> inputs =
                List.of(InputDeclaration.parse("x=2,4,12"), InputDeclaration.parse("m=2,12:bool"));
        assertEquals(
                Map.of("B", 2L, "S", 12L),
                InputTypes.exampleSizes(
                        inputs,
                        List.of(DynamicAxes.parse("x:0=B,2=S"), DynamicAxes.parse("m:1=S"))));
        assertEquals(Map.of(), InputTypes.exampleSizes(inputs, List.of()));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                InputTypes.exampleSizes(
                                        inputs,
                                        List.of(
                                                DynamicAxes.parse("x:2=S"),
                                                DynamicAxes.parse("m:0=S"))));
        assertEquals(
                "--dynamic-axes: symbol S names axis 2 of input 'x', declared 12, and axis 0 of input 'm', declared 2;"
                        + " one symbol is one size, so give both the same example size",
                e.getMessage());
    }

    @Test
    void shapeWhoseBytesOverflowIsRefused() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> InputDeclaration.parse("x=9223372036854775807"));
        assertEquals(
                "shape [9223372036854775807] of float32 has more than 2^63-1 bytes in --input"
                        + " 'x=9223372036854775807' (expected NAME=D0,D1,...[:DTYPE], e.g."
                        + " x=1,3,224,224:f32)",
                e.getMessage());
        assertEquals(1L << 62, InputDeclaration.parse("x=2,2305843009213693952:u8").sizes()[1] * 2);
    }

    @Test
    void generatedDTypeIsTheExchangeFormOrARefusalNamingTheInput() {
        assertEquals(
                org.torch2nnef.nnef.contract.DType.F16,
                InputDeclaration.parse("x=2:f16").generatedDType());
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new InputDeclaration("x", new long[] {2}, TorchDType.BFLOAT16)
                                        .generatedDType());
        assertEquals("input x of type bfloat16 cannot be generated", e.getMessage());
    }
}
