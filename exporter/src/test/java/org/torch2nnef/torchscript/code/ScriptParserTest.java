package org.torch2nnef.torchscript.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** AST shapes for each construct, on snippets written the way TorchScript's printer writes them. */
class ScriptParserTest {

    private static final String FILE = "code/__torch__.py";

    private static ScriptFile parse(String source) {
        return ScriptParser.parse(FILE, source);
    }

    /** Parses {@code lines} as the body of {@code def f(self, x: Tensor) -> Tensor:}. */
    private static List<Stmt> body(String... lines) {
        StringBuilder source =
                new StringBuilder("def f(self: __torch__.M,\n    x: Tensor) -> Tensor:\n");
        for (String line : lines) {
            source.append("  ").append(line).append('\n');
        }
        return parse(source.toString()).functions().get(0).body();
    }

    /** The value of the single statement {@code _0 = <expression>}. */
    private static Expr expr(String expression) {
        Stmt.Assign assign = (Stmt.Assign) body("_0 = " + expression).get(0);
        return assign.value();
    }

    private static TypeExpr type(String annotation) {
        return parse("def f(x: " + annotation + ") -> None:\n  pass\n")
                .functions()
                .get(0)
                .params()
                .get(0)
                .type()
                .orElseThrow();
    }

    private static TorchScriptSyntaxException error(String source) {
        return assertThrows(TorchScriptSyntaxException.class, () -> parse(source));
    }

    private static TorchScriptSyntaxException bodyError(String... lines) {
        return assertThrows(TorchScriptSyntaxException.class, () -> body(lines));
    }

    private static long intValue(Expr expr) {
        return assertInstanceOf(Expr.IntLiteral.class, expr).value();
    }

    private static double floatValue(Expr expr) {
        return assertInstanceOf(Expr.FloatLiteral.class, expr).value();
    }

    private static String name(Expr expr) {
        return assertInstanceOf(Expr.Name.class, expr).id();
    }

    @Test
    void classHeaderListsAttributesAndMethods() {
        ScriptFile file =
                parse(
                        """
                import __torch__.torch.nn.modules.conv
                from typing import List
                class Net(Module):
                  __parameters__ = ["weight", "bias", ]
                  __buffers__ = ["running_mean", ]
                  __forward_pre_hooks__ = ["pre", ]
                  weight : Tensor
                  bias : Optional[Tensor]
                  training : bool
                  conv : __torch__.torch.nn.modules.conv.___torch_mangle_3.Conv1d
                  __annotations__ = []
                  __annotations__["0"] = __torch__.torch.nn.modules.linear.Linear
                  inplace : Final[bool] = False
                  p : Final[float] = 0.29999999999999999
                  def forward(self: __torch__.Net,
                    x: Tensor) -> Tensor:
                    return x
                  def pre(self: __torch__.Net, input: Tuple[Tensor]) -> None:
                    pass
                class Point(NamedTuple):
                  x : Tensor
                class Plain:
                  pass
                """);
        assertEquals(3, file.classes().size());
        ClassDef net = file.classes().get(0);
        assertEquals("Net", net.name());
        assertEquals(Optional.of("Module"), net.base());
        assertEquals(List.of("weight", "bias"), net.parameters());
        assertEquals(List.of("running_mean"), net.buffers());
        assertEquals(List.of("pre"), net.forwardPreHooks());
        assertEquals(List.of(), net.forwardHooks());
        assertEquals(
                List.of("weight", "bias", "training", "conv", "0"),
                net.attributes().stream().map(ClassDef.Attribute::name).toList());
        assertEquals("Optional[Tensor]", net.attribute("bias").orElseThrow().type().annotation());
        TypeExpr.ClassType conv =
                assertInstanceOf(
                        TypeExpr.ClassType.class, net.attribute("conv").orElseThrow().type());
        assertEquals(
                QualifiedName.parse("__torch__.torch.nn.modules.conv.___torch_mangle_3.Conv1d"),
                conv.name());
        ClassDef.Attribute zero = net.attribute("0").orElseThrow();
        assertTrue(zero.viaAnnotations());
        assertFalse(net.attribute("conv").orElseThrow().viaAnnotations());
        assertEquals("__torch__.torch.nn.modules.linear.Linear", zero.type().annotation());
        assertEquals(new SourcePos(FILE, 12, 19, 362), zero.pos());

        ClassDef.Constant p = net.constant("p").orElseThrow();
        assertEquals("float", p.type().orElseThrow().annotation());
        assertEquals(0.29999999999999999, floatValue(p.value()));
        assertEquals(
                false,
                assertInstanceOf(
                                Expr.BoolLiteral.class,
                                net.constant("inplace").orElseThrow().value())
                        .value());

        assertEquals(
                List.of("forward", "pre"), net.methods().stream().map(FunctionDef::name).toList());
        assertEquals(new SourcePos(FILE, 3, 1, 63), net.pos());
        assertEquals(Optional.of("NamedTuple"), file.classes().get(1).base());
        assertEquals(Optional.empty(), file.classes().get(2).base());
        assertTrue(file.functions().isEmpty());
    }

