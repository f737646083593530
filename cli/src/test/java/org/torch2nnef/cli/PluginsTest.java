package org.torch2nnef.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.check.CheckRequest;
import org.torch2nnef.check.CheckRunner;
import org.torch2nnef.check.CheckerMode;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.torch.InputSpec;
import org.torch2nnef.nnef.io.NnefArchiveReader;
import org.torch2nnef.nnef.io.NnefPrinter;

/**
 * The example plugin of samples/film-plugin, loaded from its jar with {@code --plugins} (the jar is
 * not on the test class path, so only the plugin class loader can see its extractor): the export
 * uses its {@code film_modulate} fragment; without the jar the same module exports op by op. Both
 * compute what torch computes (reference check).
 */
class PluginsTest {
    private static final Path JAR =
            Path.of(System.getProperty("film.plugin.jar", "missing")).toAbsolutePath().normalize();
    private static final Path MODEL =
            Path.of(System.getProperty("film.plugin.example", "missing"), "film.pt")
                    .toAbsolutePath()
                    .normalize();

    @TempDir Path tmp;

    @BeforeAll
    static void pluginJarIsBuilt() {
        assertTrue(
                Files.isRegularFile(JAR),
                JAR
                        + " is missing: build with `mvn verify` from the root, which packages"
                        + " samples/film-plugin before cli's tests");
    }

    private record Run(int exit, String out, String err) {}

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = Torch2Nnef.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    private Run export(Path out, String... extra) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "export",
                                MODEL.toString(),
                                "--input",
                                "x=1,2,6",
                                "--input",
                                "z=1,3",
                                "-o",
                                out.toString()));
        args.addAll(List.of(extra));
        return cli(args.toArray(String[]::new));
    }

    private static void assertMatchesTorch(Path nnef) {
        CheckReport r =
                CheckRunner.run(
                        CheckRequest.builder(MODEL, nnef)
                                .mode(CheckerMode.REFERENCE)
                                .inputShapes(
                                        List.of(
                                                InputSpec.parse("x=1,2,6"),
                                                InputSpec.parse("z=1,3")))
                                .build());
        assertEquals(0, r.exitCode(), r.toConsoleTable());
    }

    @Test
    void theExtractorIsNotOnTheClassPath() {
        assertThrows(
                ClassNotFoundException.class,
                () -> Class.forName("org.example.film.FilmExtractor"));
    }

    @Test
    void opsListsThePluginExtractorAndWhereItComesFrom() {
        Run with = cli("ops", "--plugins", JAR.toString());
        assertEquals(0, with.exit(), with.err());
        assertTrue(
                with.out()
                        .contains(
                                "  FiLM -> org.example.film.FilmExtractor [plugin, file:"
                                        + JAR
                                        + "]"),
                with.out());
        assertTrue(
                with.out()
                        .contains(
                                "  torch.nn.modules.rnn.LSTM -> org.torch2nnef.extractors.LstmExtractor [built-in, "),
                with.out());
        Run without = cli("ops");
        assertFalse(without.out().contains("FiLM"), without.out());
        Run dir = cli("ops", "--plugins", JAR.getParent().toString());
        assertTrue(
                dir.out().contains("FiLM -> org.example.film.FilmExtractor [plugin, "), dir.out());
    }

    @Test
    void withThePluginTheModuleBecomesItsFragment() throws Exception {
        Path out = tmp.resolve("film.nnef.tgz");
        Run r = export(out, "--plugins", JAR.toString());
        assertEquals(0, r.exit(), r.err());
        String text = NnefPrinter.print(NnefArchiveReader.read(out));
        assertTrue(text.contains("fragment film_modulate("), text);
        assertTrue(text.contains(" = film_modulate("), text);
        assertFalse(text.contains("linear("), text);
        assertMatchesTorch(out);
    }

    @Test
    void withoutThePluginTheModuleExportsOpByOp() throws Exception {
        Path out = tmp.resolve("film_ops.nnef.tgz");
        Run r = export(out);
        assertEquals(0, r.exit(), r.err());
        String text = NnefPrinter.print(NnefArchiveReader.read(out));
        assertFalse(text.contains("film_modulate"), text);
        assertTrue(text.contains("mul("), text);
        assertMatchesTorch(out);
    }

    @Test
    void aMissingPluginPathIsAUsageError() {
        Path missing = tmp.resolve("nope.jar");
        Run r = export(tmp.resolve("x.nnef.tgz"), "--plugins", missing.toString());
        assertEquals(2, r.exit(), r.out());
        assertTrue(
                r.err().contains("--plugins " + missing + ": no such jar or directory"), r.err());
        Run empty = cli("ops", "--plugins", tmp.toString());
        assertEquals(2, empty.exit());
        assertTrue(empty.err().contains("the directory holds no .jar file"), empty.err());
    }
}
