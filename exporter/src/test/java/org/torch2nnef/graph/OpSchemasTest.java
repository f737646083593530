package org.torch2nnef.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.torch2nnef.export.OpRegistry;

/** Signatures as in native_functions.yaml and the choice of overload for a call's static types. */
class OpSchemasTest {
    private static final ValueType TENSOR = ValueType.UNTYPED_TENSOR;
    private static final ValueType INTS = new ValueType.ListType(ValueType.INT);
    private static final OpSchemas TABLE = OpRegistry.standard().schemas();

    private static String resolve(
            String kind, List<ValueType> positional, Map<String, ValueType> keywords) {
        return TABLE.resolve(kind, positional, keywords)
                .map(OpSchema::qualifiedName)
                .orElse("none");
    }

    @Test
    void parsesSignatures() {
        OpSchema s =
                OpSchema.parse(
                        "aten::sum.dim_IntList(Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor");
        assertEquals("aten::sum", s.kind());
        assertEquals("dim_IntList", s.overload());
        assertEquals(
                List.of("self", "dim", "keepdim", "dtype"),
                s.args().stream().map(OpSchema.Arg::name).toList());
        assertEquals("int[]", s.args().get(1).baseType());
        assertTrue(s.args().get(1).optional());
        assertEquals(Optional.of("False"), s.args().get(2).defaultValue());
        assertTrue(s.args().get(3).keywordOnly());
        assertEquals(3, s.positionalCount());
        assertEquals(
                List.of("Tensor", "Tensor"),
                OpSchema.parse("aten::max.dim(Tensor self, int dim) -> (Tensor, Tensor)")
                        .returns());
        assertThrows(
                IllegalArgumentException.class,
                () -> OpSchema.parse("relu(Tensor self) -> Tensor"));
        assertThrows(IllegalArgumentException.class, () -> OpSchema.parse("aten::relu Tensor"));
    }

    @Test
    void choosesOverloadsByArityKeywordsAndTypes() {
        assertEquals(
                "aten::to.dtype", resolve("aten::to", List.of(TENSOR, ValueType.INT), Map.of()));
        assertEquals(
                "aten::to.device",
                resolve("aten::to", List.of(TENSOR, ValueType.DEVICE, ValueType.INT), Map.of()));
        assertEquals("aten::to.other", resolve("aten::to", List.of(TENSOR, TENSOR), Map.of()));
        assertEquals("aten::sum", resolve("aten::sum", List.of(TENSOR), Map.of()));
        assertEquals(
                "aten::sum.dim_IntList",
                resolve(
                        "aten::sum",
                        List.of(TENSOR, INTS, ValueType.BOOL),
                        Map.of("dtype", ValueType.NONE)));
        assertEquals("aten::add.Tensor", resolve("aten::add", List.of(TENSOR, TENSOR), Map.of()));
        assertEquals(
                "aten::add.Scalar",
                resolve("aten::add", List.of(TENSOR, ValueType.FLOAT), Map.of()));
        assertEquals(
                "aten::add.int",
                resolve("aten::add", List.of(ValueType.INT, ValueType.INT), Map.of()));
        assertEquals(
                "aten::zeros",
                resolve(
                        "aten::zeros",
                        List.of(INTS),
                        Map.of(
                                "dtype",
                                ValueType.INT,
                                "layout",
                                ValueType.NONE,
                                "device",
                                ValueType.DEVICE,
                                "pin_memory",
                                ValueType.BOOL)));
        assertEquals(
                "none",
                resolve("aten::zeros", List.of(INTS), Map.of("no_such_arg", ValueType.INT)));
        assertEquals("none", resolve("aten::relu", List.of(), Map.of()), "self has no default");
        assertEquals("none", resolve("aten::no_such_op", List.of(TENSOR), Map.of()));
    }

    @Test
    void inPlaceVariantsTakeTheirBaseSignature() {
        assertTrue(OpSchemas.isInPlace("aten::add_"));
        assertFalse(OpSchemas.isInPlace("aten::__and__"));
        assertEquals("aten::add_.Tensor", resolve("aten::add_", List.of(TENSOR, TENSOR), Map.of()));
        assertEquals("aten::sigmoid_", TABLE.overloads("aten::sigmoid_").get(0).kind());
    }
}