    @Test
    void functionParametersAnnotationsAndDefaults() {
        ScriptFile file =
                parse(
                        """
                def scripted_helper(x: Tensor,
                    k: int=2,
                    eps: float=1e-05,
                    mode: str="bilinear",
                    out: Optional[Tensor]=None) -> Tuple[Tensor, int]:
                  return (x, k)
                def untyped(self):
                  pass
                """);
        FunctionDef f = file.function("scripted_helper").orElseThrow();
        assertEquals(
                List.of("x", "k", "eps", "mode", "out"),
                f.params().stream().map(FunctionDef.Param::name).toList());
        assertEquals("Tensor", f.params().get(0).type().orElseThrow().annotation());
        assertEquals(Optional.empty(), f.params().get(0).defaultValue());
        assertEquals(2, intValue(f.params().get(1).defaultValue().orElseThrow()));
        assertEquals(1e-05, floatValue(f.params().get(2).defaultValue().orElseThrow()));
        assertEquals(
                "bilinear",
                assertInstanceOf(
                                Expr.StringLiteral.class,
                                f.params().get(3).defaultValue().orElseThrow())
                        .value());
        assertInstanceOf(Expr.NoneLiteral.class, f.params().get(4).defaultValue().orElseThrow());
        assertEquals("Tuple[Tensor, int]", f.returnType().orElseThrow().annotation());
        assertEquals(new SourcePos(FILE, 2, 5, 35), f.params().get(1).pos());
        FunctionDef untyped = file.function("untyped").orElseThrow();
        assertEquals(Optional.empty(), untyped.params().get(0).type());
        assertEquals(Optional.empty(), untyped.returnType());
        assertInstanceOf(Stmt.Pass.class, untyped.body().get(0));
    }

    @Test
    void plainAndUnpackingAssignments() {
        List<Stmt> stmts =
                body(
                        "fc = self.fc",
                        "a, b, = _0",
                        "o, h, _3 = torch.lstm(x)",
                        "c, = _1",
                        "(d, e) = _2",
                        "y : Tensor = x");
        Stmt.Assign plain = (Stmt.Assign) stmts.get(0);
        assertFalse(plain.unpack());
        assertEquals("fc", plain.target().id());
        assertEquals(Optional.of("self.fc"), plain.value().dottedName());
        assertEquals(new SourcePos(FILE, 3, 3, 53), plain.pos());

        Stmt.Assign ab = (Stmt.Assign) stmts.get(1);
        assertTrue(ab.unpack());
        assertEquals(List.of("a", "b"), ab.targets().stream().map(Expr.Name::id).toList());
        assertEquals("_0", name(ab.value()));

        Stmt.Assign lstm = (Stmt.Assign) stmts.get(2);
        assertEquals(List.of("o", "h", "_3"), lstm.targets().stream().map(Expr.Name::id).toList());
        assertTrue(lstm.unpack());

        Stmt.Assign single = (Stmt.Assign) stmts.get(3);
        assertTrue(single.unpack());
        assertEquals(List.of("c"), single.targets().stream().map(Expr.Name::id).toList());

        Stmt.Assign parenthesized = (Stmt.Assign) stmts.get(4);
        assertTrue(parenthesized.unpack());
        assertEquals(
                List.of("d", "e"), parenthesized.targets().stream().map(Expr.Name::id).toList());

        Stmt.Assign annotated = (Stmt.Assign) stmts.get(5);
        assertEquals("Tensor", annotated.annotation().orElseThrow().annotation());
        assertEquals("y", annotated.target().id());
    }

