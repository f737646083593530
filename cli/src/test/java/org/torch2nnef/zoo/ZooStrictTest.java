package org.torch2nnef.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.torch2nnef.check.CheckRequest;
import org.torch2nnef.check.CheckRunner;
import org.torch2nnef.check.CheckerMode;
import org.torch2nnef.check.nneftools.NnefInferLocator;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.report.ExitCode;
import org.torch2nnef.export.ExportException;
import org.torch2nnef.export.ExportOptions;
import org.torch2nnef.export.Exporter;
import org.torch2nnef.nnef.io.NnefArchiveReader;
import org.torch2nnef.nnef.model.NnefModel;

/**
 * Every non-recurrent zoo model exported with {@code --nnef-spec-strict} at its trace shapes is
 * standard NNEF as Khronos reads it: flat (no fragment, so no KHR extension is needed: nnef-infer
 * runs none of ours), and equal to torch when run by the reference interpreter (which reads it with
 * Khronos' deconv layout and shape rule) and, where {@code nnef-infer} is found ({@code
 * NNEF_INFER_BIN} or PATH), by Khronos' own runtime; those checks are skipped with a message
 * otherwise. Before, conv1d_layers and conv2d_layers wrote tract's deconv filter ("filter batch (4)
 * does not match input channels (8)") and the log_softmax models a fragment without its extension.
 */
class ZooStrictTest {
    /**
     * Zoo models standard NNEF cannot express: they need tract_core_cast or tract_core_erf. So do
     * the quantized samples ({@link ZooModel#quantization}): their quantize casts are
     * tract_core_cast.
     */
    private static final Set<String> REFUSED =
            Set.of(
                    "binarized_mlp",
                    "binarized_convnet",
                    "transformer_encoder_fastpath",
                    "vit_small");

    @TempDir static Path work;
    private static ZooManifest manifest;
    private static Optional<NnefInferLocator.Found> nnefInfer;
    private static final Map<String, Path> EXPORTS = new LinkedHashMap<>();

    @BeforeAll
    static void readZoo() throws IOException {
        manifest = ZooManifest.read(ZooSuiteTest.ZOO);
        nnefInfer = new NnefInferLocator().find(Optional.empty());
    }

    static Stream<String> models() throws IOException {
        return ZooManifest.read(ZooSuiteTest.ZOO).models().stream()
                .filter(m -> m.recurrentModules().isEmpty() && m.wholeModuleOps().isEmpty())
                .map(ZooModel::name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void strictExportIsFlatAndRunsEqualInTheReferenceInterpreter(String name) throws IOException {
        ZooModel model = manifest.model(name);
        Optional<Path> exported = export(model);
        if (exported.isEmpty()) {
            return;
        }
        NnefModel nnef = NnefArchiveReader.read(exported.get());
        assertTrue(nnef.fragments().isEmpty(), name + " defines fragments: " + nnef.fragments());
        assertTrue(nnef.extensions().isEmpty(), name + " declares " + nnef.extensions());
        assertEqual(model, exported.get(), CheckerMode.REFERENCE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void strictExportRunsEqualInNnefInfer(String name) throws IOException {
        Assumptions.assumeTrue(
                nnefInfer.isPresent(),
                "no nnef-infer ("
                        + NnefInferLocator.ENV
                        + " unset, none on PATH): Khronos check of zoo model "
                        + name
                        + " skipped");
        ZooModel model = manifest.model(name);
        Optional<Path> exported = export(model);
        if (exported.isPresent()) {
            assertEqual(model, exported.get(), CheckerMode.NNEF_TOOLS);
        }
    }

    /** The strict export, or empty for a model that must be refused (and was). */
    private static synchronized Optional<Path> export(ZooModel model) throws IOException {
        if (!Files.exists(model.archive())) {
            Assumptions.abort(
                    "zoo model " + model.name() + ": " + model.archive() + " was not generated");
        }
        Path out = work.resolve(model.name() + ".nnef.tgz");
        ExportOptions options =
                ExportOptions.builder(out)
                        .inputs(model.declarations())
                        .outputNames(model.outputs())
                        .strict(true)
                        .build();
        if (REFUSED.contains(model.name()) || model.quantization() != null) {
            ExportException e =
                    assertThrows(
                            ExportException.class,
                            () -> new Exporter().export(model.archive(), options));
            assertTrue(e.getMessage().contains("--nnef-spec-strict"), e.getMessage());
            assertFalse(Files.exists(out), "a refused export leaves no output");
            return Optional.empty();
        }
        if (!EXPORTS.containsKey(model.name())) {
            try {
                new Exporter().export(model.archive(), options);
            } catch (ExportException e) {
                throw new AssertionError(model.name() + ": strict export failed: " + e, e);
            }
            EXPORTS.put(model.name(), out);
        }
        return Optional.of(EXPORTS.get(model.name()));
    }

    private static void assertEqual(ZooModel model, Path exported, CheckerMode checker)
            throws IOException {
        Map<String, List<Long>> traceShapes = new LinkedHashMap<>();
        model.inputs().forEach(i -> traceShapes.put(i.name(), i.shape()));
        ZooModel.Check atTrace = new ZooModel.Check(Map.of(), traceShapes);
        Path inputs = work.resolve(model.name() + "-" + checker.cliName() + "-inputs.npz");
        ZooInputs.write(model, atTrace, ZooRunner.SEED, inputs);
        CheckReport report =
                new CheckRunner()
                        .check(
                                CheckRequest.builder(model.archive(), exported)
                                        .mode(checker)
                                        .approximation(ZooRunner.LEVEL)
                                        .inputsNpz(inputs)
                                        .build());
        System.out.println(
                "zoo strict " + model.name() + " (" + checker.cliName() + "): " + report.verdict());
        assertEquals(
                ExitCode.EQUAL,
                report.verdict(),
                model.name() + ", " + checker.cliName() + ": " + report.message());
    }
}
