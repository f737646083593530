package org.torch2nnef.export;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.torch2nnef.export.spi.ModuleExtractors;
import org.torch2nnef.graph.TorchGraph;
import org.torch2nnef.graph.shapes.SizeAssumption;
import org.torch2nnef.nnef.contract.ModelPropertyKeys;
import org.torch2nnef.nnef.contract.OutputQuantization;
import org.torch2nnef.nnef.io.NnefArchiveWriter;
import org.torch2nnef.nnef.io.TensorTooLargeException;
import org.torch2nnef.nnef.model.NnefModel;
import org.torch2nnef.torchscript.TorchScriptFormatException;

/**
 * Exports traced TorchScript models to NNEF: graph translation by the {@link OpRegistry}'s
 * translators, then one atomic write of {@code graph.nnef} and the {@code .dat} files, whose data
 * is streamed from the TorchScript archive. Nothing is written unless the whole graph translates.
 */
public final class Exporter {
    private static final Logger LOG = LoggerFactory.getLogger(Exporter.class);

    private final OpRegistry registry;
    private final ModuleExtractors extractors;

    /**
     * An exporter with every standard op family and the module extractors found on the class path.
     *
     * @throws IllegalStateException if an extractor on the class path cannot be loaded
     */
    public Exporter() {
        this(OpRegistry.standard(), classPathExtractors());
    }

    /**
     * @param registry the op translators to use (no module extractor)
     */
    public Exporter(OpRegistry registry) {
        this(registry, ModuleExtractors.none());
    }

