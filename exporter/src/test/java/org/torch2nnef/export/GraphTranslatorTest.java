package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.torch2nnef.export.TranslationTesting.text;
import static org.torch2nnef.export.TranslationTesting.translate;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.torch2nnef.nnef.io.NnefParser;
import org.torch2nnef.nnef.model.Identifiers;

/** Core behaviour: inputs, variables, naming schemes, folding, outputs, errors, strict mode. */
class GraphTranslatorTest {

    @Test
    void linearDeclaresInputVariablesAndOutput() throws Exception {
        try (OpModel m = OpModel.open("linear_2d", "input=f32[4,5]", "linear=f32[4,3]")) {
            Translation t = translate(m);
            String text = text(t);
            assertTrue(text.contains("input = external<scalar>(shape = [4, 5]);"), text);
            assertTrue(
                    text.contains(
                            "l_weight = variable<scalar>(shape = [3, 5], label = 'l.weight');"),
                    text);
            assertTrue(
                    text.contains("l_bias = variable<scalar>(shape = [3], label = 'l.bias');"),
                    text);
            assertTrue(text.contains("linear = linear(input, l_weight, l_linear_bias);"), text);
            assertEquals(Set.of("l.weight", "l.bias"), t.model().tensors().keySet());
            assertEquals(2, t.variableCount());
            assertEquals((15 + 3) * 4, t.variableBytes());
            assertEquals("[input: float32[4,5]]", t.inputs().toString());
            assertEquals("[linear: float32[4,3]]", t.outputs().toString());
            assertEquals(Set.of("external", "variable", "unsqueeze", "linear"), t.opsUsed());
            assertTrue(t.tractOps().isEmpty());
            NnefParser.parse(text, "linear_2d"); // the printed text reads back
        }
    }

    @Test
    void numericNamesAreShortAndDeterministic() throws Exception {
        TranslationOptions numeric =
                new TranslationOptions(NamingScheme.NUMERIC, false, List.of(), List.of("y"));
        try (OpModel m = OpModel.open("linear_2d", "input=f32[4,5]", "linear=f32[4,3]")) {
            String first = text(translate(m, numeric));
            assertTrue(
                    first.contains("v0 = variable<scalar>(shape = [3, 5], label = 'v0');"), first);
            assertTrue(first.contains("v1 = variable<scalar>(shape = [3], label = 'v1');"), first);
            assertTrue(first.contains("y = linear(input, v0, t0);"), first);
            assertTrue(first.contains("graph network(input) -> (y)"), first);
            assertEquals(first, text(translate(m, numeric)));
        }
    }

    @Test
    void sizeArithmeticIsFoldedAndShapesBecomeAttributes() throws Exception {
        // shapes: x[2,3,4] -> transpose(1,2)[2,4,3] -> flatten(1)[2,12] -> view(2,-1,2)[2,6,2]
        //         -> permute(2,0,1)[2,2,6] -> unsqueeze(0)[1,2,2,6] -> squeeze(0)[2,2,6] ->
        // reshape(2,-1)[2,12]
        try (OpModel m =
                OpModel.open(
                        "shapes",
                        "x=f32[2,3,4]",
                        "transpose=f32[2,4,3]",
                        "_0=f32[2,4,3]",
                        "_1=f32[2,12]",
                        "view=f32[2,6,2]",
                        "_3=f32[2,2,6]",
                        "unsqueeze=f32[1,2,2,6]",
                        "_4=f32[2,2,6]",
                        "reshape=f32[2,12]",
                        "_2=i64[]")) {
            String text = text(translate(m));
            assertTrue(text.contains("transpose = transpose(x, axes = [0, 2, 1]);"), text);
            assertTrue(
                    text.contains(
                            "reshape(transpose, shape = [-1], axis_start = 1, axis_count = 2);"),
                    text);
            assertTrue(text.contains("view = reshape(flatten, shape = [2, 6, 2]);"), text);
            assertTrue(text.contains("transpose(view, axes = [2, 0, 1]);"), text);
            assertTrue(text.contains("unsqueeze = unsqueeze(permute, axes = [0]);"), text);
            assertTrue(text.contains("squeeze(unsqueeze, axes = [0]);"), text);
            assertTrue(text.contains("reshape = reshape(squeeze, shape = [2, 12]);"), text);
            // size/NumToTensor/Int/ListConstruct are known at export time: nothing exported for
            // them
            assertFalse(text.contains("size"), text);
            assertTrue(translate(m).model().tensors().isEmpty());
        }
    }