    @Test
    void returnsExpressionStatementsAndPass() {
        List<Stmt> stmts = body("torch.add_(x, x)", "pass", "return (_8, _9, torch.detach(_11))");
        Stmt.ExprStmt call = assertInstanceOf(Stmt.ExprStmt.class, stmts.get(0));
        assertEquals(
                Optional.of("torch.add_"),
                assertInstanceOf(Expr.Call.class, call.expr()).functionName());
        assertInstanceOf(Stmt.Pass.class, stmts.get(1));
        Stmt.Return ret = assertInstanceOf(Stmt.Return.class, stmts.get(2));
        Expr.TupleExpr tuple = assertInstanceOf(Expr.TupleExpr.class, ret.value().orElseThrow());
        assertEquals(3, tuple.elements().size());

        Expr bare = ((Stmt.Return) body("return a, b").get(0)).value().orElseThrow();
        assertEquals(2, assertInstanceOf(Expr.TupleExpr.class, bare).elements().size());
        assertEquals(Optional.empty(), ((Stmt.Return) body("return").get(0)).value());
    }

    @Test
    void callsWithPositionalAndKeywordArguments() {
        Expr.Call zeros =
                assertInstanceOf(
                        Expr.Call.class,
                        expr(
                                "torch.zeros([2], dtype=6, layout=None, device=torch.device(\"cpu\"), pin_memory=False)"));
        assertEquals(Optional.of("torch.zeros"), zeros.functionName());
        assertEquals(1, zeros.args().size());
        assertEquals(
                List.of(2L),
                assertInstanceOf(Expr.ListExpr.class, zeros.args().get(0)).elements().stream()
                        .map(ScriptParserTest::intValue)
                        .toList());
        assertEquals(
                List.of("dtype", "layout", "device", "pin_memory"),
                zeros.keywords().stream().map(Expr.KeywordArg::name).toList());
        assertEquals(6, intValue(zeros.keyword("dtype").orElseThrow()));
        assertInstanceOf(Expr.NoneLiteral.class, zeros.keyword("layout").orElseThrow());
        Expr.Call device = assertInstanceOf(Expr.Call.class, zeros.keyword("device").orElseThrow());
        assertEquals(
                "cpu", assertInstanceOf(Expr.StringLiteral.class, device.args().get(0)).value());
        assertEquals(new SourcePos(FILE, 3, 8, 58), zeros.pos());

        // method call on a parenthesized module value, with the printer's trailing comma
        Expr.Call forward = assertInstanceOf(Expr.Call.class, expr("(conv).forward(x, )"));
        Expr.Attribute callee = assertInstanceOf(Expr.Attribute.class, forward.function());
        assertEquals("forward", callee.attr());
        assertEquals("conv", name(callee.value()));
        assertEquals(List.of("x"), forward.args().stream().map(ScriptParserTest::name).toList());

        Expr.Call getattr = assertInstanceOf(Expr.Call.class, expr("getattr(self, \"0\")"));
        assertEquals(Optional.of("getattr"), getattr.functionName());
        assertEquals(
                "0", assertInstanceOf(Expr.StringLiteral.class, getattr.args().get(1)).value());

        Expr.Call numToTensor =
                assertInstanceOf(Expr.Call.class, expr("ops.prim.NumToTensor(torch.size(x, 0))"));
        assertEquals(Optional.of("ops.prim.NumToTensor"), numToTensor.functionName());
        Expr.Call asInt = assertInstanceOf(Expr.Call.class, expr("int(_1)"));
        assertEquals(Optional.of("int"), asInt.functionName());
        Expr.Call helper =
                assertInstanceOf(Expr.Call.class, expr("__torch__.scripted_helper(x, 2, )"));
        assertEquals(Optional.of("__torch__.scripted_helper"), helper.functionName());
    }