    /**
     * @param registry the op translators to use
     * @param extractors the module calls exported whole
     */
    public Exporter(OpRegistry registry, ModuleExtractors extractors) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.extractors = Objects.requireNonNull(extractors, "extractors");
    }

    private static ModuleExtractors classPathExtractors() {
        try {
            return ModuleExtractors.discover(Exporter.class.getClassLoader());
        } catch (ExportInputException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * Exports a traced TorchScript file: opens it as a {@link TypedModel} from the declared inputs
     * (or the inputs npz) and dynamic axes, translates and writes it.
     *
     * @param model a {@code torch.jit.trace(...).save(...)} archive
     * @param options inputs, output path, names, strictness, compression
     * @return what was written
     * @throws UnsupportedOpsException listing every node without a translation (nothing written)
     * @throws ExportException for unreadable models, bad declarations, shape or translation
     *     failures (nothing written)
     * @throws IOException if reading or writing fails (no partial output is left)
     */
    public ExportResult export(Path model, ExportOptions options)
            throws ExportException, IOException {
        long t0 = System.nanoTime();
        ModelInputs declared =
                new ModelInputs(options.inputs(), options.inputsNpz(), options.dynamicAxes());
        if (declared.isEmpty() && !ExportedProgramFile.is(model)) {
            throw new ExportInputException(
                    "the model inputs are not declared: give --input NAME=D0,D1,...[:DTYPE] per "
                            + "forward argument, or --inputs-npz FILE");
        }
        // source_sha256 costs as much as reading the file: hash it while the model is read and
        // translated
        // (strict output has no properties, so no hash)
        try (SourceDigest digest = options.strict() ? null : SourceDigest.start(model);
                TypedModel typed =
                        TypedModel.open(
                                model,
                                declared,
                                registry,
                                kind ->
                                        registry.find(kind).isPresent()
                                                || registry.definition(kind)
                                                        .map(
                                                                d ->
                                                                        d.role()
                                                                                == OpDefinition.Role
                                                                                        .FOLD_ONLY)
                                                        .orElse(false))) {
            List<SizeAssumption> assumptions = typed.assumptions();
            for (SizeAssumption a : assumptions) {
                LOG.warn(
                        "{}: assuming {}: torch checks these sizes only when it runs, so the exported model is valid"
                                + " only at sizes where they are equal",
                        model.getFileName(),
                        a.describe());
            }
            Optional<Long> formatVersion = typed.formatVersion();
            String sourceFile = model.getFileName().toString();
            Map<String, String> found = new TreeMap<>(typed.found());
            if (!assumptions.isEmpty()) {
                found.put(
                        ModelPropertyKeys.SIZE_ASSUMPTIONS,
                        String.join(
                                "; ",
                                assumptions.stream()
                                        .map(a -> a.left() + " == " + a.right())
                                        .toList()));
            }
            PropertiesSource properties =
                    () -> provenance(sourceFile, digest, formatVersion, options, found);
            Duration read = Duration.ofNanos(System.nanoTime() - t0);
            return export(
                    typed.graph(),
                    options,
                    typed.inputs().stream().map(InputDeclaration::name).toList(),
                    properties,
                    read,
                    assumptions);
        } catch (TorchScriptFormatException | NoSuchFileException e) {
            throw TypedModel.unreadable(model, e);
        }
    }

    /** The model's properties, asked for only when writing. */
    @FunctionalInterface
    interface PropertiesSource {
        Provenance get() throws IOException;
    }

    /**
     * Properties to write; {@code late}, when not null, fills in the source digest, printed as
     * {@link SourceDigest#PENDING} because it was still being computed.
     */
    record Provenance(SortedMap<String, String> properties, NnefArchiveWriter.LateText late) {}

    /**
     * The properties of an export of {@code sourceFile}, with {@code found} (what the export learnt
     * about the model, e.g. size assumptions) added. An unfinished digest is written last, over a
     * placeholder (for a 500 MB model, hashing takes longer than reading and translating it),
     * unless the placeholder's text occurs in the properties already.
     */
    static Provenance provenance(
            String sourceFile,
            SourceDigest digest,
            Optional<Long> formatVersion,
            ExportOptions options,
            Map<String, String> found)
            throws IOException {
        if (digest == null) {
            return new Provenance(
                    with(ModelProperties.of(null, null, formatVersion, options), found), null);
        }
        if (!digest.isDone()) {
            SortedMap<String, String> pending =
                    with(
                            ModelProperties.of(
                                    sourceFile, SourceDigest.PENDING, formatVersion, options),
                            found);
            long uses =
                    pending.entrySet().stream()
                            .filter(e -> (e.getKey() + e.getValue()).contains(SourceDigest.PENDING))
                            .count();
            if (uses == 1) {
                return new Provenance(
                        pending, new NnefArchiveWriter.LateText(SourceDigest.PENDING, digest::get));
            }
        }
        return new Provenance(
                with(ModelProperties.of(sourceFile, digest.get(), formatVersion, options), found),
                null);
    }

    private static SortedMap<String, String> with(
            SortedMap<String, String> properties, Map<String, String> found) {
        properties.putAll(found);
        return properties;
    }

    /**
     * Exports a graph whose inputs are typed (shape inference done). Its archive must be open: the
     * weights are streamed from it while writing.
     *
     * @param graph the typed graph
     * @param options output path, names, strictness, compression
     * @return what was written
     * @throws UnsupportedOpsException listing every node without a translation (nothing written)
     * @throws ExportException for other translation failures (nothing written)
     * @throws IOException if writing fails (no partial output is left)
     */
    public ExportResult export(TorchGraph graph, ExportOptions options)
            throws ExportException, IOException {
        return export(
                graph,
                options,
                List.of(),
                () -> new Provenance(ModelProperties.of(null, Optional.empty(), options), null),
                Duration.ZERO,
                List.of());
    }

    ExportResult export(
            TorchGraph graph,
            ExportOptions options,
            List<String> inputNames,
            PropertiesSource properties,
            Duration readTime,
            List<SizeAssumption> assumptions)
            throws ExportException, IOException {
        long t0 = System.nanoTime();
        Translation t =
                new GraphTranslator(registry, options.translationOptions(inputNames), extractors)
                        .translate(graph);
        long t1 = System.nanoTime();
        LOG.debug(
                "writing {} with {} variables ({} bytes)",
                options.output(),
                t.variableCount(),
                t.variableBytes());
        // standard NNEF has no properties; tract reads them from this fragment
        Provenance provenance = properties.get();
        if (!t.outputSteps().isEmpty()) {
            provenance
                    .properties()
                    .put(
                            ModelPropertyKeys.OUTPUT_QUANTIZATION,
                            OutputQuantization.format(t.outputSteps()));
        }
        NnefModel model =
                options.strict()
                        ? t.model()
                        : t.model().toBuilder()
                                .fragment(ModelProperties.fragment(provenance.properties()))
                                .build();
        try {
            NnefArchiveWriter.write(
                    model,
                    options.output(),
                    options.compressionLevel(),
                    options.strict() ? null : provenance.late());
        } catch (TensorTooLargeException e) {
            throw new ExportInputException(
                    "cannot write " + options.output() + ": " + e.getMessage(), e);
        }
        long t2 = System.nanoTime();
        return new ExportResult(
                options.output(),
                NnefArchiveWriter.Format.of(options.output()),
                t.inputs(),
                t.outputs(),
                t.opsUsed(),
                t.tractOps(),
                t.symbols(),
                t.variableCount(),
                t.variableBytes(),
                readTime,
                Duration.ofNanos(t1 - t0),
                Duration.ofNanos(t2 - t1),
                assumptions);
    }
}
