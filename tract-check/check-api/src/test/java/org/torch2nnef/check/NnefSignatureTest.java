package org.torch2nnef.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.check.torch.InputSpec;
import org.torch2nnef.nnef.contract.DType;
import org.torch2nnef.nnef.io.NnefParser;

class NnefSignatureTest {
    @TempDir Path tmp;

    private static NnefSignature parse(String body) throws IOException {
        return NnefSignature.of(
                NnefParser.parse("version 1.0;\n" + body, "test.nnef"), "test.nnef");
    }

    @Test
    void readsTypesAndShapesOfEveryExternalKind() throws IOException {
        NnefSignature s =
                parse(
                        "extension tract_registry tract_extra;\n"
                                + "graph g(a, b, c, d) -> (o, p) {\n"
                                + "  a = external<scalar>(shape = [1, 3]);\n"
                                + "  b = external<integer>(shape = [2]);\n"
                                + "  c = external<logical>(shape = []);\n"
                                + "  d = tract_core_external(shape = [4], datum_type = 'u8');\n"
                                + "  o = add(a, a);\n  p = copy(d);\n}\n");
        assertEquals(List.of("a", "b", "c", "d"), s.inputNames());
        assertEquals(
                List.of(DType.F32, DType.I64, DType.BOOL, DType.U8),
                s.inputs().stream().map(ExternalInput::dtype).toList());
        assertEquals(List.of("o", "p"), s.outputs());
        assertTrue(s.tractExtra());
        List<InputSpec> specs = s.resolveShapes(List.of());
        assertArrayEquals(new long[] {1, 3}, specs.get(0).shape());
        assertArrayEquals(new long[] {}, specs.get(2).shape());
    }

    @Test
    void readsTheStringPropertiesOfTractCoreProperties() throws IOException {
        NnefSignature s =
                parse(
                        "extension KHR_enable_fragment_definitions;\n"
                                + "fragment tract_core_properties() -> (properties: (string, tensor<scalar>)[]) {\n"
                                + "  properties = [('tract_target_version', '0.20.22'), ('scale', 2.0), ('owner', 'me')];\n}\n"
                                + "graph g(a) -> (o) {\n  a = external<scalar>(shape = [1]);\n  o = add(a, a);\n}\n");
        assertEquals(
                Map.of("tract_target_version", "0.20.22", "owner", "me"),
                s.properties(),
                "tensor-valued properties are left out");
        assertEquals(
                Map.of(),
                parse(
                                "graph g(a) -> (o) {\n  a = external<scalar>(shape = [1]);"
                                        + "\n  o = add(a, a);\n}\n")
                        .properties());
    }

    @Test
    void symbolsAreBoundFromDeclarationsAndCheckedForConsistency() throws IOException {
        NnefSignature s =
                parse(
                        "extension tract_symbol B;\ngraph g(x, y) -> (o) {\n"
                                + "  x = external<scalar>(shape = [B, 4]);\n  y = external<scalar>(shape = [B, 3]);\n"
                                + "  o = add(x, x);\n}\n");
        assertFalse(s.inputs().get(0).isConcrete());
        assertEquals("[B, 4]", s.inputs().get(0).shapeText());
        List<InputSpec> specs = s.resolveShapes(List.of(InputSpec.parse("x=7,4")));
        assertArrayEquals(new long[] {7, 3}, specs.get(1).shape());
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                s.resolveShapes(
                                        List.of(
                                                InputSpec.parse("x=7,4"),
                                                InputSpec.parse("y=8,3"))));
        assertTrue(
                e.getMessage().contains("symbol B is already 7 from another input, here 8"),
                e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> s.resolveShapes(List.of(InputSpec.parse("x=7"))));
        assertTrue(e.getMessage().contains("the ranks differ"), e.getMessage());
    }

    @Test
    void dimensionExpressionsOfBoundSymbolsAreEvaluated() throws IOException {
        NnefSignature s =
                parse(
                        "extension tract_symbol B;\ngraph g(x, y, z) -> (o) {\n"
                                + "  x = external<scalar>(shape = [B, 4]);\n"
                                + "  y = external<scalar>(shape = [B + 1, 2 * B - 3]);\n"
                                + "  z = external<scalar>(shape = [B / 2]);\n  o = add(x, x);\n}\n");
        List<InputSpec> specs = s.resolveShapes(List.of(InputSpec.parse("x=7,4")));
        assertArrayEquals(new long[] {8, 11}, specs.get(1).shape());
        assertArrayEquals(new long[] {3}, specs.get(2).shape());
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                s.resolveShapes(
                                        List.of(
                                                InputSpec.parse("x=7,4"),
                                                InputSpec.parse("y=9,11"))));
        assertTrue(
                e.getMessage()
                        .contains(
                                "declares 'y' as [B + 1, 2 * B - 3], so dimension 0 must"
                                        + " be 8"),
                e.getMessage());
    }

    @Test
    void anInputWithoutExternalIsAnErrorNamingIt() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                parse(
                                        "graph g(x) -> (o) {\n  x = variable<scalar>(shape = [1], label = 'x');\n"
                                                + "  o = copy(x);\n}\n"));
        assertTrue(
                e.getMessage().contains("test.nnef: graph input 'x' is not defined by external"),
                e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                parse(
                                        "graph g(x) -> (o) {\n  x = tract_core_external(shape = [1], datum_type = 'q9');\n"
                                                + "  o = copy(x);\n}\n"));
        assertTrue(e.getMessage().contains("input 'x': unknown element type 'q9'"), e.getMessage());
    }

    /** Only graph.nnef is read from an archive; it need not come first. */
    @Test
    void readsTheGraphOfATarArchiveAndNamesMissingOnes() throws IOException {
        Path tar = tmp.resolve("m.nnef.tar");
        try (OutputStream out = Files.newOutputStream(tar);
                TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
            add(t, "./w.dat", "not even a .dat: never read");
            add(
                    t,
                    "./graph.nnef",
                    "version 1.0;\ngraph g(x) -> (o) {\n"
                            + "  x = external(shape = [2]);\n  o = copy(x);\n}\n");
        }
        NnefSignature s = NnefSignature.read(tar);
        assertEquals(List.of("x"), s.inputNames());
        assertTrue(s.source().startsWith(tar + "!graph.nnef"), s.source());

        Path empty = tmp.resolve("empty.tar");
        try (OutputStream out = Files.newOutputStream(empty);
                TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
            add(t, "x.dat", "");
        }
        IOException e = assertThrows(IOException.class, () -> NnefSignature.read(empty));
        assertEquals(empty + ": no graph.nnef in this archive", e.getMessage());
        Path dir = Files.createDirectories(tmp.resolve("dir"));
        e = assertThrows(IOException.class, () -> NnefSignature.read(dir));
        assertEquals(dir + ": no graph.nnef in this directory", e.getMessage());
    }

    private static void add(TarArchiveOutputStream t, String name, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(b.length);
        t.putArchiveEntry(e);
        t.write(b);
        t.closeArchiveEntry();
    }
}
