package org.torch2nnef.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.torch2nnef.graph.GraphBuildException;
import org.torch2nnef.graph.GraphBuilder;
import org.torch2nnef.graph.TorchGraph;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType.TensorType;
import org.torch2nnef.graph.shapes.ShapeInferenceException;
import org.torch2nnef.graph.shapes.SizeAssumption;
import org.torch2nnef.torchscript.TorchScriptArchive;
import org.torch2nnef.torchscript.TorchScriptFormatException;
import org.torch2nnef.torchscript.code.Limits;

/**
 * A traced model opened, built into a graph and typed from the user's input declarations: the one
 * front door of export, inspect and check, so that {@code --input} means the same in each (see
 * {@link InputBinding}). Close it when done with the graph, whose tensors are read from the
 * archive.
 */
public final class TypedModel implements AutoCloseable {
    private final AutoCloseable source;
    private final TorchGraph graph;
    private final List<InputDeclaration> inputs;
    private final Map<String, Long> exampleSizes;
    private final List<SizeAssumption> assumptions;

    private final Map<String, String> found;

    private TypedModel(
            AutoCloseable source,
            TorchGraph graph,
            List<InputDeclaration> inputs,
            Map<String, Long> exampleSizes,
            List<SizeAssumption> assumptions,
            Map<String, String> found) {
        this.source = source;
        this.found = Map.copyOf(found);
        this.graph = graph;
        this.inputs = List.copyOf(inputs);
        this.exampleSizes = Map.copyOf(exampleSizes);
        this.assumptions = List.copyOf(assumptions);
    }

    /**
     * Opens a model and types its graph from the declarations; without declarations the graph is
     * left untyped.
     *
     * @param model a {@code torch.jit.trace(...).save(...)} archive
     * @param declared the input declarations and dynamic axes
     * @return the open model
     * @throws ExportInputException for a file that is not a traced archive, or declarations that do
     *     not fit the model
     * @throws ExportException when the graph cannot be built or typed
     * @throws IOException if reading fails
     */
    public static TypedModel open(Path model, ModelInputs declared)
            throws ExportException, IOException {
        return open(model, declared, OpRegistry.standard(), kind -> true, false);
    }

    /**
     * Opens a model as {@link #open(Path, ModelInputs)} does, for an export: when typing fails and
     * some ops have no translation, those are the more useful report.
     *
     * @param model a {@code torch.jit.trace(...).save(...)} archive
     * @param declared the input declarations and dynamic axes
     * @param registry the ops: their signatures and shape rules
     * @param hasTranslation whether an op kind has a translation
     * @return the open model
     * @throws UnsupportedOpsException listing every node of a quantization scheme that is not
     *     exported ({@link QuantizedSchemes}) with every node without a translation; or, when
     *     typing fails, every node without a translation
     * @throws ExportException as {@link #open(Path, ModelInputs)}
     * @throws IOException if reading fails
     */
    public static TypedModel open(
            Path model, ModelInputs declared, OpRegistry registry, Predicate<String> hasTranslation)
            throws ExportException, IOException {
        return open(model, declared, registry, hasTranslation, true);
    }

    private static TypedModel open(
            Path model,
            ModelInputs declared,
            OpRegistry registry,
            Predicate<String> hasTranslation,
            boolean refuseSchemes)
            throws ExportException, IOException {
        try {
            Limits.validate();
        } catch (IllegalArgumentException e) {
            throw new ExportInputException(e.getMessage(), e);
        }
        if (ExportedProgramFile.is(model)) {
            return ExportedProgramFile.open(model, declared, registry, hasTranslation);
        }
        TorchScriptArchive archive;
        try {
            archive = TorchScriptArchive.open(model);
        } catch (TorchScriptFormatException | NoSuchFileException e) {
            throw unreadable(model, e);
        }
        try {
            return typed(model, archive, declared, registry, hasTranslation, refuseSchemes);
        } catch (Throwable t) {
            try {
                archive.close();
            } catch (IOException suppressed) {
                t.addSuppressed(suppressed);
            }
            throw t;
        }
    }

