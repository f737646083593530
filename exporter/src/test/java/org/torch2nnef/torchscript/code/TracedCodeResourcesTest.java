package org.torch2nnef.torchscript.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Parses the code torch 1.13 wrote for the models of generate_code_examples.py. */
class TracedCodeResourcesTest {

    /**
     * The only files holding scripted control flow: Scripted.forward and scripted
     * F.dropout/F.hardtanh.
     */
    private static final Set<String> SCRIPTED_FILES =
            Set.of(
                    "scripted/code/__torch__.py",
                    "scripted_parts/code/__torch__/torch/nn/functional.py");

    private static Stmt.Assign assign(List<Stmt> body, String target) {
        return body.stream()
                .filter(
                        s ->
                                s instanceof Stmt.Assign a
                                        && a.targets().stream()
                                                .anyMatch(n -> n.id().equals(target)))
                .map(Stmt.Assign.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + target));
    }

    private static Expr.Call call(List<Stmt> body, String target) {
        return assertInstanceOf(Expr.Call.class, assign(body, target).value());
    }

    private static List<Stmt> forward(String model, String codePath, String className) {
        return CodeResources.parse(model, codePath)
                .classNamed(className)
                .orElseThrow()
                .method("forward")
                .orElseThrow()
                .body();
    }

    @Test
    void everyCodeFileParsesExceptTheScriptedOnes() throws IOException {
        List<String> parsed = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (String model : CodeResources.models()) {
            for (String codePath : CodeResources.codePaths(model)) {
                String id = model + "/" + codePath;
                try {
                    ScriptFile file = CodeResources.parse(model, codePath);
                    assertTrue(!file.classes().isEmpty() || !file.functions().isEmpty(), id);
                    for (ClassDef cls : file.classes()) {
                        assertTrue(cls.method("forward").isPresent(), id + " " + cls.name());
                    }
                    parsed.add(id);
                } catch (TorchScriptSyntaxException e) {
                    assertTrue(e.scripted(), id + ": " + e.getMessage());
                    refused.add(id);
                }
            }
        }
        // 97 files in 9 model folders, as generate_code_examples.py writes them
        assertEquals(97, parsed.size() + refused.size());
        assertEquals(SCRIPTED_FILES, Set.copyOf(refused));
    }

    @Test
    void scriptedForwardIsRefusedAtItsIfLine() {
        TorchScriptSyntaxException e =
                assertThrows(
                        TorchScriptSyntaxException.class,
                        () -> CodeResources.parse("scripted", "code/__torch__.py"));
        assertTrue(e.scripted());
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "code/__torch__.py:9: found control flow ('if'): the model appears"
                                        + " to be scripted"),
                e.getMessage());
        TorchScriptSyntaxException functional =
                assertThrows(
                        TorchScriptSyntaxException.class,
                        () ->
                                CodeResources.parse(
                                        "scripted_parts", "code/__torch__/torch/nn/functional.py"));
        assertTrue(
                functional
                        .getMessage()
                        .startsWith("code/__torch__/torch/nn/functional.py:6: found control flow"),
                functional.getMessage());
    }

    @Test
    void convNetForwardReadsAsWritten() {
        ScriptFile file = CodeResources.parse("convnet", "code/__torch__.py");
        assertEquals(List.of("ConvNet"), file.classes().stream().map(ClassDef::name).toList());
        ClassDef net = file.classNamed("ConvNet").orElseThrow();
        assertEquals(
                "__torch__.torch.nn.modules.container.Sequential",
                net.attribute("features").orElseThrow().type().annotation());
        FunctionDef forward = net.method("forward").orElseThrow();
        assertEquals(
                "__torch__.ConvNet", forward.params().get(0).type().orElseThrow().annotation());
        assertEquals(new SourcePos("code/__torch__.py", 8, 3, 235), forward.pos());
        List<String> targets =
                forward.body().stream()
                        .filter(Stmt.Assign.class::isInstance)
                        .map(s -> ((Stmt.Assign) s).target().id())
                        .toList();
        assertEquals(List.of("fc", "features", "_0", "_1", "input", "_2"), targets);
        // input = torch.view(_0, [int(_1), -1])
        Expr.Call view = call(forward.body(), "input");
        assertEquals(Optional.of("torch.view"), view.functionName());
        Expr.ListExpr shape = assertInstanceOf(Expr.ListExpr.class, view.args().get(1));
        assertEquals(
                Optional.of("int"),
                assertInstanceOf(Expr.Call.class, shape.elements().get(0)).functionName());
        assertEquals(-1, assertInstanceOf(Expr.IntLiteral.class, shape.elements().get(1)).value());
        Stmt.Return ret =
                assertInstanceOf(Stmt.Return.class, forward.body().get(forward.body().size() - 1));
        assertEquals(Optional.of("_2"), ret.value().orElseThrow().dottedName());

        ClassDef sequential =
                CodeResources.parse("convnet", "code/__torch__/torch/nn/modules/container.py")
                        .classNamed("Sequential")
                        .orElseThrow();
        assertEquals(
                List.of("0", "1", "2", "3", "4"),
                sequential.attributes().stream()
                        .filter(ClassDef.Attribute::viaAnnotations)
                        .map(ClassDef.Attribute::name)
                        .toList());
        Expr.Call getattr = call(sequential.method("forward").orElseThrow().body(), "_4");
        assertEquals(Optional.of("getattr"), getattr.functionName());
        assertEquals(
                "4", assertInstanceOf(Expr.StringLiteral.class, getattr.args().get(1)).value());

        ClassDef batchNorm =
                CodeResources.parse("convnet", "code/__torch__/torch/nn/modules/batchnorm.py")
                        .classNamed("BatchNorm2d")
                        .orElseThrow();
        assertEquals(List.of("weight", "bias"), batchNorm.parameters());
        assertEquals(
                List.of("running_mean", "running_var", "num_batches_tracked"), batchNorm.buffers());
        Expr.Call bn = call(batchNorm.method("forward").orElseThrow().body(), "input");
        assertEquals(
                0.10000000000000001,
                assertInstanceOf(Expr.FloatLiteral.class, bn.args().get(6)).value());
        assertEquals(
                1.0000000000000001e-05,
                assertInstanceOf(Expr.FloatLiteral.class, bn.args().get(7)).value());
    }

    @Test
    void shapeOpsLiterals() {
        List<Stmt> body = forward("shape_ops", "code/__torch__.py", "ShapeOps");
        Stmt.Assign chunk = assign(body, "a");
        assertTrue(chunk.unpack());
        assertEquals(List.of("a", "b"), chunk.targets().stream().map(Expr.Name::id).toList());
        assertEquals(
                Optional.of("torch.chunk"),
                assertInstanceOf(Expr.Call.class, chunk.value()).functionName());
        assertEquals(
                List.of("p", "q", "r"),
                assign(body, "p").targets().stream().map(Expr.Name::id).toList());
        assertEquals(Optional.of("CONSTANTS.c0"), call(body, "n").args().get(1).dottedName());
        Expr.Call slice = call(body, "_6");
        assertEquals(
                Long.MAX_VALUE,
                assertInstanceOf(Expr.IntLiteral.class, slice.args().get(3)).value());
        assertEquals(
                Double.NEGATIVE_INFINITY,
                assertInstanceOf(Expr.FloatLiteral.class, call(body, "_9").args().get(2)).value());
        assertEquals(
                -1.0000000000000001e-05,
                assertInstanceOf(Expr.FloatLiteral.class, call(body, "m").args().get(1)).value());
        Expr.Call fullLike = call(body, "_11");
        assertTrue(
                Double.isNaN(
                        assertInstanceOf(Expr.FloatLiteral.class, fullLike.args().get(1)).value()));
        assertEquals(
                0,
                assertInstanceOf(Expr.IntLiteral.class, fullLike.keyword("layout").orElseThrow())
                        .value());
        Expr.Call device =
                assertInstanceOf(Expr.Call.class, fullLike.keyword("device").orElseThrow());
        assertEquals(Optional.of("torch.device"), device.functionName());
        assertEquals(
                6, assertInstanceOf(Expr.IntLiteral.class, call(body, "s0").args().get(1)).value());
    }

    @Test
    void stringKeywordAndFloatListArguments() {
        List<Stmt> body = forward("literals", "code/__torch__.py", "Literals");
        assertEquals(
                "floor",
                assertInstanceOf(
                                Expr.StringLiteral.class,
                                call(body, "_1").keyword("rounding_mode").orElseThrow())
                        .value());
        assertEquals(
                "bij,bjk->bik",
                assertInstanceOf(Expr.StringLiteral.class, call(body, "_2").args().get(0)).value());
        Expr.ListExpr scales =
                assertInstanceOf(Expr.ListExpr.class, call(body, "_3").args().get(3));
        assertEquals(
                2.0, assertInstanceOf(Expr.FloatLiteral.class, scales.elements().get(0)).value());
        assertEquals(
                7,
                assertInstanceOf(
                                Expr.IntLiteral.class,
                                call(body, "_7").keyword("dtype").orElseThrow())
                        .value());
        Stmt.Return ret = assertInstanceOf(Stmt.Return.class, body.get(body.size() - 1));
        assertEquals(Optional.of("_9"), ret.value().orElseThrow().dottedName());
        assertEquals(
                9,
                assertInstanceOf(Expr.TupleExpr.class, assign(body, "_9").value())
                        .elements()
                        .size());
    }

    @Test
    void recurrentTupleParameterIsUnpacked() {
        ScriptFile file = CodeResources.parse("recurrent", "code/__torch__.py");
        FunctionDef forward =
                file.classNamed("Recurrent").orElseThrow().method("forward").orElseThrow();
        assertEquals(
                "Tuple[Tensor, Tensor]", forward.params().get(2).type().orElseThrow().annotation());
        assertEquals(
                "Tuple[Tensor, Tensor, Tensor, Tensor]",
                forward.returnType().orElseThrow().annotation());
        Stmt.Assign unpackH0 = assign(forward.body(), "hx");
        assertTrue(unpackH0.unpack());
        assertEquals(Optional.of("h0"), unpackH0.value().dottedName());
        List<Stmt> lstm = forward("recurrent", "code/__torch__/torch/nn/modules/rnn.py", "LSTM");
        Expr.Call call = call(lstm, "out");
        assertEquals(Optional.of("torch.lstm"), call.functionName());
        assertEquals(0.0, assertInstanceOf(Expr.FloatLiteral.class, call.args().get(5)).value());
        assertTrue(assertInstanceOf(Expr.BoolLiteral.class, call.args().get(3)).value());
    }

    @Test
    void annotatedListsInIndexing() {
        List<Stmt> body = forward("indexing", "code/__torch__.py", "Indexing");
        Expr.Annotate empty = assertInstanceOf(Expr.Annotate.class, call(body, "_0").args().get(1));
        assertEquals("List[int]", empty.type().annotation());
        Expr.Annotate indices = assertInstanceOf(Expr.Annotate.class, assign(body, "_2").value());
        assertEquals("List[Optional[Tensor]]", indices.type().annotation());
        Expr.ListExpr list = assertInstanceOf(Expr.ListExpr.class, indices.value());
        assertInstanceOf(Expr.NoneLiteral.class, list.elements().get(0));
    }

    @Test
    void scriptedPartsCarryConstantsAndTopLevelFunctions() {
        ClassDef dropout =
                CodeResources.parse("scripted_parts", "code/__torch__/torch/nn/modules/dropout.py")
                        .classNamed("Dropout")
                        .orElseThrow();
        assertEquals(
                "NoneType",
                dropout.attribute("_is_full_backward_hook").orElseThrow().type().annotation());
        ClassDef.Constant p = dropout.constant("p").orElseThrow();
        assertEquals("float", p.type().orElseThrow().annotation());
        assertEquals(
                0.29999999999999999, assertInstanceOf(Expr.FloatLiteral.class, p.value()).value());
        // _1 = _0(input, 0.29999999999999999, training, False, ) calls a function held in a local
        Expr.Call viaLocal = call(dropout.method("forward").orElseThrow().body(), "_1");
        assertEquals(Optional.of("_0"), viaLocal.functionName());

        ScriptFile root = CodeResources.parse("scripted_parts", "code/__torch__.py");
        FunctionDef helper = root.function("scripted_helper").orElseThrow();
        assertEquals(
                2,
                assertInstanceOf(
                                Expr.IntLiteral.class,
                                helper.params().get(1).defaultValue().orElseThrow())
                        .value());
        List<Stmt> forward =
                root.classNamed("WithScriptedParts")
                        .orElseThrow()
                        .method("forward")
                        .orElseThrow()
                        .body();
        assertEquals(Optional.of("__torch__.scripted_helper"), call(forward, "_0").functionName());
    }
}
