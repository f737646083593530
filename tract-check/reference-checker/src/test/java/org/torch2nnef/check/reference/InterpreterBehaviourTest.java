package org.torch2nnef.check.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.torch2nnef.nnef.io.NnefArchiveWriter;
import org.torch2nnef.nnef.io.NnefParser;
import org.torch2nnef.nnef.model.ItemType;
import org.torch2nnef.nnef.model.NnefModel;
import org.torch2nnef.nnef.model.Quantization;
import org.torch2nnef.nnef.model.TensorData;

/** Symbols, variables of every item type, graph.quant, the NDList API and the error contract. */
class InterpreterBehaviourTest extends ManagedTest {
    private static final String SYMBOLIC =
            """
            version 1.0;
            extension tract_registry tract_core;
            extension tract_symbol S;

            graph G(x) -> (y, n)
            {
                x = external<scalar>(shape = [1, S, 3]);
                x2 = mul(x, 2.0);
                flat = reshape(x2, shape = [1, S * 3]);
                y = slice(flat, axes = [1], begin = [0], end = [S * 2 - 1]);
                shape = tract_core_shape_of(y);
                n = slice(shape, axes = [0], begin = [1], end = [2]);
            }
            """;

    /** The same model, loaded once, runs with two lengths of S bound from the input. */
    @Test
    void symbolsAreBoundFromEachRunsInputs() throws IOException {
        Fixture four = new Fixture(manager, "symbolic_4");
        NnefInterpreter model = four.write(SYMBOLIC, dir.resolve("sym.nnef.tgz"));
        four.runAndCheck(model, manager);
        new Fixture(manager, "symbolic_7").runAndCheck(model, manager);
    }

    /**
     * Intermediates live in a sub-manager released per step and closed at the end: only outputs
     * remain.
     */
    @Test
    void onlyOutputsStayInTheCallersManager() throws IOException {
        NnefInterpreter model = NnefInterpreter.of(NnefParser.parse(SYMBOLIC, "sym"), "sym");
        NDArray input = manager.ones(new Shape(1, 4, 3));
        int before = manager.getManagedArrays().size();
        Map<String, NDArray> out = model.run(Map.of("x", input), manager);
        assertEquals(before + out.size(), manager.getManagedArrays().size());
        assertArrayEquals(
                new long[] {7}, out.get("n").toLongArray()); // 2 * S - 1 with S = 4, by hand
        assertTrue(!input.isReleased(), "the caller's input stays usable");
    }

    /**
     * Hand-derived: a running sum over 50 ones gives 1..50, 50 last; chunks of 5 backwards sum from
     * the end.
     */
    @Test
    void scanReleasesEachIterationsTemporaries() throws IOException {
        NnefInterpreter model =
                NnefInterpreter.of(
                        NnefParser.parse(
                                """
                version 1.0;
                extension tract_registry tract_core;
                fragment step(acc: tensor<scalar>, x: tensor<scalar>) -> (next: tensor<scalar>, total: tensor<scalar>)
                {
                    next = acc + sum_reduce(x, axes = [0]);
                    total = next * 1.0;
                }
                graph G(x) -> (running, last, chunks)
                {
                    x = external<scalar>(shape = [50, 1]);
                    zero = constant<scalar>(shape = [1, 1], value = [0.0]);
                    (running, last) = tract_core_scan(body = "step", scan = [("x", x, 0, 1)], full = [],
                        state = [("acc", zero, "next")], output = [("total", "full", 0, 1), ("next", "last", 0, 1)]);
                    [chunks] = tract_core_scan(body = "step", scan = [("x", x, 0, -5)], full = [],
                        state = [("acc", zero, "next")], output = [("total", "full", 0, -1)]);
                }
                """,
                                "scan"),
                        "scan");
        NDArray ones = manager.ones(new Shape(50, 1));
        int before = manager.getManagedArrays().size();
        Map<String, NDArray> out = model.run(Map.of("x", ones), manager);
        assertEquals(before + 3, manager.getManagedArrays().size());
        float[] running = out.get("running").toFloatArray();
        for (int i = 0; i < 50; i++) {
            assertEquals(i + 1, running[i]);
        }
        assertArrayEquals(new float[] {50}, out.get("last").toFloatArray());
        // backwards: the last chunk of 5 comes first in time (5), placed last; the first chunk sums
        // to 50
        assertArrayEquals(
                new float[] {50, 45, 40, 35, 30, 25, 20, 15, 10, 5},
                out.get("chunks").toFloatArray());
    }

