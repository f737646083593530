package org.torch2nnef.nnef.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.torch2nnef.nnef.model.Expr.add;
import static org.torch2nnef.nnef.model.Expr.array;
import static org.torch2nnef.nnef.model.Expr.binary;
import static org.torch2nnef.nnef.model.Expr.div;
import static org.torch2nnef.nnef.model.Expr.id;
import static org.torch2nnef.nnef.model.Expr.mul;
import static org.torch2nnef.nnef.model.Expr.neg;
import static org.torch2nnef.nnef.model.Expr.not;
import static org.torch2nnef.nnef.model.Expr.of;
import static org.torch2nnef.nnef.model.Expr.str;
import static org.torch2nnef.nnef.model.Expr.sub;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.torch2nnef.nnef.model.Assignment;
import org.torch2nnef.nnef.model.ElementType;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Expr.BinaryOp;
import org.torch2nnef.nnef.model.Extension;
import org.torch2nnef.nnef.model.Graph;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.NnefModel;
import org.torch2nnef.nnef.model.TypeName;
import org.torch2nnef.nnef.model.TypeSpec;

class NnefPrinterTest {

    @Test
    void printsTheWholeDocumentInTheFixedLayout() {
        String expected =
                """
                version 1.0;

                extension tract_registry tract_core;
                extension tract_symbol S;

                fragment scale_shift(
                    x: tensor<scalar>,
                    scale: scalar = 1.0,
                    shift: scalar = 0.0
                ) -> (y: tensor<scalar>)
                {
                    y = x * scale + shift;
                }

                graph network(input) -> (output)
                {
                    input = external<scalar>(shape = [1, S, S * 2 - 1]);
                    weight = variable<scalar>(shape = [3, 2], label = 'layer/weight');
                    bias = variable<scalar>(shape = [1, 3], label = 'layer/bias');
                    mm = matmul(input, weight, transposeB = true);
                    output = scale_shift(mm + bias, scale = 0.5);
                }
                """;
        assertEquals(expected, NnefPrinter.print(SampleModels.linear()));
    }

    @Test
    void parenthesesOnlyWherePrecedenceNeedsThem() {
        Expr a = id("a");
        Expr b = id("b");
        Expr c = id("c");
        assertEquals("a * b + c", NnefPrinter.expr(add(mul(a, b), c)));
        assertEquals("a + b * c", NnefPrinter.expr(add(a, mul(b, c))));
        assertEquals("(a + b) * c", NnefPrinter.expr(mul(add(a, b), c)));
        assertEquals("a - b - c", NnefPrinter.expr(sub(sub(a, b), c)));
        assertEquals("a - (b - c)", NnefPrinter.expr(sub(a, sub(b, c))));
        assertEquals("a / (b * c)", NnefPrinter.expr(div(a, mul(b, c))));
        assertEquals("a * b / c", NnefPrinter.expr(div(mul(a, b), c)));
        assertEquals(
                "(a ^ b) ^ c",
                NnefPrinter.expr(binary(BinaryOp.POW, binary(BinaryOp.POW, a, b), c)));
        assertEquals(
                "a ^ (b ^ c)",
                NnefPrinter.expr(binary(BinaryOp.POW, a, binary(BinaryOp.POW, b, c))));
        // comparisons never chain without parentheses
        assertEquals(
                "(a < b) == (b < c)",
                NnefPrinter.expr(
                        binary(BinaryOp.EQ, binary(BinaryOp.LT, a, b), binary(BinaryOp.LT, b, c))));
        assertEquals(
                "a && b && c",
                NnefPrinter.expr(binary(BinaryOp.AND, binary(BinaryOp.AND, a, b), c)));
        assertEquals(
                "(a || b) && c",
                NnefPrinter.expr(binary(BinaryOp.AND, binary(BinaryOp.OR, a, b), c)));
        assertEquals("a + 1 < b", NnefPrinter.expr(binary(BinaryOp.LT, add(a, of(1)), b)));
    }

    @Test
    void unaryAndNegativeLiterals() {
        assertEquals("(-a) + b", NnefPrinter.expr(add(neg(id("a")), id("b"))));
        assertEquals("a * (-b)", NnefPrinter.expr(mul(id("a"), neg(id("b")))));
        assertEquals("-(a + b)", NnefPrinter.expr(neg(add(id("a"), id("b")))));
        assertEquals("-(1)", NnefPrinter.expr(neg(of(1))));
        assertEquals("-1", NnefPrinter.expr(of(-1)));
        assertEquals("a - -1", NnefPrinter.expr(sub(id("a"), of(-1))));
        assertEquals("(-2) ^ 2", NnefPrinter.expr(binary(BinaryOp.POW, of(-2), of(2))));
        assertEquals("!(!x)", NnefPrinter.expr(not(not(id("x")))));
        assertEquals("-x[0]", NnefPrinter.expr(neg(new Expr.Subscript(id("x"), of(0)))));
        assertEquals("-9223372036854775808", NnefPrinter.expr(of(Long.MIN_VALUE)));
        assertEquals("-inf", NnefPrinter.expr(of(Float.NEGATIVE_INFINITY)));
    }

