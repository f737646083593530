package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one rule binding {@code --input} lines to forward arguments, as export, inspect and check
 * apply it.
 */
class InputBindingTest {
    private static final List<String> FORWARD = List.of("x", "y");

    private static List<InputDeclaration> lines(String... texts) {
        return Arrays.stream(texts).map(InputDeclaration::parse).toList();
    }

    private static List<String> bound(String... texts) throws ExportInputException {
        return InputBinding.inForwardOrder("m.pt", FORWARD, lines(texts)).stream()
                .map(InputDeclaration::toString)
                .toList();
    }

    @Test
    void aForwardArgumentNameBindsThatArgumentInAnyOrder() throws Exception {
        assertEquals(List.of("x=1:float32", "y=2:float32"), bound("y=2", "x=1"));
    }

    @Test
    void anyOtherNameBindsTheArgumentAtItsPositionAndNamesTheNnefInput() throws Exception {
        assertEquals(
                List.of("input_0=1:float32", "input_1=2:float32"), bound("input_0=1", "input_1=2"));
        assertEquals(List.of("x=1:float32", "b=2:float32"), bound("x=1", "b=2"));
    }

    @Test
    void aNameMatchingNothingIsRefusedListingTheInputs() {
        ExportInputException e =
                assertThrows(ExportInputException.class, () -> bound("x=1", "y=2", "z=3"));
        assertEquals(
                "m.pt has no input 'z'; its inputs are [x, y] (--input binds a forward argument by name, or by"
                        + " position under its NNEF name)",
                e.getMessage());
    }

    @Test
    void oneArgumentBoundTwiceOrNoneAreRefused() {
        assertEquals(
                "m.pt: --input z=2:float32 (by position) and --input y=1:float32 (by name) both declare its"
                        + " input 'y'; its inputs are [x, y]",
                assertThrows(ExportInputException.class, () -> bound("y=1", "z=2")).getMessage());
        assertEquals(
                "m.pt takes 2 inputs [x, y] but 1 are declared [y]",
                assertThrows(ExportInputException.class, () -> bound("y=1")).getMessage());
        assertEquals(
                "input 'x' is declared twice",
                assertThrows(ExportInputException.class, () -> bound("x=1", "x=2")).getMessage());
    }

    @Test
    void dynamicAxesNameAnInputByForwardOrNnefName() throws Exception {
        List<InputDeclaration> bound =
                InputBinding.inForwardOrder("m.pt", FORWARD, lines("in0=1,2", "in1=3"));
        List<DynamicAxes> axes =
                InputBinding.byNnefName(
                        FORWARD,
                        bound,
                        List.of(
                                DynamicAxes.parse("x:1=S"),
                                DynamicAxes.parse("in1:0=B"),
                                DynamicAxes.parse("z:0=T")));
        assertEquals("[in0:1=S, in1:0=B, z:0=T]", axes.toString());
    }

    @Test
    void anExportedModelsInputIsNamedByItsNnefNameOrItsForwardArgument() throws Exception {
        List<String> nnef = List.of("input_0", "y");
        assertEquals("input_0", InputBinding.nnefName("m.pt", "input_0", FORWARD, nnef));
        assertEquals("input_0", InputBinding.nnefName("m.pt", "x", FORWARD, nnef));
        assertEquals("y", InputBinding.nnefName("m.pt", "y", FORWARD, nnef));
        ExportInputException e =
                assertThrows(
                        ExportInputException.class,
                        () -> InputBinding.nnefName("m.pt", "z", FORWARD, nnef));
        assertEquals(
                "m.pt has no input 'z'; its inputs are [x, y, input_0] (--input binds a forward argument by"
                        + " name, or by position under its NNEF name)",
                e.getMessage());
    }
}
