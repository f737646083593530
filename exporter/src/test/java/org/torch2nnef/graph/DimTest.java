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
        // (S-3)//2 + 1 == (S-1)//2: the constant of a numerator is kept in (-divisor, 0]
        assertEquals("(S-1)/2", S.minus(3).floorDiv(2).plus(1).toString());
        assertEquals("(S-1)/2+1", S.plus(1).floorDiv(2).toString());
        assertEquals("S/2", S.floorDiv(2).toString());
        assertEquals("S-2*(S/2)", S.mod(2).toString());
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
    void divisionsNormalizeToOneForm() {
        // numerator coefficients reduced below the divisor: (3S-1)//2 == S + (S-1)//2
        assertEquals(S.plus(S.minus(1).floorDiv(2)), S.times(3).minus(1).floorDiv(2));
        // a common factor cancels: (2S+2)//4 == (S+1)//2
        assertEquals(S.plus(1).floorDiv(2), S.times(2).plus(2).floorDiv(4));
        // (-S)//2 == S//2 - S, since -S == S - 2*S
        assertEquals(S.floorDiv(2).minus(S), S.times(-1).floorDiv(2));
        // a modulo is its floor-division form, reduced the same way
        assertEquals(S.plus(1).mod(2), S.plus(3).mod(2));
        assertEquals(S.times(3).mod(2), S.mod(2));
    }

    @Test
    void nestedFloorDivisionsFlatten() {
        // floor((X//a + M) / b) == floor((X + a*M) / (a*b)) for every integer M
        Dim strided = S.minus(1).floorDiv(2).plus(1); // conv1d k=5 s=2 p=2
        Dim pooled = strided.minus(2).floorDiv(2).plus(1); // max_pool1d k=2: (L-2)//2+1
        assertEquals(strided.floorDiv(2), pooled); // both are L//2
        assertEquals("(S-3)/4+1", pooled.toString());
        assertEquals(S.plus(1).floorDiv(6), S.plus(1).floorDiv(2).floorDiv(3));
        assertEquals(S.floorDiv(12), S.floorDiv(2).floorDiv(2).floorDiv(3));
        // every way of writing the quotient evaluates like Python's //
        for (long s = -9; s <= 40; s++) {
            long l = Math.floorDiv(s - 1, 2) + 1;
            assertEquals(Math.floorDiv(l - 2, 2) + 1, pooled.eval(Map.of("S", s)), "S=" + s);
            assertEquals(
                    Math.floorMod(3 * s + 1, 4),
                    S.times(3).plus(1).mod(4).eval(Map.of("S", s)),
                    "S=" + s);
        }
    }

    @Test
    void provesEqualitiesTheFormsDoNotShow() {
        Dim sum = S.floorDiv(2).plus(S.plus(1).floorDiv(2)); // S//2 + (S+1)//2 == S
        assertNotEquals(S, sum);
        assertTrue(sum.provablyEquals(S));
        assertTrue(
                S.times(S)
                        .mod(2)
                        .provablyEquals(S.mod(2))); // S^2 and S have the same parity: degree 2
        // Hermite: S//300 + (S+150)//300 == S//150
        assertTrue(S.floorDiv(300).plus(S.plus(150).floorDiv(300)).provablyEquals(S.floorDiv(150)));
        Dim twoSymbols = S.plus(T).floorDiv(2);
        assertTrue(
                twoSymbols.provablyEquals(
                        S.floorDiv(2)
                                .plus(T.floorDiv(2))
                                .plus(S.mod(2).plus(T.mod(2)).floorDiv(2))));
        assertTrue(S.plus(2).provablyEquals(S.plus(1).plus(1)));
    }

    @Test
    void refutesEqualitiesThatFailSomewhere() {
        Dim length = S.minus(1).floorDiv(2).plus(1);
        Dim upsampled = length.floorDiv(2).times(2); // equal to length only when it is even
        assertFalse(length.provablyEquals(upsampled));
        assertEquals(length.eval(Map.of("S", 32L)), upsampled.eval(Map.of("S", 32L)));
        assertFalse(
                S.floorDiv(4).provablyEquals(S.plus(1).floorDiv(4))); // differ when S % 4 == 3 only
        assertFalse(S.times(S).provablyEquals(S.times(2))); // agree at S = 0 and 2 only
        assertFalse(S.provablyEquals(T));
        assertFalse(Dim.of(3).provablyEquals(Dim.of(4)));
        // true, but 300^2 residues * 2^2 grid points are beyond the proof budget: not proven
        Dim hermiteS = S.floorDiv(300).plus(S.plus(150).floorDiv(300));
        Dim hermiteT = T.floorDiv(300).plus(T.plus(150).floorDiv(300));
        assertFalse(hermiteS.plus(hermiteT).provablyEquals(S.floorDiv(150).plus(T.floorDiv(150))));
    }

    @Test
    void evaluatesWithBindings() {
        Dim conv = S.plus(2 * 1 - 1 * (3 - 1) - 1).floorDiv(2).plus(1); // conv1d k=3 s=2 p=1
        assertEquals(8, conv.eval(Map.of("S", 16L))); // (16 + 2 - 2 - 1) // 2 + 1 == 8
        assertEquals(8, conv.eval(Map.of("S", 15L))); // (15 - 1) // 2 + 1 == 8
        assertEquals(Set.of("S"), conv.symbols());
        assertEquals(-3, Dim.of(4).minus(S).eval(Map.of("S", 7L)));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> S.eval(Map.of()));
        assertTrue(e.getMessage().contains("symbol S has no value"), e.getMessage());
    }

    @Test
    void signIsProvenForSizeExpressionsOnly() {
        assertTrue(S.times(2).plus(T).plus(1).isNonNegative());
        assertFalse(
                S.minus(3)
                        .mod(2)
                        .isNonNegative()); // a modulo is written (S-3) - 2*((S-3)/2): not proven
        assertTrue(S.floorDiv(2).times(T).isNonNegative());
        assertFalse(S.minus(3).floorDiv(2).isNonNegative()); // (S-3)//2 is -2 at S=0
        assertFalse(S.times(-1).isNonNegative());
        assertFalse(Dim.of(-1).isNonNegative());
        assertTrue(Dim.of(0).isNonNegative());
    }

    @Test
    void monomialsAreProductsOfSymbolsOnly() {
        assertTrue(S.times(4).times(T).isMonomial());
        assertTrue(Dim.of(3).isMonomial());
        assertFalse(S.plus(3).isMonomial());
        assertFalse(S.plus(T).isMonomial());
        assertFalse(S.floorDiv(2).isMonomial());
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