    /**
     * tract's own spellings: quoted identifiers, bare tuple left sides, inf literals (values by
     * hand).
     */
    @Test
    void tractWrittenSyntax() throws IOException {
        NnefInterpreter model =
                NnefInterpreter.of(
                        NnefParser.parse(
                                """
                version 1.0;
                extension tract_registry tract_core;
                graph network(i"input.1") -> (i"out.a", b)
                {
                    i"input.1" = external<scalar>(shape = [4]);
                    i"out.a", b = split(i"input.1", axis = 0, ratios = [1, 1]);
                    c = min(b, inf);
                }
                """,
                                "tract"),
                        "tract");
        Map<String, NDArray> out =
                model.run(Map.of("input.1", manager.create(new float[] {1, 2, 3, 4})), manager);
        assertArrayEquals(new float[] {1, 2}, out.get("out.a").toFloatArray());
        assertArrayEquals(new float[] {3, 4}, out.get("b").toFloatArray());
        NnefExecutionException e =
                assertThrows(
                        NnefExecutionException.class,
                        () -> model.run(Map.of("input.1", manager.zeros(new Shape(3))), manager));
        assertTrue(e.getMessage().contains("input 'input.1' has shape [3]"), e.getMessage());
    }

    /** Hand-derived truth tables of tract's logical ops on a = [T, T, F, F], b = [T, F, T, F]. */
    @Test
    void tractLogicalOps() throws IOException {
        NnefInterpreter model =
                NnefInterpreter.of(
                        NnefParser.parse(
                                """
                version 1.0;
                extension tract_registry tract_core;
                graph G(a, b) -> (x, n, band, bor, bxor)
                {
                    a = external<logical>(shape = [4]);
                    b = external<logical>(shape = [4]);
                    x = tract_core_xor(a, b);
                    n = tract_core_bitnot(a);
                    band = tract_core_bitand(a, b);
                    bor = tract_core_bitor(a, b);
                    bxor = tract_core_bitxor(a, b);
                }
                """,
                                "logic"),
                        "logic");
        Map<String, NDArray> out =
                model.run(
                        Map.of(
                                "a", manager.create(new boolean[] {true, true, false, false}),
                                "b", manager.create(new boolean[] {true, false, true, false})),
                        manager);
        assertArrayEquals(new boolean[] {false, true, true, false}, out.get("x").toBooleanArray());
        assertArrayEquals(new boolean[] {false, false, true, true}, out.get("n").toBooleanArray());
        assertArrayEquals(
                new boolean[] {true, false, false, false}, out.get("band").toBooleanArray());
        assertArrayEquals(new boolean[] {true, true, true, false}, out.get("bor").toBooleanArray());
        assertArrayEquals(
                new boolean[] {false, true, true, false}, out.get("bxor").toBooleanArray());
    }

    @Test
    void supportedOpsListTheFamiliesAndAliases() {
        List<String> ops = NnefInterpreter.supportedOps();
        for (String op :
                new String[] {
                    "conv",
                    "deconv",
                    "matmul",
                    "slice",
                    "softmax",
                    "tract_core_scan",
                    "tract_core_gather",
                    "tract_transformers_rms_norm",
                    "debox",
                    "zero_point_linear_quantize"
                }) {
            assertTrue(ops.contains(op), op + " in " + ops);
        }
        assertTrue(
                !ops.contains("tract_transformers_sdpa"),
                "sdpa is not implemented and must not be listed");
    }

