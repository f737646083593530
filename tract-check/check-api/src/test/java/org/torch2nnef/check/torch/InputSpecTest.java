package org.torch2nnef.check.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.torch2nnef.nnef.contract.DType;

/** The {@code --input NAME=D0,D1,...[:DTYPE]} syntax. */
class InputSpecTest {
    @Test
    void parsesShapesTypesAndScalars() {
        InputSpec s = InputSpec.parse("x=1,3,224,224");
        assertEquals("x", s.name());
        assertEquals(DType.F32, s.dtype());
        assertArrayEquals(new long[] {1, 3, 224, 224}, s.shape());
        assertEquals(
                new InputSpec("ids", DType.I64, new long[] {1, 16}),
                InputSpec.parse("ids=1, 16:i64"));
        assertArrayEquals(new long[] {}, InputSpec.parse("t=").shape());
        assertEquals(DType.BOOL, InputSpec.parse("m=:bool").dtype());
        assertEquals("ids=1,16:i64", InputSpec.parse("ids=1,16:i64").toString());
        assertEquals(
                InputSpec.parse("x=2,3"), InputSpec.parse(InputSpec.parse("x=2,3").toString()));
    }

    @Test
    void malformedSpecsNameTheText() {
        for (String bad : new String[] {"x", "=1,2", "x=1,,2", "x=a", "x=2:q8", "x=-1"}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> InputSpec.parse(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }
}
