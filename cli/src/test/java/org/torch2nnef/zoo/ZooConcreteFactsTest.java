package org.torch2nnef.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.torch2nnef.check.CheckerMode;
import org.torch2nnef.check.TractLoading;
import org.torch2nnef.check.tract.TractBinary;
import org.torch2nnef.check.tract.TractLocator;
import org.torch2nnef.nnef.io.NnefArchiveReader;
import org.torch2nnef.nnef.io.NnefParser;
import org.torch2nnef.nnef.io.NnefPrinter;
import org.torch2nnef.nnef.model.Assignment;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.NnefModel;

/**
 * Every dynamic zoo model loads the ways applications load it: with its symbols, with concrete
 * input facts ({@code model.with_input_fact}, tract's {@code --input-facts-from-bundle}), and with
 * its symbols set ({@code --set S=N}).
 *
 * <p>The rule that makes the concrete facts load: <b>a tract symbol appears only in the {@code
 * shape} of an {@code external}</b>. tract binds a symbol there to the size of the input it runs
 * on, and a concrete input fact replaces that declaration; anywhere else (a {@code reshape} shape,
 * {@code tile} repeats, a {@code tract_core_dyn_slice} bound) the symbol stays a free variable that
 * nothing binds under concrete facts, and tract fails ("Reshape: 320 should be equal to 32*S"). The
 * exporter writes such sizes as {@code 0} (the input's size at that axis) or reads them from the
 * inputs' shapes with {@code tract_core_shape_of}, a constant tract computes while loading.
 */
class ZooConcreteFactsTest {
    @TempDir static Path work;
    private static ZooManifest manifest;
    private static ZooExpectations expectations;
    private static Optional<TractBinary> tract;

    @BeforeAll
    static void readZoo() throws IOException {
        manifest = ZooManifest.read(ZooSuiteTest.ZOO);
        expectations = ZooExpectations.read(ZooSuiteTest.ZOO);
        tract = new TractLocator().find(Optional.empty());
    }

