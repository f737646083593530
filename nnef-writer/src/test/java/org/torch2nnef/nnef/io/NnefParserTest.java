package org.torch2nnef.nnef.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.torch2nnef.nnef.model.Expr.add;
import static org.torch2nnef.nnef.model.Expr.binary;
import static org.torch2nnef.nnef.model.Expr.id;
import static org.torch2nnef.nnef.model.Expr.mul;
import static org.torch2nnef.nnef.model.Expr.neg;
import static org.torch2nnef.nnef.model.Expr.of;
import static org.torch2nnef.nnef.model.Expr.str;
import static org.torch2nnef.nnef.model.Expr.sub;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.torch2nnef.nnef.model.Assignment;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Expr.BinaryOp;
import org.torch2nnef.nnef.model.Expr.UnaryOp;
import org.torch2nnef.nnef.model.Extension;
import org.torch2nnef.nnef.model.Fragment;
import org.torch2nnef.nnef.model.Graph;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.NnefModel;
import org.torch2nnef.nnef.model.TypeName;
import org.torch2nnef.nnef.model.TypeSpec;

class NnefParserTest {

    /** One expression of every kind, nested where printing needs care. */
    static List<Expr> everyExprKind() {
        Expr x = id("x");
        return List.of(
                of(0),
                of(42),
                of(-7),
                of(Long.MAX_VALUE),
                of(Long.MIN_VALUE),
                of(1e-5f),
                of(1e-45f),
                of(3.4028235e38f),
                of(-0.0f),
                of(Float.POSITIVE_INFINITY),
                of(Float.NEGATIVE_INFINITY),
                of(0.1 + 0.2),
                of(2e23),
                of(-1.5f),
                of(true),
                of(false),
                str(""),
                str("it's \"quoted\" \\ back\nslash"),
                x,
                id("S"),
                Expr.array(),
                Expr.ints(1, 2, 3),
                Expr.array(of(1), id("S"), sub(mul(id("S"), of(2)), of(1))),
                Expr.tuple(of(1), str("a"), x),
                neg(x),
                neg(of(1)),
                neg(of(-1)),
                neg(add(x, of(1))),
                new Expr.Unary(UnaryOp.PLUS, x),
                Expr.not(of(true)),
                add(neg(x), of(1)),
                mul(x, neg(x)),
                binary(BinaryOp.POW, of(-2), of(2)),
                add(mul(x, x), x),
                mul(add(x, x), x),
                sub(x, sub(x, x)),
                sub(sub(x, x), x),
                binary(BinaryOp.POW, binary(BinaryOp.POW, x, x), x),
                binary(BinaryOp.POW, x, binary(BinaryOp.POW, x, x)),
                binary(BinaryOp.AND, binary(BinaryOp.OR, id("a"), id("b")), id("c")),
                binary(BinaryOp.OR, id("a"), binary(BinaryOp.AND, id("b"), id("c"))),
                binary(BinaryOp.LE, x, of(1)),
                binary(BinaryOp.GE, x, of(1)),
                binary(BinaryOp.NE, x, of(1)),
                binary(BinaryOp.EQ, binary(BinaryOp.LT, x, of(1)), binary(BinaryOp.GT, x, of(2))),
                binary(BinaryOp.IN, x, Expr.ints(1, 2)),
                new Expr.Subscript(x, of(0)),
                new Expr.Subscript(new Expr.Subscript(x, of(0)), of(1)),
                new Expr.Subscript(add(x, x), of(0)),
                new Expr.Slice(x, Optional.of(of(1)), Optional.of(of(-1))),
                new Expr.Slice(x, Optional.empty(), Optional.empty()),
                new Expr.IfElse(binary(BinaryOp.GT, x, of(0)), x, neg(x)),
                new Expr.IfElse(id("c"), of(1), new Expr.IfElse(id("d"), of(2), of(3))),
                add(new Expr.IfElse(id("c"), of(1), of(2)), of(1)),
                new Expr.Comprehension(
                        List.of(
                                new Expr.LoopIter("i", Invocation.of("range_of", x)),
                                new Expr.LoopIter("j", Expr.ints(1, 2))),
                        Optional.of(binary(BinaryOp.LT, id("i"), id("j"))),
                        mul(new Expr.Subscript(x, id("i")), id("j"))),
                new Expr.Comprehension(
                        List.of(new Expr.LoopIter("i", id("xs"))), Optional.empty(), id("i")),
                Invocation.builder("tract_core_gather")
                        .generic(TypeName.SCALAR)
                        .arg(x)
                        .arg(Expr.ints(0))
                        .arg("axis", 1)
                        .arg("flag", true)
                        .arg("mode", "nearest")
                        .arg("eps", of(1e-5f))
                        .build(),
                Invocation.of("f"),
                Invocation.of("integer", x),
                Invocation.of("scalar", of(2)));
    }

