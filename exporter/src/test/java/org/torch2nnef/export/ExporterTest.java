package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.nnef.contract.NpyHeader;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.io.NnefArchiveReader;
import org.torch2nnef.nnef.io.NnefArchiveWriter;
import org.torch2nnef.nnef.io.NnefPrinter;
import org.torch2nnef.nnef.model.NnefModel;
import org.torch2nnef.torchscript.TorchDType;
import org.torch2nnef.torchscript.TorchScriptArchive;

/**
 * The file-to-file export API: formats, declarations, dynamic axes, errors leaving nothing behind.
 */
class ExporterTest {
    @TempDir Path tmp;

    private static Path model(String name) {
        return OpModel.DIR.resolve(name + ".pt");
    }

    @Test
    void dynamicAxisExportRunsAtTwoLengths() throws Exception {
        // conv1d over x[2,4,S] -> [2,6,S] -> transpose -> [2,S,6] -> reshape(2,-1,2) -> [2,3*S,2]
        Path out = tmp.resolve("dyn.nnef.tgz");
        ExportOptions options =
                TractUnderTest.options(out)
                        .inputs(List.of(InputDeclaration.parse("x=2,4,5")))
                        .dynamicAxes(List.of(DynamicAxes.parse("x:2=S")))
                        .build();
        ExportResult r = new Exporter().export(model("dynamic_sequence"), options);
        assertEquals(Set.of("S"), r.symbols());
        assertEquals("[x: float32[2,4,S]]", r.inputs().toString());
        assertEquals("[reshape: float32[2,3*S,2]]", r.outputs().toString());
        String text = NnefPrinter.print(NnefArchiveReader.read(out));
        assertTrue(text.contains("x = external<scalar>(shape = [2, 4, S]);"), text);
        assertTrue(text.contains("shape = [2, 3 * size_S, 2]"), text);
        for (long length : new long[] {5, 9}) {
            List<long[]> shapes = List.of(new long[] {2, 4, length});
            OpNumerics.compare("dynamic_sequence", out, OpNumerics.randomInputs(shapes, length));
        }
    }

    @Test
    void readmeSampleMatchesTorchWithADynamicBatch() throws Exception {
        Path sample = Path.of("..", "samples", "models", "conv_relu_linear.pt");
        Path out = tmp.resolve("conv_relu_linear.nnef.tgz");
        ExportResult r =
                new Exporter()
                        .export(
                                sample,
                                TractUnderTest.options(out)
                                        .inputs(List.of(InputDeclaration.parse("x=2,3,16")))
                                        .dynamicAxes(List.of(DynamicAxes.parse("x:0=B")))
                                        .build());
        assertEquals("[linear: float32[B,5]]", r.outputs().toString());
        for (long batch : new long[] {1, 3}) {
            OpNumerics.compare(
                    sample,
                    out,
                    OpNumerics.randomInputs(List.of(new long[] {batch, 3, 16}), batch));
        }
    }

    @Test
    void inputsComeFromAnNpzFile() throws Exception {
        Path out = tmp.resolve("linear_dir");
        ExportOptions options =
                TractUnderTest.options(out)
                        .inputsNpz(OpModel.DIR.resolve("linear_2d_inputs.npz"))
                        .outputNames(List.of("scores"))
                        .naming(NamingScheme.NUMERIC)
                        .build();
        ExportResult r = new Exporter().export(model("linear_2d"), options);
        assertEquals(NnefArchiveWriter.Format.DIRECTORY, r.format());
        assertEquals("[features: float32[4,5]]", r.inputs().toString());
        assertEquals("[scores: float32[4,3]]", r.outputs().toString());
        assertTrue(Files.isRegularFile(out.resolve("graph.nnef")));
        assertTrue(Files.isRegularFile(out.resolve("v0.dat")));
        OpNumerics.compare(
                "linear_2d", out, OpNumerics.randomInputs(List.of(new long[] {4, 5}), 3));
    }

    @Test
    void npzHeadersGiveNamesShapesAndDtypes() throws Exception {
        List<NpyHeader> entries = Npz.headers(OpModel.DIR.resolve("linear_2d_inputs.npz"));
        assertEquals(1, entries.size());
        assertEquals("features", entries.get(0).name());
        assertEquals(TorchDType.FLOAT32, TorchDType.of(entries.get(0).dtype()).orElseThrow());
        assertArrayEquals(new long[] {4, 5}, entries.get(0).shape());
        IOException e = assertThrows(IOException.class, () -> Npz.headers(model("linear_2d")));
        assertTrue(e.getMessage().contains("not a .npy array"), e.getMessage());
    }

    @Test
    void weightsAreStoredBitExactly() throws Exception {
        Path out = tmp.resolve("conv.nnef.tar");
        new Exporter()
                .export(
                        model("conv2d_groups"),
                        ExportOptions.builder(out)
                                .inputs(List.of(InputDeclaration.parse("x=1,4,7,6")))
                                .build());
        NnefModel read = NnefArchiveReader.read(out);
        try (TorchScriptArchive a = TorchScriptArchive.open(model("conv2d_groups"))) {
            assertArrayEquals(
                    a.root().findTensor("c.weight").orElseThrow().toByteArray(),
                    read.tensors().get("c.weight").readPayload());
            assertArrayEquals(
                    a.root().findTensor("c.bias").orElseThrow().toByteArray(),
                    read.tensors().get("c.bias").readPayload());
        }
    }