    @Test
    void attributesSubscriptsAndSlices() {
        assertEquals(
                Optional.of("torch.nn.functional.relu"),
                expr("torch.nn.functional.relu").dottedName());
        assertEquals(Optional.of("CONSTANTS.c0"), expr("CONSTANTS.c0").dottedName());
        assertEquals(Optional.empty(), expr("f(x).y").dottedName());

        Expr.Subscript index = assertInstanceOf(Expr.Subscript.class, expr("x[0]"));
        assertEquals("x", name(index.value()));
        assertEquals(0, intValue(index.index()));

        Expr.Subscript tupleItem = assertInstanceOf(Expr.Subscript.class, expr("(_0)[1]"));
        assertEquals("_0", name(tupleItem.value()));

        Expr.Subscript slice = assertInstanceOf(Expr.Subscript.class, expr("(t)[1:3]"));
        Expr.Slice s = assertInstanceOf(Expr.Slice.class, slice.index());
        assertEquals(1, intValue(s.lower().orElseThrow()));
        assertEquals(3, intValue(s.upper().orElseThrow()));
        assertEquals(Optional.empty(), s.step());

        Expr.Subscript multi = assertInstanceOf(Expr.Subscript.class, expr("x[:, ::2, -1]"));
        Expr.TupleExpr parts = assertInstanceOf(Expr.TupleExpr.class, multi.index());
        Expr.Slice all = assertInstanceOf(Expr.Slice.class, parts.elements().get(0));
        assertEquals(Optional.empty(), all.lower());
        assertEquals(Optional.empty(), all.upper());
        Expr.Slice stepped = assertInstanceOf(Expr.Slice.class, parts.elements().get(1));
        assertEquals(2, intValue(stepped.step().orElseThrow()));
        assertEquals(-1, intValue(parts.elements().get(2)));
    }

    @Test
    void listTupleAndDictLiterals() {
        assertEquals(
                3, assertInstanceOf(Expr.ListExpr.class, expr("[a, b, c, ]")).elements().size());
        assertEquals(0, assertInstanceOf(Expr.ListExpr.class, expr("[]")).elements().size());
        assertEquals(0, assertInstanceOf(Expr.TupleExpr.class, expr("()")).elements().size());
        assertEquals(1, assertInstanceOf(Expr.TupleExpr.class, expr("(a,)")).elements().size());
        assertEquals("a", name(expr("(a)")));
        Expr.DictExpr dict =
                assertInstanceOf(Expr.DictExpr.class, expr("{\"out\": x, \"aux\": y}"));
        assertEquals(
                List.of("out", "aux"),
                dict.entries().stream()
                        .map(e -> assertInstanceOf(Expr.StringLiteral.class, e.key()).value())
                        .toList());
        assertEquals(0, assertInstanceOf(Expr.DictExpr.class, expr("{}")).entries().size());
    }

    @Test
    void literals() {
        assertEquals(9223372036854775807L, intValue(expr("9223372036854775807")));
        assertEquals(Long.MIN_VALUE, intValue(expr("-9223372036854775808")));
        assertEquals(-1, intValue(expr("-1")));
        assertEquals(0.0, floatValue(expr("0.")));
        assertEquals(1e-05, floatValue(expr("1e-05")));
        assertEquals(1.0000000000000001e-05, floatValue(expr("1.0000000000000001e-05")));
        assertEquals(-2.0, floatValue(expr("-2.")));
        assertEquals(1e10, floatValue(expr("1e+10")));
        assertEquals(Double.POSITIVE_INFINITY, floatValue(expr("inf")));
        assertEquals(Double.NEGATIVE_INFINITY, floatValue(expr("-inf")));
        assertTrue(Double.isNaN(floatValue(expr("nan"))));
        assertTrue(assertInstanceOf(Expr.BoolLiteral.class, expr("True")).value());
        assertFalse(assertInstanceOf(Expr.BoolLiteral.class, expr("False")).value());
        assertInstanceOf(Expr.NoneLiteral.class, expr("None"));
        assertEquals(
                "dropout probability has to be between 0 and 1, but got {}",
                assertInstanceOf(
                                Expr.StringLiteral.class,
                                expr(
                                        "\"dropout probability has to be between 0 and 1, but got {}\""))
                        .value());
        assertEquals("ab", assertInstanceOf(Expr.StringLiteral.class, expr("'a' \"b\"")).value());
        // the folded literal starts at the minus sign
        assertEquals(new SourcePos(FILE, 3, 8, 58), expr("-1").pos());
    }