    @Test
    void wrongInputShapeIsNamed() throws IOException {
        NnefInterpreter model = NnefInterpreter.of(NnefParser.parse(SYMBOLIC, "sym"), "sym");
        NnefExecutionException e =
                assertThrows(
                        NnefExecutionException.class,
                        () -> model.run(Map.of("x", manager.zeros(new Shape(1, 5, 4))), manager));
        assertTrue(
                e.getMessage()
                        .contains("input 'x' has shape [1, 5, 4] but the graph declares [1, 5, 3]"),
                e.getMessage());
        NnefExecutionException rank =
                assertThrows(
                        NnefExecutionException.class,
                        () -> model.run(Map.of("x", manager.zeros(new Shape(5, 3))), manager));
        assertTrue(rank.getMessage().contains("input 'x' has rank 2"), rank.getMessage());
        NnefExecutionException type =
                assertThrows(
                        NnefExecutionException.class,
                        () ->
                                model.run(
                                        Map.of(
                                                "x",
                                                manager.zeros(new Shape(1, 2, 3), DataType.INT64)),
                                        manager));
        assertTrue(
                type.getMessage().contains("input 'x' is int64 but the graph declares float32"),
                type.getMessage());
    }

    @Test
    void tractAssertionsAreCheckedAgainstBoundSymbols() throws IOException {
        NnefInterpreter model =
                NnefInterpreter.of(
                        NnefParser.parse(
                                """
                version 1.0;
                extension tract_symbol S;
                extension tract_assert S >= 3;
                extension tract_assert T > 100;
                graph G(x) -> (y)
                {
                    x = external<scalar>(shape = [S]);
                    y = copy(x);
                }
                """,
                                "assert"),
                        "assert");
        assertEquals(1, model.run(Map.of("x", manager.zeros(new Shape(3))), manager).size());
        NnefExecutionException e =
                assertThrows(
                        NnefExecutionException.class,
                        () -> model.run(Map.of("x", manager.zeros(new Shape(2))), manager));
        assertTrue(
                e.getMessage().contains("the inputs violate 'extension tract_assert S >= 3;'"),
                e.getMessage());
    }

    /**
     * Hand-derived: a symbol only seen in {@code 2 * T + 1} is solved from the input (9 -> T = 4).
     */
    @Test
    void linearDimensionsBindTheirSymbol() throws IOException {
        NnefInterpreter model =
                NnefInterpreter.of(
                        NnefParser.parse(
                                """
                version 1.0;
                extension tract_symbol T;
                graph G(x) -> (y)
                {
                    x = external<scalar>(shape = [2 * T + 1]);
                    y = reshape(x, shape = [1, T * 2 + 1]);
                }
                """,
                                "solve"),
                        "solve");
        Map<String, NDArray> out = model.run(Map.of("x", manager.zeros(new Shape(9))), manager);
        assertArrayEquals(new long[] {1, 9}, out.get("y").getShape().getShape());
        NnefExecutionException e =
                assertThrows(
                        NnefExecutionException.class,
                        () -> model.run(Map.of("x", manager.zeros(new Shape(8))), manager));
        assertTrue(e.getMessage().contains("unknown identifier 'T'"), e.getMessage());
    }