    @Test
    void subscriptsIfElseAndComprehensions() {
        Expr x = id("x");
        assertEquals(
                "(x[0])[1]",
                NnefPrinter.expr(new Expr.Subscript(new Expr.Subscript(x, of(0)), of(1))));
        assertEquals(
                "x[1:]", NnefPrinter.expr(new Expr.Slice(x, Optional.of(of(1)), Optional.empty())));
        assertEquals(
                "x[:-1]",
                NnefPrinter.expr(new Expr.Slice(x, Optional.empty(), Optional.of(of(-1)))));
        assertEquals(
                "(a + b)[0]", NnefPrinter.expr(new Expr.Subscript(add(id("a"), id("b")), of(0))));
        Expr ite = new Expr.IfElse(id("c"), of(1), of(2));
        assertEquals("1 if c else 2", NnefPrinter.expr(ite));
        assertEquals("(1 if c else 2) + 1", NnefPrinter.expr(add(ite, of(1))));
        assertEquals(
                "1 if c else (1 if c else 2)",
                NnefPrinter.expr(new Expr.IfElse(id("c"), of(1), ite)));
        Expr comp =
                new Expr.Comprehension(
                        List.of(new Expr.LoopIter("i", Invocation.of("range_of", x))),
                        Optional.of(binary(BinaryOp.GT, id("i"), of(0))),
                        mul(new Expr.Subscript(x, id("i")), of(2)));
        assertEquals("[for i in range_of(x) if i > 0 yield x[i] * 2]", NnefPrinter.expr(comp));
        assertEquals(
                "i in [1, 2]", NnefPrinter.expr(binary(BinaryOp.IN, id("i"), Expr.ints(1, 2))));
    }

    @Test
    void stringsAreSingleQuotedWithEscapes() {
        assertEquals("'it\\'s a \\\"path\\\\x\\\"'", NnefPrinter.expr(str("it's a \"path\\x\"")));
        assertEquals(
                "('a', true, 2.5)", NnefPrinter.expr(Expr.tuple(str("a"), of(true), of(2.5f))));
    }

    @Test
    void typeSpecs() {
        assertEquals(
                "(integer, integer)[]",
                NnefPrinter.type(
                        TypeSpec.arrayOf(TypeSpec.tupleOf(TypeSpec.INTEGER, TypeSpec.INTEGER))));
        assertEquals(
                "tensor<?>[]", NnefPrinter.type(TypeSpec.arrayOf(TypeSpec.tensor(TypeName.ANY))));
    }

    @Test
    void badIdentifiersAreNamedWithTheirPlace() {
        Graph g =
                Graph.builder("g")
                        .input("x")
                        .output("y")
                        .assign("x", Invocation.external(ElementType.SCALAR, Expr.ints(1)))
                        .assign("y", Invocation.of("relu", id("x.1")))
                        .build();
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> NnefPrinter.print(NnefModel.builder(g).build()));
        assertTrue(e.getMessage().contains("'x.1'"), e.getMessage());
        assertTrue(e.getMessage().contains("assignment 2 ([y])"), e.getMessage());

        Graph kw =
                Graph.builder("g")
                        .output("if")
                        .assign("if", Invocation.of("relu", id("x")))
                        .build();
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> NnefPrinter.print(NnefModel.builder(kw).build()));
        assertTrue(
                e.getMessage().contains("'if'") && e.getMessage().contains("keyword"),
                e.getMessage());

        Graph lit =
                Graph.builder("g")
                        .output("y")
                        .assign("y", Invocation.of("relu", id("info")))
                        .build();
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> NnefPrinter.print(NnefModel.builder(lit).build()));
        assertTrue(
                e.getMessage().contains("'info'") && e.getMessage().contains("tract"),
                e.getMessage());

        Graph op =
                Graph.builder("g").output("y").assign("y", Invocation.of("my-op", id("x"))).build();
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> NnefPrinter.print(NnefModel.builder(op).build()));
        assertTrue(e.getMessage().contains("operation name 'my-op'"), e.getMessage());
    }

    @Test
    void nanAndBadExtensionsAreRefused() {
        Graph g =
                Graph.builder("g")
                        .output("y")
                        .assign(
                                "y",
                                Invocation.builder("constant")
                                        .arg("value", Expr.array(of(Float.NaN)))
                                        .build())
                        .build();
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> NnefPrinter.print(NnefModel.builder(g).build()));
        assertTrue(
                e.getMessage().contains("NaN") && e.getMessage().contains("[y]"), e.getMessage());

        Graph ok =
                Graph.builder("g")
                        .output("y")
                        .assign(Assignment.of("y", Invocation.of("relu", id("x"))))
                        .build();
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                NnefPrinter.print(
                                        NnefModel.builder(ok)
                                                .extension(
                                                        new Extension(
                                                                "tract_assert", "S > 0; graph"))
                                                .build()));
        assertTrue(e.getMessage().contains("tract_assert"), e.getMessage());
    }

    @Test
    void emptyArraysAndNoArgumentCalls() {
        assertEquals("[]", NnefPrinter.expr(array()));
        assertEquals("f()", NnefPrinter.expr(Invocation.of("f")));
        assertEquals(
                "tract_core_shape_of(x)[0]",
                NnefPrinter.expr(
                        new Expr.Subscript(Invocation.of("tract_core_shape_of", id("x")), of(0))));
    }
}