    @Test
    void unaryMinusOnlyFoldsIntoLiterals() {
        Expr.UnaryOp neg = assertInstanceOf(Expr.UnaryOp.class, expr("-x"));
        assertEquals(Expr.UnaryOperator.NEG, neg.op());
        assertEquals("x", name(neg.operand()));
        // -2 ** 2 is -(2 ** 2) in Python
        Expr.UnaryOp negPow = assertInstanceOf(Expr.UnaryOp.class, expr("-2 ** 2"));
        assertEquals(
                Expr.BinaryOperator.POW,
                assertInstanceOf(Expr.BinaryOp.class, negPow.operand()).op());
        Expr.BinaryOp powNeg = assertInstanceOf(Expr.BinaryOp.class, expr("2 ** -1"));
        assertEquals(-1, intValue(powNeg.right()));
        Expr.UnaryOp not = assertInstanceOf(Expr.UnaryOp.class, expr("not a"));
        assertEquals(Expr.UnaryOperator.NOT, not.op());
        assertEquals(
                Expr.UnaryOperator.INVERT, assertInstanceOf(Expr.UnaryOp.class, expr("~a")).op());
    }

    @Test
    void binaryOperatorsFollowPythonPrecedence() {
        // a + b * c - d  ==  (a + (b * c)) - d
        Expr.BinaryOp sub = assertInstanceOf(Expr.BinaryOp.class, expr("a + b * c - d"));
        assertEquals(Expr.BinaryOperator.SUB, sub.op());
        Expr.BinaryOp add = assertInstanceOf(Expr.BinaryOp.class, sub.left());
        assertEquals(Expr.BinaryOperator.ADD, add.op());
        assertEquals(
                Expr.BinaryOperator.MUL, assertInstanceOf(Expr.BinaryOp.class, add.right()).op());
        // x // 2 % 3 == 1 and not y or z  ==  (((x // 2) % 3 == 1) and (not y)) or z
        Expr.BinaryOp or =
                assertInstanceOf(Expr.BinaryOp.class, expr("x // 2 % 3 == 1 and not y or z"));
        assertEquals(Expr.BinaryOperator.OR, or.op());
        Expr.BinaryOp and = assertInstanceOf(Expr.BinaryOp.class, or.left());
        assertEquals(Expr.BinaryOperator.AND, and.op());
        Expr.BinaryOp eq = assertInstanceOf(Expr.BinaryOp.class, and.left());
        assertEquals(Expr.BinaryOperator.EQ, eq.op());
        Expr.BinaryOp mod = assertInstanceOf(Expr.BinaryOp.class, eq.left());
        assertEquals(Expr.BinaryOperator.MOD, mod.op());
        assertEquals(
                Expr.BinaryOperator.FLOOR_DIV,
                assertInstanceOf(Expr.BinaryOp.class, mod.left()).op());
        assertEquals(
                Expr.BinaryOperator.IS_NOT,
                assertInstanceOf(Expr.BinaryOp.class, expr("a is not None")).op());
        assertEquals(
                Expr.BinaryOperator.NOT_IN,
                assertInstanceOf(Expr.BinaryOp.class, expr("a not in b")).op());
        assertEquals(
                Expr.BinaryOperator.MATMUL,
                assertInstanceOf(Expr.BinaryOp.class, expr("a @ b")).op());
        assertEquals(
                Expr.BinaryOperator.LE, assertInstanceOf(Expr.BinaryOp.class, expr("a <= b")).op());
    }

    @Test
    void annotateKeepsItsType() {
        Expr.Annotate empty =
                assertInstanceOf(Expr.Annotate.class, expr("annotate(List[int], [])"));
        assertEquals("List[int]", empty.type().annotation());
        assertEquals(0, assertInstanceOf(Expr.ListExpr.class, empty.value()).elements().size());
        Expr.Annotate optional =
                assertInstanceOf(
                        Expr.Annotate.class, expr("annotate(List[Optional[Tensor]], [None, idx])"));
        TypeExpr.ListType list = assertInstanceOf(TypeExpr.ListType.class, optional.type());
        TypeExpr.OptionalType element =
                assertInstanceOf(TypeExpr.OptionalType.class, list.element());
        assertEquals(
                TypeExpr.Kind.TENSOR,
                assertInstanceOf(TypeExpr.Builtin.class, element.element()).kind());
    }

