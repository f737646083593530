package org.torch2nnef.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DimTest {
    private static final Dim S = Dim.symbol("S");
    private static final Dim T = Dim.symbol("T");

    @Test
    void constantsFold() {
        Dim d = Dim.of(7).plus(3).times(2).minus(Dim.of(4));
        assertTrue(d.isConstant());
        assertEquals(16, d.constant());
        assertEquals("16", d.toString());
        assertEquals(Dim.of(3), Dim.of(7).floorDiv(2));
        assertEquals(Dim.of(-4), Dim.of(-7).floorDiv(2)); // Python: -7 // 2 == -4
        assertEquals(Dim.of(1), Dim.of(-7).mod(2)); // Python: -7 % 2 == 1
    }

    @Test
    void equalExpressionsFromDifferentPathsAreEqual() {
        Dim a = S.minus(2);
        Dim b = S.plus(1).minus(3);
        Dim c = S.times(3).minus(S.times(2)).minus(Dim.of(2));
        assertEquals(a, b);
        assertEquals(a, c);
        assertEquals(a.hashCode(), c.hashCode());
        assertEquals("S-2", a.toString());
        assertNotEquals(a, T.minus(2));
    }

    @Test
    void printsCanonicalForms() {
        assertEquals("2*S-2", S.times(2).minus(2).toString());
        assertEquals("-S+4", Dim.of(4).minus(S).toString());
        assertEquals("(S-3)/2+1", S.minus(3).floorDiv(2).plus(1).toString());
        assertEquals("S/2", S.floorDiv(2).toString());
        assertEquals("(S+1)%2", S.plus(1).mod(2).toString());
        assertEquals("S*T+2*S", S.times(T.plus(2)).toString());
        assertEquals("0", S.minus(S).toString());
        // a coefficient or second factor brackets the division: 2*((S-1)/2) is not (2*(S-1))/2
        assertEquals("2*((S-1)/2)+2", S.minus(1).floorDiv(2).plus(1).times(2).toString());
        assertEquals("(S/2)*T", S.floorDiv(2).times(T).toString());
    }

    @Test
    void divisionFoldsMultiples() {
        assertEquals(S.plus(1), S.times(2).plus(3).floorDiv(2)); // (2S+3)//2 == S+1
        assertEquals(S.floorDiv(6), S.floorDiv(2).floorDiv(3));
        assertEquals(Dim.of(1), S.times(4).plus(5).mod(2));
        assertEquals(S, S.floorDiv(1));
        assertEquals(S.plus(1).floorDiv(2), S.ceilDiv(2));
    }

    @Test
    void evaluatesWithBindings() {
        Dim conv = S.plus(2 * 1 - 1 * (3 - 1) - 1).floorDiv(2).plus(1); // conv1d k=3 s=2 p=1
        assertEquals(8, conv.eval(Map.of("S", 16L))); // (16 + 2 - 2 - 1) // 2 + 1 == 8
        assertEquals(8, conv.eval(Map.of("S", 15L))); // (15 - 1) // 2 + 1 == 8
        assertEquals(Set.of("S"), conv.symbols());
        assertEquals(-3, Dim.of(4).minus(S).eval(Map.of("S", 7L)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> S.eval(Map.of()));
        assertTrue(e.getMessage().contains("symbol S has no value"), e.getMessage());
    }

    @Test
    void signIsProvenForSizeExpressionsOnly() {
        assertTrue(S.times(2).plus(T).plus(1).isNonNegative());
        assertTrue(S.minus(3).mod(2).isNonNegative()); // a modulo by a positive divisor is never negative
        assertTrue(S.floorDiv(2).times(T).isNonNegative());
        assertFalse(S.minus(3).floorDiv(2).isNonNegative()); // (S-3)//2 is -2 at S=0
        assertFalse(S.times(-1).isNonNegative());
        assertFalse(Dim.of(-1).isNonNegative());
        assertTrue(Dim.of(0).isNonNegative());
    }

    @Test
    void refusesBadSymbolsAndDivisors() {
        assertThrows(IllegalArgumentException.class, () -> Dim.symbol("SEQ"));
        assertThrows(IllegalArgumentException.class, () -> Dim.symbol("1"));
        assertThrows(IllegalArgumentException.class, () -> S.floorDiv(0));
        assertThrows(IllegalArgumentException.class, () -> S.floorDiv(T));
        assertThrows(IllegalStateException.class, S::constant);
        assertFalse(S.isConstant());
    }
}