    private static TypedModel typed(
            Path model,
            TorchScriptArchive archive,
            ModelInputs declared,
            OpRegistry registry,
            Predicate<String> hasTranslation,
            boolean refuseSchemes)
            throws ExportException {
        TorchGraph graph;
        try {
            graph = GraphBuilder.build(archive, registry.schemas());
        } catch (GraphBuildException e) {
            if (e.overLimit()) {
                throw new ExportInputException(model + ": " + e.getMessage(), e);
            }
            // a code file the archive cannot give (corrupt entry, limit) is an input error
            if (e.getCause() instanceof UncheckedIOException u
                    && u.getCause() instanceof TorchScriptFormatException f) {
                throw unreadable(model, f);
            }
            throw new ExportException(model + ": " + e.getMessage(), e);
        }
        if (refuseSchemes) {
            List<OpProblem> refused = QuantizedSchemes.refusals(graph, registry);
            if (!refused.isEmpty()) {
                // with the other ops an export would stop at, so that one report lists them all
                List<OpProblem> all = new ArrayList<>(refused);
                graph.nodes().stream()
                        .filter(n -> !hasTranslation.test(n.kind()))
                        .filter(n -> QuantizedSchemes.scheme(n, registry).isEmpty())
                        .map(n -> OpProblem.at(n, "no NNEF translation for this op"))
                        .forEach(all::add);
                throw new UnsupportedOpsException(all);
            }
        }
        List<InputDeclaration> lines = declared.declarations();
        if (lines.isEmpty()) {
            return new TypedModel(archive, graph, List.of(), Map.of(), List.of(), Map.of());
        }
        List<String> forwardNames = graph.inputs().stream().map(Value::name).toList();
        List<InputDeclaration> bound =
                InputBinding.inForwardOrder(model.toString(), forwardNames, lines);
        List<DynamicAxes> axes =
                InputBinding.byNnefName(forwardNames, bound, declared.dynamicAxes());
        return typed(
                model, archive, graph, bound, axes, Map.of(), Map.of(), registry, hasTranslation);
    }

    /**
     * Types {@code graph} from inputs bound in forward order; a failure lists the ops without a
     * translation when there are any. Shared by both front ends.
     *
     * @param ranges the sizes each symbol may take, where known (proves sizes equal)
     * @param found what the front end learnt about the model, for its properties
     */
    static TypedModel typed(
            Path model,
            AutoCloseable source,
            TorchGraph graph,
            List<InputDeclaration> bound,
            List<DynamicAxes> axes,
            Map<String, long[]> ranges,
            Map<String, String> found,
            OpRegistry registry,
            Predicate<String> hasTranslation)
            throws ExportException {
        List<String> forwardNames = graph.inputs().stream().map(Value::name).toList();
        Map<String, TensorType> byNnefName;
        Map<String, Long> exampleSizes;
        try {
            byNnefName = InputTypes.of(bound, axes);
            exampleSizes = InputTypes.exampleSizes(bound, axes);
        } catch (IllegalArgumentException e) {
            throw new ExportInputException(e.getMessage(), e);
        }
        Map<String, TensorType> byForwardName = new LinkedHashMap<>();
        for (int i = 0; i < bound.size(); i++) {
            byForwardName.put(forwardNames.get(i), byNnefName.get(bound.get(i).name()));
        }
        try {
            List<SizeAssumption> assumptions =
                    registry.shapeInference().run(graph, byForwardName, exampleSizes, ranges);
            return new TypedModel(source, graph, bound, exampleSizes, assumptions, found);
        } catch (ShapeInferenceException e) {
            List<OpProblem> untranslatable =
                    graph.nodes().stream()
                            .filter(n -> !hasTranslation.test(n.kind()))
                            .map(n -> OpProblem.at(n, "no NNEF translation for this op"))
                            .toList();
            if (!untranslatable.isEmpty()) {
                throw new UnsupportedOpsException(untranslatable);
            }
            throw new ExportException(model + ": " + e.getMessage(), e);
        }
    }

    /** An untyped model (no declarations). */
    static TypedModel untyped(AutoCloseable source, TorchGraph graph, Map<String, String> found) {
        return new TypedModel(source, graph, List.of(), Map.of(), List.of(), found);
    }

    /** The input error for a model file that is missing or not a traced archive. */
    static ExportInputException unreadable(Path model, IOException e) {
        return new ExportInputException(
                model + ": " + (e instanceof NoSuchFileException ? "no such file" : e.getMessage()),
                e);
    }

    /**
     * @return the TorchScript format version the archive records (none for a torch.export program)
     * @throws IOException if the archive's version entry is unreadable
     */
    public Optional<Long> formatVersion() throws IOException {
        return source instanceof TorchScriptArchive a ? a.formatVersion() : Optional.empty();
    }

    /**
     * @return what the front end learnt about the model for its properties (a torch.export
     *     program's symbol ranges), by {@code ModelPropertyKeys} key
     */
    public Map<String, String> found() {
        return found;
    }

    /**
     * @return the graph of {@code forward}, typed when inputs were declared
     */
    public TorchGraph graph() {
        return graph;
    }

    /**
     * @return one declaration per {@code forward} argument, in order, named by its NNEF input name
     *     (empty when untyped)
     */
    public List<InputDeclaration> inputs() {
        return inputs;
    }

    /**
     * @return the example value of each symbol of the dynamic axes
     */
    public Map<String, Long> exampleSizes() {
        return exampleSizes;
    }

    /**
     * @return the sizes assumed equal because they are at the example sizes, in graph order
     */
    public List<SizeAssumption> assumptions() {
        return assumptions;
    }

    @Override
    public void close() throws IOException {
        try {
            source.close();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
