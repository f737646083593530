package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.torch2nnef.export.ops.CastOps;
import org.torch2nnef.export.ops.ComparisonOps;
import org.torch2nnef.export.ops.CreationOps;
import org.torch2nnef.nnef.io.NnefArchiveReader;
import org.torch2nnef.nnef.io.NnefPrinter;

/**
 * The creation, comparison/logic and cast families ({@link CreationOps}, {@link ComparisonOps},
 * {@link CastOps}), each op and variant exercised by a model of make_misc_models.py and compared
 * with torch (see {@link OpNumerics}).
 */
class MiscOpsNumericTest {
    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "creation_constants",
                "creation_arange",
                "comparisons",
                "logical",
                "where_select",
                "min_max",
                "casts"
            })
    void matchesTorch(String model) throws Exception {
        List<long[]> shapes = OpNumerics.inputShapes(model);
        ExportOptions options =
                TractUnderTest.options(tmp.resolve(model + ".nnef.tgz"))
                        .inputs(OpNumerics.declarations(shapes))
                        .build();
        OpNumerics.exportAndCompare(model, options, OpNumerics.randomInputs(shapes, 11));
    }

    /**
     * Shapes from a dynamic batch: broadcast constants and a range of dynamic length, run at two
     * batch sizes.
     */
    @Test
    void dynamicCreationMatchesTorchAtTwoBatchSizes() throws Exception {
        Path out = tmp.resolve("creation_dynamic.nnef.tgz");
        ExportResult r =
                new Exporter()
                        .export(
                                OpModel.DIR.resolve("creation_dynamic.pt"),
                                TractUnderTest.options(out)
                                        .inputs(List.of(InputDeclaration.parse("in0=3,5")))
                                        .dynamicAxes(List.of(DynamicAxes.parse("in0:0=B")))
                                        .build());
        assertEquals(Set.of("B"), r.symbols());
        String text = NnefPrinter.print(NnefArchiveReader.read(out));
        assertTrue(
                text.contains("tract_core_broadcast") && text.contains("tract_core_range"), text);
        for (long batch : new long[] {2, 6}) {
            OpNumerics.compare(
                    "creation_dynamic",
                    out,
                    OpNumerics.randomInputs(List.of(new long[] {batch, 5}), batch));
        }
    }

    /**
     * The element-wise families with a dynamic batch (axis 0 of every rank-2 input is {@code B}),
     * run at two batch sizes.
     */
    @ParameterizedTest
    @ValueSource(strings = {"comparisons", "logical", "where_select", "min_max", "casts"})
    void dynamicBatchMatchesTorchAtTwoSizes(String model) throws Exception {
        List<long[]> shapes = OpNumerics.inputShapes(model);
        List<DynamicAxes> dynamic = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            if (shapes.get(i).length == 2) {
                dynamic.add(DynamicAxes.parse("in" + i + ":0=B"));
            }
        }
        Path out = tmp.resolve(model + "_dynamic.nnef.tgz");
        new Exporter()
                .export(
                        OpModel.DIR.resolve(model + ".pt"),
                        TractUnderTest.options(out)
                                .inputs(OpNumerics.declarations(shapes))
                                .dynamicAxes(dynamic)
                                .build());
        for (long batch : new long[] {1, 5}) {
            List<long[]> run =
                    shapes.stream().map(s -> s.length == 2 ? new long[] {batch, s[1]} : s).toList();
            OpNumerics.compare(model, out, OpNumerics.randomInputs(run, batch));
        }
    }

    @Test
    void aCastToADtypeTractLacksIsRefusedNamingIt() {
        ExportOptions options =
                TractUnderTest.options(tmp.resolve("cast_bfloat16.nnef.tgz"))
                        .inputs(OpNumerics.declarations(List.of(new long[] {2, 3})))
                        .build();
        Exception e =
                assertThrows(
                        Exception.class,
                        () ->
                                new Exporter()
                                        .export(OpModel.DIR.resolve("cast_bfloat16.pt"), options));
        assertTrue(
                e.getMessage().contains("aten::to") && e.getMessage().contains("bfloat16"),
                e.getMessage());
    }

    @Test
    void strictModeRefusesACastThatChangesTheElementType() {
        ExportOptions options =
                TractUnderTest.options(tmp.resolve("casts.nnef.tgz"))
                        .inputs(
                                OpNumerics.declarations(
                                        List.of(new long[] {2, 3}, new long[] {2, 3})))
                        .strict(true)
                        .build();
        Exception e =
                assertThrows(
                        Exception.class,
                        () -> new Exporter().export(OpModel.DIR.resolve("casts.pt"), options));
        assertTrue(
                e.getMessage().contains("tract_core_cast") && e.getMessage().contains("aten::to"),
                e.getMessage());
    }

    @Test
    void bitwiseArithmeticOnIntegersIsRefusedNamingTheOp() {
        ExportOptions options =
                TractUnderTest.options(tmp.resolve("bitwise_int.nnef.tgz"))
                        .inputs(OpNumerics.declarations(List.of(new long[] {2, 3})))
                        .build();
        Exception e =
                assertThrows(
                        Exception.class,
                        () ->
                                new Exporter()
                                        .export(OpModel.DIR.resolve("bitwise_int.pt"), options));
        assertTrue(
                e.getMessage().contains("aten::__and__") && e.getMessage().contains("int64"),
                e.getMessage());
    }
}