    @Test
    void everyExprKindRoundTrips() throws NnefParseException {
        for (Expr e : everyExprKind()) {
            String text = NnefPrinter.expr(e);
            assertEquals(e, NnefParser.parseExpr(text), text);
        }
    }

    @Test
    void wholeModelRoundTrips() throws NnefParseException {
        NnefModel m = SampleModels.linear();
        String text = NnefPrinter.print(m);
        NnefModel back = NnefParser.parse(text, "graph.nnef");
        SampleModels.assertSameDocument(m, back);
        assertEquals(text, NnefPrinter.print(back));
    }

    @Test
    void fragmentsOfEveryShapeRoundTrip() throws NnefParseException {
        Fragment generic =
                Fragment.builder("fizz")
                        .generic(TypeName.SCALAR)
                        .param("shape", TypeSpec.arrayOf(TypeSpec.INTEGER))
                        .param(
                                "pads",
                                TypeSpec.arrayOf(
                                        TypeSpec.tupleOf(TypeSpec.INTEGER, TypeSpec.INTEGER)),
                                Expr.array())
                        .param("border", TypeSpec.STRING, str("constant"))
                        .param("flag", TypeSpec.LOGICAL, of(false))
                        .result("out", TypeSpec.tensor(TypeName.ANY))
                        .build();
        Fragment anyGeneric =
                Fragment.builder("buzz")
                        .generic(null)
                        .param("x", TypeSpec.tensor(TypeName.ANY))
                        .result("y", TypeSpec.tensor(TypeName.ANY))
                        .build();
        Fragment noParams =
                Fragment.builder("tract_core_properties")
                        .result(
                                "properties",
                                TypeSpec.arrayOf(
                                        TypeSpec.tupleOf(
                                                TypeSpec.STRING, TypeSpec.tensor(TypeName.SCALAR))))
                        .assign(
                                Assignment.of(
                                        "properties", Expr.array(Expr.tuple(str("k"), str("v")))))
                        .build();
        Fragment multi =
                Fragment.builder("split2")
                        .param("x", TypeSpec.tensor(TypeName.SCALAR))
                        .result("a", TypeSpec.tensor(TypeName.SCALAR))
                        .result("b", TypeSpec.tensor(TypeName.SCALAR))
                        .assign(
                                Assignment.tuple(
                                        List.of("a", "b"),
                                        Invocation.builder("split")
                                                .arg(id("x"))
                                                .arg("axis", 0)
                                                .build()))
                        .assign(Assignment.array(List.of("c"), Expr.array(id("a"))))
                        .body(
                                List.of(
                                        Assignment.tuple(
                                                List.of("a", "b"),
                                                Invocation.builder("split")
                                                        .arg(id("x"))
                                                        .arg("axis", 0)
                                                        .build()),
                                        Assignment.array(
                                                List.of("c", "d"), Expr.array(id("a"), id("b")))))
                        .build();
        Fragment empty = Fragment.builder("nothing").body(List.of()).build();
        Graph g = Graph.builder("g").build();
        NnefModel m =
                NnefModel.builder(g)
                        .extension(Extension.of("KHR_enable_fragment_definitions"))
                        .extension(Extension.tractAssert("S >= 0"))
                        .fragment(generic)
                        .fragment(anyGeneric)
                        .fragment(noParams)
                        .fragment(multi)
                        .fragment(empty)
                        .build();
        String text = NnefPrinter.print(m);
        SampleModels.assertSameDocument(m, NnefParser.parse(text, "graph.nnef"));
    }

