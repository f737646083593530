package org.torch2nnef.zoo;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.torch2nnef.export.ExportInputException;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.export.spi.ModuleExtractors;

/**
 * The exporter's op coverage against the zoo's op census: which zoo models use each op the
 * {@link OpRegistry} translates, which census ops have no translator, and which module
 * extractors on the class path export whole recurrent modules.
 */
public final class ZooOpTable {
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

  /** Every census op without a translator, to the zoo models using it. */
  public SortedMap<String, List<String>> unsupported() {
    SortedMap<String, List<String>> out = new TreeMap<>();
    manifest.models().forEach(m -> untranslated(m)
        .forEach(k -> out.computeIfAbsent(k, this::usersOf)));
    return out;
  }

  /** The ops of {@code model}'s census that no translator handles, sorted. */
  public List<String> untranslated(ZooModel model) {
    return model.ops().keySet().stream().filter(k -> registry.find(k).isEmpty()).toList();
  }

  /**
   * For a whole-module op ({@code aten::lstm}): the recurrent modules of the models using it and
   * the extractor exporting each, or that none does; empty for other ops.
   */
  public String wholeModuleNote(String op) {
    Set<String> modules = new LinkedHashSet<>();
    manifest.models().stream().filter(m -> m.wholeModuleOps().contains(op))
        .forEach(m -> modules.addAll(m.recurrentModules()));
    List<String> notes = new ArrayList<>();
    for (String module : modules) {
      String by = extractors.entries().stream()
          .filter(e -> e.moduleClass().endsWith("." + module))
          .map(e -> "exported whole by " + e.extractor().getClass().getSimpleName())
          .findFirst().orElse("no module extractor");
      notes.add("nn." + module + ": " + by);
    }
    return String.join("; ", notes);
  }

  /** The active module extractors, one line each: module class and extractor class. */
  public List<String> extractors() {
    return extractors.entries().stream()
        .map(e -> e.moduleClass() + " → " + e.extractor().getClass().getName()).toList();
  }

  private List<String> usersOf(String op) {
    return manifest.models().stream().filter(m -> m.ops().containsKey(op)).map(ZooModel::name)
        .toList();
  }
}