    static Stream<String> dynamicModels() throws IOException {
        return ZooManifest.read(ZooSuiteTest.ZOO).models().stream()
                .filter(m -> !m.dynamicAxes().isEmpty())
                .map(ZooModel::name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dynamicModels")
    void symbolsAppearOnlyInExternalShapes(String name) throws Exception {
        ZooModel model = manifest.model(name);
        ZooSuiteTest.requireArchive(model);
        ExportOutcome exported =
                new ZooRunner(ZooSuiteTest.ZOO, work, Optional.empty()).export(model);
        assertTrue(exported.exported(), () -> name + " does not export: " + exported.failure());
        List<String> offending = symbolsOutsideExternals(exported.archive(), name);
        assertEquals(
                List.of(),
                offending,
                name
                        + ": these arguments spell a symbol, which tract leaves unbound when the"
                        + " model is loaded with concrete input facts");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dynamicModels")
    void tractRunsEqualWithSymbolsConcreteFactsAndSetSymbols(String name) throws IOException {
        Assumptions.assumeTrue(
                tract.isPresent(),
                "no tract binary (TRACT_BIN unset, no tract on PATH): loading zoo model "
                        + name
                        + " with concrete facts and --set skipped");
        ZooModel model = manifest.model(name);
        ZooSuiteTest.requireArchive(model);
        String expected = expectations.of(name).map(e -> e.of(CheckerMode.TRACT)).orElse("missing");
        Assumptions.assumeTrue(
                expected.equals(ZooOutcome.PASS),
                name + " is not expected to pass in tract (" + expected + ")");
        ZooRunner runner = new ZooRunner(ZooSuiteTest.ZOO, work.resolve(name), tract);
        ExportOutcome exported = runner.export(model);
        assertTrue(exported.exported(), name + " does not export: " + exported.failure());
        List<String> failures = new ArrayList<>();
        for (TractLoading way :
                List.of(
                        TractLoading.SYMBOLS,
                        new TractLoading.ConcreteFacts(),
                        new TractLoading.SetSymbols())) {
            for (CheckOutcome c : runner.check(model, exported, CheckerMode.TRACT, way)) {
                System.out.println(
                        "zoo "
                                + name
                                + " tract "
                                + c.checkerVersion()
                                + " "
                                + way.getClass().getSimpleName()
                                + " at "
                                + c.at().describe()
                                + ": "
                                + (c.passed() ? "equal" : c.failure()));
                if (!c.passed()) {
                    failures.add(
                            way.getClass().getSimpleName()
                                    + " at "
                                    + c.at().describe()
                                    + ": "
                                    + c.failure());
                }
            }
        }
        assertEquals(List.of(), failures, name + " in tract " + tract.get().version());
    }

    /**
     * The rule can fail: the reshape and tile of the exports before this fix spelled their symbols;
     * the external's shape and the properties' strings do not count.
     */
    @Test
    void theRuleFindsSymbolsSpelledOutsideExternals() throws Exception {
        String graph =
                "version 1.0;\nextension tract_symbol B;\n"
                        + "graph g(x) -> (y, z)\n{\n"
                        + "x = external<scalar>(shape = [B, 64, 2, 2]);\n"
                        + "y = reshape(x, shape = [B, 256]);\n"
                        + "z = tile(x, repeats = [1, 4 * B, 1, 1]);\n"
                        + "w = reshape(x, shape = [0, 256]);\n}\n";
        assertEquals(
                List.of(
                        "[B] in reshape(x, shape = [B, 256])",
                        "[B] in tile(x, repeats = [1, 4 * B, 1, 1])"),
                symbolsOutsideExternals(NnefParser.parse(graph, "g.nnef"), "g"));
    }

    /** Each assignment reading a tract symbol outside an {@code external}'s shape. */
    private static List<String> symbolsOutsideExternals(Path archive, String name)
            throws Exception {
        Path files = work.resolve(name + "-files");
        NnefArchiveReader.extract(archive, files);
        return symbolsOutsideExternals(
                NnefParser.parse(
                        Files.readString(files.resolve("graph.nnef")), name + "!graph.nnef"),
                name);
    }

    private static List<String> symbolsOutsideExternals(NnefModel nnef, String name) {
        Set<String> symbols = new TreeSet<>();
        nnef.extensions().stream()
                .filter(e -> e.name().equals("tract_symbol"))
                .forEach(e -> symbols.add(e.argument()));
        assertTrue(!symbols.isEmpty(), name + " declares no tract symbol: " + nnef.extensions());
        List<String> offending = new ArrayList<>();
        for (Assignment a : nnef.graph().body()) {
            Set<String> used = new TreeSet<>();
            if (a.rvalue() instanceof Invocation inv && isExternal(inv)) {
                inv.named().forEach((arg, e) -> ids(arg.equals("shape") ? Expr.of(0) : e, used));
                inv.positional().forEach(e -> ids(e, used));
            } else {
                ids(a.rvalue(), used);
            }
            used.retainAll(symbols);
            if (!used.isEmpty()) {
                offending.add(used + " in " + NnefPrinter.expr(a.rvalue()));
            }
        }
        return offending;
    }

    private static boolean isExternal(Invocation inv) {
        return inv.name().equals("external") || inv.name().equals("tract_core_external");
    }

    /** The identifiers {@code e} reads. */
    private static void ids(Expr e, Set<String> out) {
        if (e instanceof Expr.Id id) {
            out.add(id.name());
        } else if (e instanceof Invocation inv) {
            inv.positional().forEach(p -> ids(p, out));
            inv.named().values().forEach(p -> ids(p, out));
        } else if (e instanceof Expr.ArrayExpr a) {
            a.items().forEach(i -> ids(i, out));
        } else if (e instanceof Expr.TupleExpr t) {
            t.items().forEach(i -> ids(i, out));
        } else if (e instanceof Expr.Unary u) {
            ids(u.operand(), out);
        } else if (e instanceof Expr.Binary b) {
            ids(b.left(), out);
            ids(b.right(), out);
        } else if (e instanceof Expr.Subscript s) {
            ids(s.target(), out);
            ids(s.index(), out);
        } else if (e instanceof Expr.Slice s) {
            ids(s.target(), out);
            s.begin().ifPresent(b -> ids(b, out));
            s.end().ifPresent(b -> ids(b, out));
        } else if (e instanceof Expr.IfElse c) {
            ids(c.condition(), out);
            ids(c.then(), out);
            ids(c.otherwise(), out);
        } else if (e instanceof Expr.Comprehension c) {
            c.iters().forEach(i -> ids(i.iterable(), out));
            c.filter().ifPresent(f -> ids(f, out));
            ids(c.yield(), out);
        }
    }
}
