package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.nnef.io.NnefPrinter;

class DimExpressionsTest {
    private static final Dim S = Dim.symbol("S");
    private static final Dim T = Dim.symbol("T");

    private static String nnef(Dim d) {
        return NnefPrinter.expr(DimExpressions.toExpr(d));
    }

    @Test
    void constantsAndSymbols() {
        assertEquals("7", nnef(Dim.of(7)));
        assertEquals("-3", nnef(Dim.of(-3)));
        assertEquals("S", nnef(S));
        assertEquals("2 * S - 2", nnef(S.times(2).minus(2)));
        assertEquals("4 - S", nnef(Dim.of(4).minus(S)));
        assertEquals("0 - S", nnef(S.times(-1)));
        assertEquals("T - 2 * S", nnef(T.minus(S.times(2))));
        assertEquals("S * T + 1", nnef(S.times(T).plus(1)));
    }

    @Test
    void floorDivisionKeepsItsOperandGrouped() {
        // conv output length (S + 2*1 - 3) / 2 + 1
        assertEquals("(S - 1) / 2 + 1", nnef(S.minus(1).floorDiv(2).plus(1)));
        // 2 * ((S - 1) / 2): the division must not be read as (2 * (S - 1)) / 2
        Dim twice = S.minus(1).floorDiv(2).times(2);
        String text = nnef(twice);
        assertEquals("2 * ((S - 1) / 2)", text);
        // evaluated as NNEF would, it equals the Dim at odd and even S
        for (long s : new long[] {6, 7}) {
            assertEquals(twice.eval(Map.of("S", s)), 2 * ((s - 1) / 2));
        }
    }

    @Test
    void moduloIsWrittenWithAFloorDivision() {
        // S % 2 == S - 2 * (S // 2) for every S; NNEF has no modulo operator
        assertEquals("S - 2 * (S / 2)", nnef(S.mod(2)));
    }
}