    @Test
    void readsTractAndTorchToNnefStyle() throws NnefParseException {
        // Layout as tract's dumper writes it (every binary in parentheses, spaced tuple left sides,
        // double-quoted strings, Rust float formatting) plus hand-written fragment style.
        String text =
                """
                version 1.0;

                extension tract_registry tract_core;
                extension tract_symbol S;
                extension tract_assert S >= 1 ;

                # a comment
                fragment my_erf( x: tensor<scalar> ) -> ( y: tensor<scalar> ) {
                    s = sign(x);   # trailing comment
                    t = 1.0/(1.0 + 0.5 * abs(x));
                    y = s * (1.0 - t*exp(0.0-x*x));
                }
                fragment decl<?>( input: tensor<?>, axis_count: integer = -1 ) -> ( output: tensor<?> );

                graph network( input ) -> ( output, idx )
                {
                  input = external<scalar>(shape = [1, S, (S * 2)]);
                  eps = 1e-5;
                  big = -inf;
                  w = variable<scalar>(label = "weights/w", shape = [2]);
                  ( a, b ) = tract_core_split(input, axis = 1);
                  [ c, d ] = [a, b];
                  e, f = tract_core_topk(c, k = 2);
                  idx = tract_core_cast(f, to = "i64");
                  g = i"odd.name";
                  output = select(input > 0.0, input, 0.0 - input);
                }
                """;
        NnefModel m = NnefParser.parse(text, "graph.nnef");
        assertEquals(
                List.of(
                        Extension.tractRegistry("tract_core"),
                        Extension.tractSymbol("S"),
                        Extension.tractAssert("S >= 1")),
                m.extensions());
        assertEquals(2, m.fragments().size());
        Fragment erf = m.fragments().get(0);
        assertEquals(
                mul(
                        id("s"),
                        Expr.binary(
                                BinaryOp.SUB,
                                of(1.0f),
                                mul(
                                        id("t"),
                                        Invocation.of(
                                                "exp", sub(of(0.0f), mul(id("x"), id("x"))))))),
                erf.body().get().get(2).rvalue());
        Fragment decl = m.fragments().get(1);
        assertTrue(decl.body().isEmpty());
        assertEquals(Optional.of(of(-1)), decl.params().get(1).defaultValue());
        assertEquals(Optional.empty(), decl.generic().get().defaultType());
        List<Assignment> body = m.graph().body();
        assertEquals(
                Expr.array(of(1), id("S"), mul(id("S"), of(2))),
                ((Invocation) body.get(0).rvalue()).named().get("shape"));
        assertEquals(of(1e-5f), body.get(1).rvalue());
        assertEquals(of(Float.NEGATIVE_INFINITY), body.get(2).rvalue());
        assertEquals(str("weights/w"), ((Invocation) body.get(3).rvalue()).named().get("label"));
        assertEquals(List.of("a", "b"), body.get(4).definedNames());
        assertTrue(body.get(5).lvalue() instanceof Expr.ArrayExpr);
        assertEquals(List.of("e", "f"), body.get(6).definedNames());
        assertEquals(id("odd.name"), body.get(8).rvalue());
        assertEquals(List.of("output", "idx"), m.graph().outputs());
    }

    @Test
    void unaryTakesTheWholeFollowingExpressionLikeTractAndKhronos() throws NnefParseException {
        assertEquals(neg(add(id("a"), id("b"))), NnefParser.parseExpr("-a + b"));
        assertEquals(add(of(-1), id("b")), NnefParser.parseExpr("-1 + b"));
        assertEquals(sub(id("a"), of(1)), NnefParser.parseExpr("a -1"));
        assertEquals(neg(of(1)), NnefParser.parseExpr("- 1"));
        assertEquals(
                Expr.binary(BinaryOp.OR, Expr.binary(BinaryOp.AND, id("a"), id("b")), id("c")),
                NnefParser.parseExpr("a && b || c")); // one precedence level, left to right
    }

    @Test
    void errorsCarryLineAndColumn() {
        NnefParseException e =
                assertThrows(
                        NnefParseException.class,
                        () ->
                                NnefParser.parse(
                                        """
                version 1.0;
                graph g() -> (y)
                {
                    y = relu(x;
                }
                """,
                                        "graph.nnef"));
        assertEquals(4, e.line());
        assertEquals(15, e.column());
        assertTrue(e.getMessage().startsWith("graph.nnef:4:15: expected ')'"), e.getMessage());

        e =
                assertThrows(
                        NnefParseException.class,
                        () ->
                                NnefParser.parse(
                                        "version 1.0;\ngraph g() -> () { x = 99999999999999999999; }",
                                        "m"));
        assertTrue(
                e.getMessage().contains("m:2:23") && e.getMessage().contains("64-bit"),
                e.getMessage());

        e =
                assertThrows(
                        NnefParseException.class,
                        () -> NnefParser.parse("version 1.0;\ngraph g() -> () { x = 'abc; }", "m"));
        assertTrue(e.getMessage().contains("m:2:23: unterminated string"), e.getMessage());

        e =
                assertThrows(
                        NnefParseException.class,
                        () ->
                                NnefParser.parse(
                                        "version 1.0;\n\ngraph g() -> () { if = f(); }", "m"));
        assertTrue(
                e.getMessage().contains("m:3:19: expected assigned identifier, found 'if'"),
                e.getMessage());

        e =
                assertThrows(
                        NnefParseException.class,
                        () ->
                                NnefParser.parse(
                                        "version 1.0; graph g() -> () { y = f(a = 1, 2); }", "m"));
        assertTrue(
                e.getMessage().contains("positional argument of 'f' after named"), e.getMessage());

        e =
                assertThrows(
                        NnefParseException.class,
                        () ->
                                NnefParser.parse(
                                        "version 1.0; graph g() -> () { y = f(x); } junk", "m"));
        assertTrue(e.getMessage().contains("end of document"), e.getMessage());

        e =
                assertThrows(
                        NnefParseException.class,
                        () ->
                                NnefParser.parse(
                                        "version 1.0; graph g() -> () { y = f(x) @ 2; }", "m"));
        assertTrue(e.getMessage().contains("m:1:41: unexpected character '@'"), e.getMessage());
    }
}