    @Test
    void unsupportedOpsLeaveNoOutput() throws Exception {
        Path out = tmp.resolve("bad.nnef.tgz");
        ExportOptions options =
                ExportOptions.builder(out).inputs(List.of(InputDeclaration.parse("x=2,3"))).build();
        UnsupportedOpsException e =
                assertThrows(
                        UnsupportedOpsException.class,
                        () -> new Exporter().export(model("unsupported"), options));
        assertEquals(
                List.of("aten::erfinv", "aten::cumsum"),
                e.problems().stream().map(OpProblem::kind).toList());
        assertTrue(
                e.problems()
                        .get(0)
                        .module()
                        .equals("a (" + e.problems().get(0).module().substring(3)),
                e.getMessage());
        assertTrue(e.problems().get(1).location().contains("make_op_models.py:"), e.getMessage());
        assertFalse(Files.exists(out));
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void strictModeFailsWithoutOutput() throws Exception {
        Path out = tmp.resolve("gelu.nnef.tgz");
        ExportOptions options =
                ExportOptions.builder(out)
                        .inputs(List.of(InputDeclaration.parse("x=2,8")))
                        .strict(true)
                        .build();
        UnsupportedOpsException e =
                assertThrows(
                        UnsupportedOpsException.class,
                        () -> new Exporter().export(model("gelu_exact"), options));
        assertTrue(e.getMessage().contains("aten::gelu"), e.getMessage());
        assertTrue(
                e.getMessage().contains("needs the tract extension tract_core_erf"),
                e.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void linesNamedAfterForwardArgumentsBindThemInAnyOrder() throws Exception {
        ExportResult r =
                new Exporter()
                        .export(
                                model("bmm"),
                                ExportOptions.builder(tmp.resolve("bmm.nnef.tgz"))
                                        .inputs(
                                                List.of(
                                                        InputDeclaration.parse("b=2,4,5"),
                                                        InputDeclaration.parse("a=2,3,4")))
                                        .build());
        assertEquals("[a: float32[2,3,4], b: float32[2,4,5]]", r.inputs().toString());
    }

    @Test
    void declarationMistakesAreReported() throws Exception {
        Path out = tmp.resolve("m.nnef.tgz");
        ExportException missing =
                assertThrows(
                        ExportException.class,
                        () ->
                                new Exporter()
                                        .export(
                                                model("linear_2d"),
                                                ExportOptions.builder(out).build()));
        assertTrue(
                missing.getMessage().startsWith("the model inputs are not declared"),
                missing.getMessage());
        ExportException count =
                assertThrows(
                        ExportException.class,
                        () ->
                                new Exporter()
                                        .export(
                                                model("bmm"),
                                                ExportOptions.builder(out)
                                                        .inputs(
                                                                List.of(
                                                                        InputDeclaration.parse(
                                                                                "a=2,3,4")))
                                                        .build()));
        assertTrue(
                count.getMessage().endsWith("bmm.pt takes 2 inputs [a, b] but 1 are declared [a]"),
                count.getMessage());
        ExportException axes =
                assertThrows(
                        ExportException.class,
                        () ->
                                new Exporter()
                                        .export(
                                                model("linear_2d"),
                                                ExportOptions.builder(out)
                                                        .inputs(
                                                                List.of(
                                                                        InputDeclaration.parse(
                                                                                "x=4,5")))
                                                        .dynamicAxes(
                                                                List.of(DynamicAxes.parse("y:0=B")))
                                                        .build()));
        assertTrue(axes.getMessage().contains("names input 'y'"), axes.getMessage());
        ExportException literal =
                assertThrows(
                        ExportException.class,
                        () ->
                                new Exporter()
                                        .export(
                                                model("linear_2d"),
                                                ExportOptions.builder(out)
                                                        .inputs(
                                                                List.of(
                                                                        InputDeclaration.parse(
                                                                                "inf_x=4,5")))
                                                        .build()));
        assertEquals(
                "input name 'inf_x' is not a valid NNEF identifier (try 't_inf_x')",
                literal.getMessage());
        ExportException symbol =
                assertThrows(
                        ExportException.class,
                        () ->
                                new Exporter()
                                        .export(
                                                model("linear_2d"),
                                                ExportOptions.builder(out)
                                                        .inputs(
                                                                List.of(
                                                                        InputDeclaration.parse(
                                                                                "B=4,5")))
                                                        .dynamicAxes(
                                                                List.of(DynamicAxes.parse("B:0=B")))
                                                        .build()));
        assertEquals(
                "input name 'B' is already taken by a tract symbol or another input",
                symbol.getMessage());
        assertFalse(Files.exists(out));
    }
}