    @Test
    void typeExpressions() {
        assertEquals(
                TypeExpr.Kind.TENSOR,
                assertInstanceOf(TypeExpr.Builtin.class, type("Tensor")).kind());
        assertEquals(
                TypeExpr.Kind.NONE,
                assertInstanceOf(TypeExpr.Builtin.class, type("NoneType")).kind());
        assertEquals(
                TypeExpr.Kind.NONE, assertInstanceOf(TypeExpr.Builtin.class, type("None")).kind());
        for (String simple : List.of("int", "float", "bool", "str", "Device", "number", "Any")) {
            assertEquals(simple, type(simple).annotation());
        }
        TypeExpr.TupleType tuple =
                assertInstanceOf(TypeExpr.TupleType.class, type("Tuple[Tensor, List[int], float]"));
        assertEquals(3, tuple.elements().size());
        assertEquals(
                TypeExpr.Kind.INT,
                assertInstanceOf(
                                TypeExpr.Builtin.class,
                                assertInstanceOf(TypeExpr.ListType.class, tuple.elements().get(1))
                                        .element())
                        .kind());
        assertEquals(
                List.of(),
                assertInstanceOf(TypeExpr.TupleType.class, type("Tuple[()]")).elements());
        assertEquals("Tuple[()]", type("Tuple[()]").annotation());
        TypeExpr.DictType dict =
                assertInstanceOf(TypeExpr.DictType.class, type("Dict[str, Tensor]"));
        assertEquals("str", dict.key().annotation());
        assertEquals("Union[Tensor, int]", type("Union[Tensor, int]").annotation());
        TypeExpr.OptionalType optional =
                assertInstanceOf(
                        TypeExpr.OptionalType.class,
                        type(
                                "Optional[__torch__.torchvision.models.resnet.___torch_mangle_47.BasicBlock]"));
        TypeExpr.ClassType cls = assertInstanceOf(TypeExpr.ClassType.class, optional.element());
        assertEquals("BasicBlock", cls.name().name());
        assertEquals(
                "__torch__.torchvision.models.resnet.___torch_mangle_47", cls.name().qualifier());
        assertEquals(new SourcePos(FILE, 1, 10, 9), type("Optional[Tensor]").pos());
    }

    @Test
    void scriptedControlFlowIsRefusedWithFileAndLine() {
        TorchScriptSyntaxException ifError =
                bodyError("y = x", "if bool(x):", "  y = x", "return y");
        assertTrue(ifError.scripted());
        assertEquals(
                "code/__torch__.py:4: found control flow ('if'): the model appears to be scripted"
                        + " (torch.jit.script); torch2nnef reads only traced models: export it with"
                        + " torch.jit.trace(model, example_inputs) and save that",
                ifError.getMessage());
        assertEquals(4, ifError.pos().line());

        record Case(String line, String construct) {}
        for (Case c :
                List.of(
                        new Case("for i in range(n):", "a loop ('for')"),
                        new Case("while _0:", "a loop ('while')"),
                        new Case("with ops.prim.Enter(x):", "a 'with' block"),
                        new Case("raise Exception(\"x\")", "a 'raise' statement"),
                        new Case("assert x", "an 'assert' statement"),
                        new Case("try:", "exception handling ('try')"),
                        new Case(
                                "def __forked_function():",
                                "a nested function (closures and torch.jit.fork are scripted code)"),
                        new Case("y = a if c else b", "control flow ('if')"),
                        new Case("y = [a for a in b]", "a loop ('for')"))) {
            TorchScriptSyntaxException e = bodyError(c.line(), "  pass");
            assertTrue(e.scripted(), c.line());
            assertTrue(
                    e.getMessage()
                            .startsWith(
                                    "code/__torch__.py:3: found "
                                            + c.construct()
                                            + ": the model appears to be scripted"),
                    e.getMessage());
        }
        TorchScriptSyntaxException topLevel = error("if x:\n  pass\n");
        assertTrue(topLevel.scripted());
        assertEquals(1, topLevel.pos().line());
    }