    @Test
    void dynamicAxesBecomeTractSymbolsAndShapeExpressions() throws Exception {
        try (OpModel m =
                OpModel.open(
                        "shapes",
                        "x=f32[2,S,4]",
                        "transpose=f32[2,4,S]",
                        "_0=f32[2,4,S]",
                        "_1=f32[2,4*S]",
                        "view=f32[2,2*S,2]",
                        "_3=f32[2,2,2*S]",
                        "unsqueeze=f32[1,2,2,2*S]",
                        "_4=f32[2,2,2*S]",
                        "reshape=f32[2,4*S]",
                        "_2=i64[]")) {
            Translation t = translate(m);
            String text = text(t);
            assertTrue(text.startsWith("version 1.0;\n\nextension tract_symbol S;\n"), text);
            assertTrue(text.contains("x = external<scalar>(shape = [2, S, 4]);"), text);
            // sizes over S are read from x's shape while tract loads, so that concrete input
            // facts (which leave S unbound) load too
            assertTrue(text.contains("x_shape = tract_core_shape_of(x);"), text);
            assertTrue(
                    text.contains(
                            "size_S_slice = slice(x_shape, axes = [0], begin = [1], end = [2]);\n"
                                    + "    size_S = squeeze(size_S_slice, axes = [0]);"),
                    text);
            assertTrue(text.contains("view = reshape(flatten, shape = [2, 2 * size_S, 2]);"), text);
            assertTrue(text.contains("reshape = reshape(squeeze, shape = [2, 4 * size_S]);"), text);
            assertEquals(Set.of("S"), t.symbols());
            assertEquals("[x: float32[2,S,4]]", t.inputs().toString());

            // before tract 0.21.2 a computed size is no constant to tract: symbols are written
            TranslationOptions old =
                    new TranslationOptions(
                            NamingScheme.NATURAL_VERBOSE,
                            false,
                            List.of(),
                            List.of(),
                            new TractTarget(0, 21, 1));
            String oldText = text(translate(m, old));
            assertTrue(
                    oldText.contains("view = reshape(flatten, shape = [2, 2 * S, 2]);"), oldText);
            assertFalse(oldText.contains("tract_core_shape_of"), oldText);

            TranslationOptions strict =
                    new TranslationOptions(
                            NamingScheme.NATURAL_VERBOSE, true, List.of(), List.of());
            ExportException e = assertThrows(ExportException.class, () -> translate(m, strict));
            assertTrue(e.getMessage().contains("tract_symbol S"), e.getMessage());
        }
    }

    @Test
    void everyUnsupportedOpIsListedWithModuleAndLine() throws Exception {
        // the mul feeding erfinv is typed: arithmetic computes in its output's dtype
        try (OpModel m = OpModel.open("unsupported", "x=f32[2,3]", "mul=f32[2,3]")) {
            UnsupportedOpsException e =
                    assertThrows(UnsupportedOpsException.class, () -> translate(m));
            assertEquals(2, e.problems().size(), e.getMessage());
            OpProblem erfinv = e.problems().get(0);
            OpProblem cumsum = e.problems().get(1);
            assertEquals("aten::erfinv", erfinv.kind());
            assertTrue(erfinv.module().startsWith("a ("), erfinv.module());
            assertTrue(erfinv.location().contains("make_op_models.py:"), erfinv.location());
            assertEquals("aten::cumsum", cumsum.kind());
            assertTrue(cumsum.module().startsWith("b ("), cumsum.module());
            assertTrue(
                    e.getMessage()
                            .startsWith(
                                    "2 nodes cannot be exported to NNEF:\n  aten::erfinv in a ("),
                    e.getMessage());
            // the add and relu after them are not reported: their inputs failed first
            assertFalse(e.getMessage().contains("aten::relu"), e.getMessage());
        }
    }

