package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.nnef.io.NnefArchiveReader;
import org.torch2nnef.nnef.io.NnefPrinter;

/**
 * Tract version targeting ({@link TractTarget}) and the {@code tract_core_properties} of exports
 * ({@link ModelProperties}).
 */
class TractTargetTest {
    @TempDir Path tmp;

    @Test
    void parsesVersionsAndRefusesUnsupportedOnes() {
        assertEquals(new TractTarget(0, 21, 15), TractTarget.parse("v0.21.15"));
        assertTrue(TractTarget.parse("0.22.0").compareTo(TractTarget.parse("0.21.17")) > 0);
        assertTrue(
                assertThrows(IllegalArgumentException.class, () -> TractTarget.parse("0.21"))
                        .getMessage()
                        .contains("X.Y.Z"));
        assertTrue(
                assertThrows(IllegalArgumentException.class, () -> TractTarget.parse("0.19.9"))
                        .getMessage()
                        .contains("oldest supported release 0.20.0"));
    }

    @Test
    void theTableGatesOperatorsByTheirFirstRelease() {
        assertFalse(TractTarget.parse("0.21.14").allows("tract_core_log_softmax"));
        assertTrue(TractTarget.parse("0.21.15").allows("tract_core_log_softmax"));
        assertFalse(TractTarget.NEWEST_SUPPORTED.allows("copy"));
        assertTrue(TractTarget.OLDEST_SUPPORTED.allows("tract_core_erf"));
    }

    @Test
    void formsAreGatedByTheReleaseOfTractsReader() {
        assertFalse(TractTarget.parse("0.21.1").allows(TractTarget.SYMBOLS_IN_EXPRESSIONS));
        assertTrue(TractTarget.parse("0.21.2").allows(TractTarget.SYMBOLS_IN_EXPRESSIONS));
        assertFalse(TractTarget.parse("0.20.5").allows(TractTarget.SYMBOLIC_BROADCAST));
        assertTrue(TractTarget.parse("0.20.6").allows(TractTarget.SYMBOLIC_BROADCAST));
        assertEquals(TractTarget.parse("0.20.22"), TractTarget.forRelease("0.20.22"));
        assertEquals(TractTarget.NEWEST_SUPPORTED, TractTarget.forRelease("0.23.1"));
        assertThrows(IllegalArgumentException.class, () -> TractTarget.forRelease("0.19.16"));
    }

    /**
     * Before 0.21.2 tract reads symbols in shape arguments only: an expand to a dynamic size is
     * then a broadcast, a dynamic range bound the length of a broadcast read by
     * tract_core_shape_of. Both forms compute what torch does at two lengths (and load in tract
     * when it is found).
     */
    @Test
    void dynamicSizesOutsideShapeArgumentsHaveAFormBefore0212() throws Exception {
        for (String version : new String[] {"0.20.22", "0.21.2"}) {
            boolean before = version.equals("0.20.22");
            Path sliced = tmp.resolve("slice_dynamic-" + version + ".nnef.tgz");
            ExportResult s =
                    new Exporter()
                            .export(
                                    OpModel.DIR.resolve("slice_dynamic.pt"),
                                    ExportOptions.builder(sliced)
                                            .inputs(List.of(InputDeclaration.parse("in0=2,5,3")))
                                            .dynamicAxes(List.of(DynamicAxes.parse("in0:1=S")))
                                            .tract(TractTarget.parse(version))
                                            .build());
            String text = NnefPrinter.print(NnefArchiveReader.read(sliced));
            assertEquals(before, s.tractOps().contains("tract_core_broadcast"), text);
            assertEquals(!before, text.contains("repeats = [1, size_S, 1]"), text);
            for (long length : new long[] {4, 9}) {
                OpNumerics.compare(
                        "slice_dynamic",
                        sliced,
                        OpNumerics.randomInputs(List.of(new long[] {2, length, 3}), length));
            }
            Path created = tmp.resolve("creation_dynamic-" + version + ".nnef.tgz");
            ExportResult c =
                    new Exporter()
                            .export(
                                    OpModel.DIR.resolve("creation_dynamic.pt"),
                                    ExportOptions.builder(created)
                                            .inputs(List.of(InputDeclaration.parse("in0=3,5")))
                                            .dynamicAxes(List.of(DynamicAxes.parse("in0:0=B")))
                                            .tract(TractTarget.parse(version))
                                            .build());
            text = NnefPrinter.print(NnefArchiveReader.read(created));
            // from 0.21.2 the bound is read with tract_core_shape_of too, and computed in place
            assertTrue(c.tractOps().contains("tract_core_shape_of"), text);
            assertEquals(!before, text.contains("tract_core_range(0, size_B, 1)"), text);
            for (long batch : new long[] {2, 6}) {
                OpNumerics.compare(
                        "creation_dynamic",
                        created,
                        OpNumerics.randomInputs(List.of(new long[] {batch, 5}), batch));
            }
        }
    }

    @Test
    void dynamicSizesTheTargetCannotReadFailNamingTheRelease() throws Exception {
        OneNodeGraph.assertFails(
                TractTarget.parse("0.20.22"),
                "aten::repeat",
                "f32[2,3]",
                "f32[2,3*S]",
                List.of(List.of(1L, "S")),
                "needs a tract_symbol outside shape arguments, which tract reads from 0.21.2 on;"
                        + " the export targets tract 0.20.22 (--tract-version)");
        OneNodeGraph.assertFails(
                TractTarget.parse("0.20.5"),
                "aten::zeros_like",
                "f32[S,3]",
                "f32[S,3]",
                List.of(),
                "needs tract_core_broadcast to a symbolic shape, which tract reads from 0.20.6 on; the export targets"
                        + " tract 0.20.5");
    }