    @Test
    void unsupportedSyntaxNamesTheTokenAndPosition() {
        TorchScriptSyntaxException caret = bodyError("_0 = ^MyPythonOp()(x)");
        assertFalse(caret.scripted());
        assertEquals(
                "code/__torch__.py:3:8: expected an expression but found '^'", caret.getMessage());
        assertEquals(new SourcePos(FILE, 3, 8, 58), caret.pos());

        assertEquals(
                "code/__torch__.py:3:5: augmented assignment '+=' is not supported",
                bodyError("x += 1").getMessage());
        assertEquals(
                "code/__torch__.py:3:3: assignment to attribute 'x' is not supported: traced code never writes"
                        + " module attributes",
                bodyError("self.x = x").getMessage());
        assertEquals(
                "code/__torch__.py:3:3: only names can be assigned to, not a subscript",
                bodyError("x[0] = x").getMessage());
        assertEquals(
                "code/__torch__.py:3:9: chained assignment is not supported",
                bodyError("a = b = c").getMessage());
        assertEquals(
                "code/__torch__.py:3:8: integer literal 9223372036854775808 is outside the int64 range",
                bodyError("_0 = 9223372036854775808").getMessage());
        assertEquals(
                "code/__torch__.py:3:19: positional argument after keyword argument",
                bodyError("_0 = f(dtype=6, x)").getMessage());
        assertEquals(
                "code/__torch__.py:3:15: keyword argument 'a' given twice",
                bodyError("_0 = f(a=1, a=2)").getMessage());
        assertEquals(
                "code/__torch__.py:3:10: argument unpacking with '*' is not supported",
                bodyError("_0 = f(*x)").getMessage());
        assertEquals(
                "code/__torch__.py:3:14: chained comparisons are not supported",
                bodyError("_0 = a < b < c").getMessage());
        assertEquals(
                "code/__torch__.py:3:8: expected an expression but found 'lambda'",
                bodyError("_0 = lambda: 1").getMessage());
        assertEquals(
                "code/__torch__.py:3:8: expected end of line but found ';'",
                bodyError("x = 1; y = 2").getMessage());
        assertEquals(
                "code/__torch__.py:1:1: expected 'class', 'def' or 'import' at the top level but found"
                        + " 'op_version_set'",
                error("op_version_set = 1\n").getMessage());
        assertEquals(
                "code/__torch__.py:1:10: unknown type 'Tensr'",
                error("def f(x: Tensr) -> None:\n  pass\n").getMessage());
        assertEquals(
                "code/__torch__.py:1:10: unknown generic type 'Future[...]'",
                error("def f(x: Future[int]) -> None:\n  pass\n").getMessage());
        assertEquals(
                "code/__torch__.py:2:3: Final attribute 'p' has no value",
                error("class A(Module):\n  p : Final[float]\n").getMessage());
        assertEquals(
                "code/__torch__.py:3:3: class A declares 'x' twice",
                error("class A(Module):\n  x : int\n  x : float\n").getMessage());
        assertEquals(
                "code/__torch__.py:1:15: parameter 'x' declared twice",
                error("def f(x: int, x: int) -> None:\n  pass\n").getMessage());
        assertEquals(
                "code/__torch__.py:2:3: expected an attribute, constant or method of class A but found"
                        + " 'return'",
                error("class A(Module):\n  return 1\n").getMessage());
        assertEquals(
                "code/__torch__.py:1:9: expected ':' but found end of line",
                error("def f(x)\n  pass\n").getMessage());
    }

    @Test
    void emptyAndImportOnlyFilesHaveNoDefinitions() {
        for (String source :
                List.of(
                        "",
                        "\n\n# comment only\n",
                        "import __torch__.foo\nfrom typing import List\n")) {
            ScriptFile file = parse(source);
            assertTrue(file.classes().isEmpty() && file.functions().isEmpty(), source);
            assertEquals(new SourcePos(FILE, 1, 1, 0), file.pos());
        }
    }

    @Test
    void oneLineFunctionBody() {
        FunctionDef f = parse("def f(x: Tensor) -> Tensor: return x\n").functions().get(0);
        assertEquals(
                "x",
                name(assertInstanceOf(Stmt.Return.class, f.body().get(0)).value().orElseThrow()));
    }

    @Test
    void invalidUtf8IsReported() {
        byte[] bytes = {'d', 'e', 'f', (byte) 0xff};
        TorchScriptSyntaxException e =
                assertThrows(
                        TorchScriptSyntaxException.class, () -> ScriptParser.parse(FILE, bytes));
        assertEquals("code/__torch__.py:1:1: the file is not valid UTF-8 text", e.getMessage());
    }
}