    /**
     * tract's dyn_slice fails at run time unless start + len == end within the axis; so does ours.
     */
    @Test
    void dynSliceChecksItsLengthWhenItRuns() throws IOException {
        NnefInterpreter model = dynSlice("start = 0, end = T, len = 2 * (T / 2)");
        Map<String, NDArray> out =
                model.run(Map.of("x", manager.arange(6f).reshape(1, 6)), manager);
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, out.get("y").toFloatArray());
        NnefExecutionException odd =
                assertThrows(
                        NnefExecutionException.class,
                        () -> model.run(Map.of("x", manager.zeros(new Shape(1, 7))), manager));
        assertTrue(
                odd.getMessage().contains("items 0..7 (len 6) do not fit axis 1 of size 7"),
                odd.getMessage());
        NnefInterpreter beyond = dynSlice("start = 0, end = T + 1, len = T + 1");
        NnefExecutionException e =
                assertThrows(
                        NnefExecutionException.class,
                        () -> beyond.run(Map.of("x", manager.zeros(new Shape(1, 4))), manager));
        assertTrue(
                e.getMessage().contains("items 0..5 (len 5) do not fit axis 1 of size 4"),
                e.getMessage());
    }

    /**
     * A graph {@code y = tract_core_dyn_slice(x, BOUNDS, axis = 1)} of an input {@code x: [1, T]}.
     */
    private static NnefInterpreter dynSlice(String bounds) throws IOException {
        return NnefInterpreter.of(
                NnefParser.parse(
                        """
                version 1.0;
                extension tract_registry tract_core;
                extension tract_symbol T;

                graph G(x) -> (y)
                {
                    x = external<scalar>(shape = [1, T]);
                    y = tract_core_dyn_slice(x, %s, axis = 1);
                }
                """
                                .formatted(bounds),
                        "dyn"),
                "dyn");
    }

    @Test
    void missingAndUnknownInputsAreNamed() throws IOException {
        NnefInterpreter model = NnefInterpreter.of(NnefParser.parse(SYMBOLIC, "sym"), "sym");
        NnefExecutionException e =
                assertThrows(
                        NnefExecutionException.class,
                        () -> model.run(Map.of("z", manager.zeros(new Shape(1, 2, 3))), manager));
        assertTrue(
                e.getMessage().contains("missing [x]")
                        && e.getMessage().contains("not graph inputs [z]"),
                e.getMessage());
    }

    @Test
    void unknownOpNamesOpAssignmentAndOutput() throws IOException {
        NnefInterpreter model =
                NnefInterpreter.of(
                        NnefParser.parse(
                                """
                version 1.0;
                graph G(x) -> (z)
                {
                    x = external<scalar>(shape = [2]);
                    y = relu(x);
                    z = frobnicate(y, level = 3);
                }
                """,
                                "unknown.nnef"),
                        "unknown.nnef");
        UnsupportedOpException e =
                assertThrows(
                        UnsupportedOpException.class,
                        () -> model.run(Map.of("x", manager.zeros(new Shape(2))), manager));
        assertEquals("frobnicate", e.op());
        String m = e.getMessage();
        assertTrue(
                m.contains("unknown.nnef: graph 'G' assignment #3 `z = frobnicate(y, level = 3);`"),
                m);
        assertTrue(m.contains("output z") && m.contains("unknown operation 'frobnicate'"), m);
    }

    @Test
    void unsupportedOpInsideFragmentNamesBothLevels() throws IOException {
        NnefInterpreter model =
                NnefInterpreter.of(
                        NnefParser.parse(
                                """
                version 1.0;
                extension KHR_enable_fragment_definitions;
                extension KHR_enable_operator_expressions;
                fragment f(a: tensor<scalar>) -> (b: tensor<scalar>)
                {
                    t = relu(a);
                    b = tract_transformers_sdpa(t, t, t, scale = 1.0);
                }
                graph G(x) -> (y)
                {
                    x = external<scalar>(shape = [2]);
                    y = f(x);
                }
                """,
                                "nested.nnef"),
                        "nested.nnef");
        UnsupportedOpException e =
                assertThrows(
                        UnsupportedOpException.class,
                        () -> model.run(Map.of("x", manager.zeros(new Shape(2))), manager));
        assertEquals("tract_transformers_sdpa", e.op());
        assertTrue(
                e.getMessage().contains("assignment #2 `y = f(x);`")
                        && e.getMessage().contains("fragment 'f' assignment #2")
                        && e.getMessage().contains("output b"),
                e.getMessage());
    }

    @Test
    void badArgumentIsNamed() throws IOException {
        NnefInterpreter model =
                NnefInterpreter.of(
                        NnefParser.parse(
                                """
                version 1.0;
                graph G(x) -> (y)
                {
                    x = external<scalar>(shape = [2, 3]);
                    y = reshape(x, shape = [4, -1]);
                }
                """,
                                "bad.nnef"),
                        "bad.nnef");
        NnefExecutionException e =
                assertThrows(
                        NnefExecutionException.class,
                        () -> model.run(Map.of("x", manager.zeros(new Shape(2, 3))), manager));
        assertTrue(
                e.getMessage().contains("output y")
                        && e.getMessage().contains("op 'reshape': cannot infer -1"),
                e.getMessage());
    }

    private static final String VARIABLES =
            """
            version 1.0;
            graph G(x) -> (h, l, b, q, u, sum)
            {
                x = external<scalar>(shape = [3]);
                h = variable<scalar>(shape = [3], label = 'half');
                l = variable<integer>(shape = [3], label = 'ints/longs');
                b = variable<logical>(shape = [3], label = 'bools');
                q = variable<scalar>(shape = [3], label = 'quant');
                u = variable<integer>(shape = [3], label = 'u16');
                sum = add(x, h);
            }
            """;

    /**
     * .dat item types; values derived by hand: float16 bits 0x3C00 = 1.0, 0xC000 = -2.0, 0x3800 =
     * 0.5.
     */
    @ParameterizedTest
    @ValueSource(strings = {"vars", "vars.nnef.tar", "vars.nnef.tgz"})
    void variablesOfEveryItemTypeAndQuantization(String target) throws IOException {
        NnefModel model =
                NnefParser.parse(VARIABLES, "vars").toBuilder()
                        .tensor(
                                "half",
                                TensorData.ofShorts(
                                        ItemType.FLOAT16,
                                        new long[] {3},
                                        (short) 0x3C00,
                                        (short) 0xC000,
                                        (short) 0x3800))
                        .tensor(
                                "ints/longs",
                                TensorData.ofLongs(new long[] {3}, Long.MIN_VALUE, 0, 1L << 40))
                        .tensor("bools", TensorData.ofBooleans(new long[] {3}, true, false, true))
                        .tensor(
                                "quant",
                                TensorData.ofBytes(
                                        ItemType.INT8,
                                        new long[] {3},
                                        (byte) -128,
                                        (byte) 2,
                                        (byte) 127))
                        .tensor(
                                "u16",
                                TensorData.ofShorts(
                                        ItemType.UINT16,
                                        new long[] {3},
                                        (short) 0xFFFF,
                                        (short) 0,
                                        (short) 7))
                        // q = scale * (code - zero_point) = 0.5 * (code - 2)
                        .quantization("q", Quantization.ZeroPointLinear.of(2, 0.5f, 8, true))
                        .build();
        NnefArchiveWriter.write(model, dir.resolve(target));
        NnefInterpreter interpreter = NnefInterpreter.load(dir.resolve(target));
        Map<String, NDArray> out =
                interpreter.run(Map.of("x", manager.create(new float[] {1, 1, 1})), manager);
        assertEquals(DataType.FLOAT16, out.get("h").getDataType());
        assertArrayEquals(
                new float[] {1f, -2f, 0.5f},
                out.get("h").toType(DataType.FLOAT32, false).toFloatArray());
        assertArrayEquals(new long[] {Long.MIN_VALUE, 0, 1L << 40}, out.get("l").toLongArray());
        assertArrayEquals(new boolean[] {true, false, true}, out.get("b").toBooleanArray());
        assertArrayEquals(new float[] {-65f, 0f, 62.5f}, out.get("q").toFloatArray());
        assertArrayEquals(new long[] {65535, 0, 7}, out.get("u").toLongArray());
        // float32 input + float16 variable computes in float32: 1 + 1, 1 - 2, 1 + 0.5
        assertArrayEquals(new float[] {2f, -1f, 1.5f}, out.get("sum").toFloatArray());
    }

    @Test
    void variableWithWrongShapeOrNoFileIsNamed() throws IOException {
        NnefModel model =
                NnefParser.parse(
                                """
                version 1.0;
                graph G(x) -> (v)
                {
                    x = external<scalar>(shape = [1]);
                    v = variable<scalar>(shape = [2, 2], label = 'weights/v');
                }
                """,
                                "vars")
                        .toBuilder()
                        .tensor("weights/v", TensorData.ofFloats(new long[] {4}, 1, 2, 3, 4))
                        .build();
        NnefArchiveWriter.write(model, dir.resolve("m"));
        NnefInterpreter interpreter = NnefInterpreter.load(dir.resolve("m"));
        NnefExecutionException e =
                assertThrows(
                        NnefExecutionException.class,
                        () -> interpreter.run(Map.of("x", manager.zeros(new Shape(1))), manager));
        assertTrue(
                e.getMessage()
                        .contains("'weights/v.dat' has shape [4] but the graph declares [2, 2]"),
                e.getMessage());
        // read from disk, errors point at the graph.nnef line (the writer prints v's assignment on
        // line 6)
        assertTrue(e.getMessage().contains("graph 'G' line 6 assignment #2"), e.getMessage());

        NnefInterpreter absent =
                NnefInterpreter.of(
                        NnefParser.parse(
                                """
                version 1.0;
                graph G(x) -> (w)
                {
                    x = external<scalar>(shape = [1]);
                    w = variable<scalar>(shape = [1], label = 'absent');
                }
                """,
                                "absent"),
                        "absent");
        NnefExecutionException missing =
                assertThrows(
                        NnefExecutionException.class,
                        () -> absent.run(Map.of("x", manager.zeros(new Shape(1))), manager));
        assertTrue(
                missing.getMessage()
                        .contains("op 'variable': no tensor file 'absent.dat' in the model"),
                missing.getMessage());
    }

    @Test
    void unsupportedQuantizationFailsClearly() throws IOException {
        NnefModel model =
                NnefParser.parse(
                                """
                version 1.0;
                graph G(x) -> (v)
                {
                    x = external<scalar>(shape = [1]);
                    v = variable<integer>(shape = [1], label = 'v');
                }
                """,
                                "q")
                        .toBuilder()
                        .tensor("v", TensorData.ofBytes(ItemType.UINT8, new long[] {1}, (byte) 3))
                        .quantization("v", new Quantization.Other("logarithmic_quantize", Map.of()))
                        .build();
        NnefInterpreter interpreter = NnefInterpreter.of(model, "q");
        UnsupportedOpException e =
                assertThrows(
                        UnsupportedOpException.class,
                        () -> interpreter.run(Map.of("x", manager.zeros(new Shape(1))), manager));
        assertTrue(
                e.getMessage().contains("tensor 'v': graph.quant uses 'logarithmic_quantize'"),
                e.getMessage());
    }

    /** Hand-derived: NNEF integer arithmetic in attributes, comprehensions, arrays, if-else. */
    @Test
    void attributeExpressionsAndNdListApi() throws IOException {
        NnefInterpreter model =
                NnefInterpreter.of(
                        NnefParser.parse(
                                """
                version 1.0;
                extension KHR_enable_fragment_definitions;
                extension KHR_enable_operator_expressions;
                fragment pick(x: tensor<scalar>, axes: integer[] = [0]) -> (y: tensor<scalar>)
                {
                    n = length_of(axes);
                    sizes = [for i in range_of(axes) yield axes[i] + 1];
                    y = sum_reduce(x, axes = axes if n > 0 else [0]);
                    z = [1, 2] * 2 + [3];
                }
                fragment twice<?>(x: tensor<?>) -> (y: tensor<?>)
                {
                    y = concat([x, x], axis = 0);
                }
                graph G(a, b) -> (s, t, u)
                {
                    a = external<scalar>(shape = [2, 3]);
                    b = external<scalar>(shape = [2, 3]);
                    s = pick(a, axes = [1]);
                    t = pick(b);
                    u = twice<scalar>(s);
                }
                """,
                                "expr"),
                        "expr");
        NDList out =
                model.run(
                        new NDList(
                                manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3)),
                                manager.ones(new Shape(2, 3))),
                        manager);
        assertEquals(3, out.size());
        assertArrayEquals(new float[] {6, 15, 6, 15}, out.get(2).toFloatArray());
        assertArrayEquals(new float[] {6, 15}, out.get(0).toFloatArray());
        assertArrayEquals(new long[] {2, 1}, out.get(0).getShape().getShape());
        assertArrayEquals(new float[] {2, 2, 2}, out.get(1).toFloatArray());
        assertEquals("s", out.get(0).getName());
    }
}
