package org.torch2nnef.export;

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
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.nnef.io.NnefArchiveReader;

/**
 * Generated {@code code/} files that nest, recurse or sprawl beyond the documented limits are
 * refused as input errors naming file, line and limit; a long flat graph exports.
 */
class HostileCodeTest {
    @TempDir Path tmp;

    /** A module whose forward takes x and runs {@code body} (indented lines). */
    private Path model(String name, String body) throws IOException {
        String code =
                "class M(Module):\n"
                        + "  __parameters__ = []\n"
                        + "  __buffers__ = []\n"
                        + "  training : bool\n"
                        + "  def forward(self: __torch__.M,\n"
                        + "    x: Tensor) -> Tensor:\n"
                        + body;
        Path file = tmp.resolve(name + ".pt");
        try (ZipFile template = new ZipFile(OpModel.DIR.resolve("nested_relu.pt").toFile());
                OutputStream out = Files.newOutputStream(file);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            byte[] pickle =
                    template.getInputStream(template.getEntry("nested_relu/data.pkl"))
                            .readAllBytes();
            String p = new String(pickle, StandardCharsets.ISO_8859_1);
            p = p.replace("__torch__\nNestedRelu\n", "__torch__\nM\n");
            put(zip, "m/data.pkl", p.getBytes(StandardCharsets.ISO_8859_1));
            put(zip, "m/code/__torch__.py", code.getBytes(StandardCharsets.UTF_8));
            put(zip, "m/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return file;
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private ExportException refused(Path model) {
        Path out = tmp.resolve("out.nnef.tgz");
        ExportOptions options =
                ExportOptions.builder(out).inputs(List.of(InputDeclaration.parse("x=1,4"))).build();
        ExportException e =
                assertThrows(ExportException.class, () -> new Exporter().export(model, options));
        assertFalse(Files.exists(out));
        return e;
    }

    private void assertOverLimit(String body, String head, String property) throws IOException {
        Path model = model("hostile", body);
        ExportException e = refused(model);
        // ExportInputException: the CLI's exit 2
        assertTrue(e instanceof ExportInputException, e.getMessage());
        String message = e.getMessage();
        assertTrue(message.startsWith(model + ": code/__torch__.py:7:"), message);
        assertTrue(message.contains(head), message);
        assertTrue(message.contains("-Dtorch2nnef.limit." + property + "="), message);
    }

    @Test
    void hundredThousandNestedParentheses() throws IOException {
        int n = 100_000;
        assertOverLimit(
                "    return " + "(".repeat(n) + "x" + ")".repeat(n) + "\n",
                "expression nested deeper than 400 levels",
                "expressionDepth");
    }

    @Test
    void fiftyThousandNestedCalls() throws IOException {
        int n = 50_000;
        assertOverLimit(
                "    return " + "torch.relu(".repeat(n) + "x" + ")".repeat(n) + "\n",
                "expression nested deeper than 400 levels",
                "expressionDepth");
    }

    @Test
    void longOperatorChainAndUnaryChain() throws IOException {
        assertOverLimit(
                "    return x" + " + x".repeat(100_000) + "\n",
                "expression nested deeper than 400 levels",
                "expressionDepth");
        assertOverLimit(
                "    return " + "-".repeat(100_000) + "x\n",
                "expression nested deeper than 400 levels",
                "expressionDepth");
        assertOverLimit(
                "    _0 = " + "[".repeat(100_000) + "]".repeat(100_000) + "\n    return x\n",
                "expression nested deeper than 400 levels",
                "expressionDepth");
    }

    @Test
    void tenMegabyteLine() throws IOException {
        assertOverLimit(
                "    return torch.relu(x" + ", x".repeat(5_000_000) + ")\n",
                "line longer than 1000000 characters",
                "lineLength");
    }

    @Test
    void forwardCallingItself() throws IOException {
        Path model = model("recursive", "    return (self).forward(x, )\n");
        ExportException e = refused(model);
        assertTrue(e instanceof ExportInputException, e.getMessage());
        assertEquals(
                model
                        + ": code/__torch__.py:7:13: recursive call of forward: it is already being"
                        + " inlined (traced code never recurses) [module <root> (M)]",
                e.getMessage());
    }

    @Test
    void deepButLegalNestingExports() throws Exception {
        int n = 90; // 4 levels per call: torch . relu ( ... )
        Path model =
                model("deep", "    return " + "torch.relu(".repeat(n) + "x" + ")".repeat(n) + "\n");
        Path out = tmp.resolve("deep.nnef.tgz");
        new Exporter()
                .export(
                        model,
                        ExportOptions.builder(out)
                                .inputs(List.of(InputDeclaration.parse("x=1,4")))
                                .build());
        assertTrue(Files.exists(out));
    }

    /**
     * 50k chained ops export within the default limits; same-named ops once made name allocation
     * quadratic (50k relu took 71 s). bench/run measures the time; this proves it works.
     */
    @Test
    void fiftyThousandChainedOpsExport() throws Exception {
        int n = 50_000;
        StringBuilder body = new StringBuilder();
        String previous = "x";
        for (int i = 0; i < n; i++) {
            body.append("    _").append(i).append(" = torch.relu(").append(previous).append(")\n");
            previous = "_" + i;
        }
        body.append("    return ").append(previous).append('\n');
        Path out = tmp.resolve("chain.nnef.tgz");
        ExportResult r =
                new Exporter()
                        .export(
                                model("chain", body.toString()),
                                ExportOptions.builder(out)
                                        .inputs(List.of(InputDeclaration.parse("x=1,4")))
                                        .build());
        assertEquals("[_49999: float32[1,4]]", r.outputs().toString());
        assertEquals(n + 1, NnefArchiveReader.read(out).graph().body().size()); // and the external
    }
}