    @Test
    void strictModeNamesTheExtension() throws Exception {
        TranslationOptions strict =
                new TranslationOptions(NamingScheme.NATURAL_VERBOSE, true, List.of(), List.of());
        try (OpModel m = OpModel.open("gelu_exact", "x=f32[2,8]", "gelu=f32[2,8]")) {
            UnsupportedOpsException e =
                    assertThrows(UnsupportedOpsException.class, () -> translate(m, strict));
            assertEquals("aten::gelu", e.problems().get(0).kind());
            assertTrue(e.problems().get(0).reason().contains("tract_core_erf"), e.getMessage());
            assertTrue(e.problems().get(0).reason().contains("--nnef-spec-strict"), e.getMessage());

            Translation t = translate(m);
            assertEquals(Set.of("tract_core_erf"), t.tractOps());
            assertTrue(text(t).contains("extension tract_registry tract_core;"), text(t));
            assertTrue(text(t).contains("fragment t2n_gelu_erf"), text(t));
        }
    }

    @Test
    void aliasedRepeatedAndInputOutputsAreCopiesUnderTheirNames() throws Exception {
        // copies are identity transposes: tract declares NNEF's copy but has no implementation
        // traced (dropout(relu(x)), relu(x), x): eval dropout returns its input, so the trace
        // returns
        // the dropout value twice
        try (OpModel m =
                OpModel.open(
                        "aliased_outputs", "x=f32[2,3]", "input=f32[2,3]", "dropout=f32[2,3]")) {
            String text = text(translate(m));
            assertTrue(text.contains("graph network(x) -> (dropout, dropout_1, x_1)"), text);
            assertTrue(
                    text.contains(
                            "relu = relu(x);\n    dropout = transpose(relu, axes = [0, 1]);\n"
                                    + "    dropout_1 = transpose(relu, axes = [0, 1]);\n    x_1 = transpose(x, axes = [0, 1]);\n"),
                    text);

            TranslationOptions named =
                    new TranslationOptions(
                            NamingScheme.NATURAL_VERBOSE, false, List.of(), List.of("a", "b", "c"));
            assertTrue(text(translate(m, named)).contains("graph network(x) -> (a, b, c)"));
            TranslationOptions clash =
                    new TranslationOptions(
                            NamingScheme.NATURAL_VERBOSE, false, List.of(), List.of("a", "b", "x"));
            ExportException e = assertThrows(ExportException.class, () -> translate(m, clash));
            assertEquals(
                    "output name 'x' is already taken by an input or a tract symbol",
                    e.getMessage());
        }
    }

    @Test
    void untypedInputsAreAnError() throws Exception {
        try (OpModel m = OpModel.open("linear_2d")) {
            ExportException e = assertThrows(ExportException.class, () -> translate(m));
            assertTrue(
                    e.getMessage().startsWith("model input input: Tensor has no shape and dtype"),
                    e.getMessage());
        }
    }

    @Test
    void badOutputNamesAreRefused() throws Exception {
        try (OpModel m = OpModel.open("linear_2d", "input=f32[4,5]", "linear=f32[4,3]")) {
            for (List<String> names :
                    List.of(List.of("a", "b"), List.of("true_value"), List.of("1x"))) {
                TranslationOptions o =
                        new TranslationOptions(NamingScheme.NUMERIC, false, List.of(), names);
                assertThrows(ExportException.class, () -> translate(m, o), names.toString());
            }
        }
    }

    @Test
    void allocatedIdentifiersAreValid() {
        IdentifierAllocator a = new IdentifierAllocator();
        a.reserve("S");
        for (String hint :
                List.of("S", "inf_scale", "true", "graph", "3x", "a.b-c", "", "x", "x")) {
            String id = a.allocate(hint);
            assertTrue(Identifiers.isValid(id), hint + " -> " + id);
        }
        IdentifierAllocator b = new IdentifierAllocator();
        b.reserve("S");
        assertEquals("S_1", b.allocate("S"));
        assertEquals("t_inf_scale", b.allocate("inf_scale"));
        assertEquals("a_b_c", b.allocate("a.b-c"));
        assertEquals("x", b.allocate("x"));
        assertEquals("x_1", b.allocate("x"));
    }
}
