package org.torch2nnef.zoo;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.torch2nnef.export.ExportInputException;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.export.spi.ModuleExtractors;

/**
 * The exporter's op coverage against the zoo's op census (torch's inlined graphs): which zoo models
 * use each op the {@link OpRegistry} translates, which whole-module ops the module extractors on
 * the class path export, and which census ops nothing handles.
 */
public final class ZooOpTable {
    /**
     * Census ops that never reach a translator: our graph is built from the archive's code, where
     * constants are literals and attribute reads are the module's parameters.
     */
    public static final Set<String> GRAPH_BUILDER_OPS = Set.of("prim::Constant", "prim::GetAttr");

    private final ZooManifest manifest;
    private final OpRegistry registry = OpRegistry.standard();
    private final ModuleExtractors extractors;

    /**
     * @param manifest the zoo
     * @throws IllegalStateException if an extractor on the class path cannot be loaded
     */
    public ZooOpTable(ZooManifest manifest) {
        this.manifest = manifest;
        try {
            this.extractors = ModuleExtractors.discover(ZooOpTable.class.getClassLoader());
        } catch (ExportInputException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Every op the exporter translates, to the zoo models using it (possibly none). */
    public SortedMap<String, List<String>> supported() {
        SortedMap<String, List<String>> out = new TreeMap<>();
        registry.kinds().forEach(k -> out.put(k, usersOf(k)));
        return out;
    }

    /** Whole-module ops of the census ({@code aten::lstm}) that an extractor exports, to users. */
    public SortedMap<String, List<String>> extracted() {
        SortedMap<String, List<String>> out = new TreeMap<>();
        for (ZooModel m : manifest.models()) {
            m.wholeModuleOps().stream()
                    .filter(op -> registry.find(op).isEmpty() && extractorOf(m).isPresent())
                    .forEach(op -> out.computeIfAbsent(op, this::usersOf));
        }
        return out;
    }

    /** Every census op that nothing handles, to the zoo models using it. */
    public SortedMap<String, List<String>> unsupported() {
        SortedMap<String, List<String>> out = new TreeMap<>();
        manifest.models()
                .forEach(m -> untranslated(m).forEach(k -> out.computeIfAbsent(k, this::usersOf)));
        return out;
    }

    /**
     * The ops of {@code model}'s census that nothing handles: no translator, not resolved by the
     * graph builder, and not a whole-module op of a module an extractor exports. Sorted.
     */
    public List<String> untranslated(ZooModel model) {
        return model.ops().keySet().stream()
                .filter(
                        k ->
                                registry.find(k).isEmpty()
                                        && !GRAPH_BUILDER_OPS.contains(k)
                                        && !(model.wholeModuleOps().contains(k)
                                                && extractorOf(model).isPresent()))
                .toList();
    }

    /** The active module extractors, one line each: module class and extractor class. */
    public List<String> extractors() {
        return extractors.entries().stream()
                .map(e -> e.moduleClass() + " → " + e.extractor().getClass().getSimpleName())
                .toList();
    }

    /**
     * The extractor of {@code model}'s recurrent modules. The census does not pair whole-module ops
     * with modules, so a model's whole-module ops count as extracted when one of its recurrent
     * modules has an extractor; the export verdict tells whether it worked.
     */
    private Optional<String> extractorOf(ZooModel model) {
        return extractors.entries().stream()
                .filter(
                        e ->
                                model.recurrentModules().stream()
                                        .anyMatch(m -> e.moduleClass().endsWith("." + m)))
                .map(e -> e.extractor().getClass().getSimpleName())
                .findFirst();
    }

    private List<String> usersOf(String op) {
        return manifest.models().stream()
                .filter(m -> m.ops().containsKey(op))
                .map(ZooModel::name)
                .toList();
    }
}