    /**
     * Exact slices of dynamic axes: tract_core_dyn_slice from 0.20.18, with symbols in its bounds
     * from 0.21.2.
     */
    @Test
    void dynamicSlicesAreGatedByTheirFirstReleases() {
        assertFalse(TractTarget.parse("0.20.17").allows("tract_core_dyn_slice"));
        assertTrue(TractTarget.parse("0.20.18").allows("tract_core_dyn_slice"));
        assertFalse(TractTarget.parse("0.21.1").allows(TractTarget.SYMBOLS_IN_EXPRESSIONS));
        assertTrue(TractTarget.parse("0.21.2").allows(TractTarget.SYMBOLS_IN_EXPRESSIONS));
    }

    /**
     * log_softmax is tract's operator from 0.21.15 on, the standard fragment below: both compute
     * what torch does.
     */
    @Test
    void logSoftmaxBelowAndAboveItsGateMatchesTorch() throws Exception {
        List<long[]> shapes = OpNumerics.inputShapes("softmaxes");
        for (String version : new String[] {"0.21.14", "0.21.15"}) {
            Path out = tmp.resolve("softmaxes-" + version + ".nnef.tgz");
            ExportResult r =
                    OpNumerics.exportAndCompare(
                            "softmaxes",
                            ExportOptions.builder(out)
                                    .inputs(OpNumerics.declarations(shapes))
                                    .tract(TractTarget.parse(version))
                                    .build(),
                            OpNumerics.randomInputs(shapes, 3));
            String text = NnefPrinter.print(NnefArchiveReader.read(out));
            boolean native_ = version.equals("0.21.15");
            assertEquals(native_, r.tractOps().contains("tract_core_log_softmax"), text);
            assertEquals(!native_, text.contains("t2n_log_softmax"), text);
            assertTrue(text.contains("('tract_target_version', '" + version + "')"), text);
        }
    }

    @Test
    void anOperatorTheTargetLacksFailsNamingItAndItsFirstRelease() {
        TranslationContext ctx =
                new TranslationContext(
                        new TranslationOptions(
                                NamingScheme.NATURAL_VERBOSE,
                                false,
                                List.of(),
                                List.of(),
                                TractTarget.parse("0.21.14")),
                        new TreeSet<>());
        TranslationException e =
                assertThrows(
                        TranslationException.class,
                        () -> ctx.tract().tractOp("tract_core_log_softmax"));
        assertTrue(
                e.getMessage()
                        .contains(
                                "tract_core_log_softmax, which tract reads from 0.21.15 on; the export targets"
                                        + " tract 0.21.14"),
                e.getMessage());
    }

    @Test
    void twoExportsWithTheSameOptionsAreByteIdentical() throws Exception {
        Path a = tmp.resolve("a.nnef.tgz");
        Path b = tmp.resolve("b.nnef.tgz");
        for (Path out : new Path[] {a, b}) {
            new Exporter()
                    .export(
                            OpModel.DIR.resolve("linear_2d.pt"),
                            ExportOptions.builder(out)
                                    .inputs(List.of(InputDeclaration.parse("x=4,5")))
                                    .property("team", "audio")
                                    .build());
        }
        assertEquals(-1L, Files.mismatch(a, b));
        String text = NnefPrinter.print(NnefArchiveReader.read(a));
        assertTrue(text.contains("fragment tract_core_properties"), text);
        assertTrue(
                text.contains("('source_file', 'linear_2d.pt')")
                        && text.contains("('team', 'audio')")
                        && text.contains(
                                "('source_sha256', '"
                                        + ModelProperties.sha256(
                                                OpModel.DIR.resolve("linear_2d.pt"))
                                        + "')")
                        && text.contains(
                                "('torch2nnef_version', '"
                                        + ModelProperties.exporterVersion()
                                        + "')"),
                text);
        assertFalse(text.contains("export_time"), text);
    }

    @Test
    void identityPropertiesOnlyWhenAskedAndNoPropertiesWhenStrict() throws Exception {
        Path out = tmp.resolve("id.nnef.tgz");
        new Exporter()
                .export(
                        OpModel.DIR.resolve("linear_2d.pt"),
                        ExportOptions.builder(out)
                                .inputs(List.of(InputDeclaration.parse("x=4,5")))
                                .propertyIdentity(true)
                                .build());
        String text = NnefPrinter.print(NnefArchiveReader.read(out));
        assertTrue(text.contains("'export_time'") && text.contains("'export_user'"), text);
        Path strict = tmp.resolve("strict.nnef.tgz");
        new Exporter()
                .export(
                        OpModel.DIR.resolve("linear_2d.pt"),
                        ExportOptions.builder(strict)
                                .inputs(List.of(InputDeclaration.parse("x=4,5")))
                                .strict(true)
                                .build());
        assertFalse(
                NnefPrinter.print(NnefArchiveReader.read(strict))
                        .contains("tract_core_properties"));
        assertTrue(
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ExportOptions.builder(out).property("source_file", "x"))
                        .getMessage()
                        .contains("written by the exporter"));
    }
}
