package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.graph.GraphBuilder;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.OpSchemas;
import org.torch2nnef.pt2.ProgramNumerics;
import org.torch2nnef.torchscript.TorchScriptArchive;

/**
 * Every op {@code torch2nnef ops} lists exports end to end: some traced fixture of the op tests
 * ({@code src/test/resources/ops}, and the recurrent cells' of the extractors module) uses it, and
 * that fixture's export matches torch numerically on inputs of its recorded dtypes and ranges
 * ({@link FamilyNumerics#exportAndCheck}: the reference interpreter, and tract when one is found).
 */
class OpNumericCoverageTest {
    @TempDir Path tmp;

    /** The TorchScript fixtures; the torch.export ones of samples/torch-export are added. */
    private static final List<Path> FIXTURE_DIRS =
            List.of(OpModel.DIR, Path.of("../extractors/src/test/resources/recurrent"));

    /**
     * @return op kind (in-place variants as their base op, unless registered) to the fixtures whose
     *     graph uses it
     */
    private static Map<String, Set<Path>> fixturesByKind(OpRegistry registry) throws IOException {
        Map<String, Set<Path>> out = new TreeMap<>();
        List<Path> archives = new ArrayList<>();
        for (Path dir : FIXTURE_DIRS) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(f -> f.toString().endsWith(".pt") && Files.exists(json(f)))
                        .sorted()
                        .forEach(archives::add);
            }
        }
        for (Path pt : archives) {
            Path model = pt;
            try (TorchScriptArchive a = TorchScriptArchive.open(pt)) {
                for (Node n : GraphBuilder.build(a, registry.schemas()).nodes()) {
                    // an in-place variant counts as its base op, unless registered itself
                    // (aten::fill_)
                    String kind =
                            OpSchemas.isInPlace(n.kind()) && !registry.kinds().contains(n.kind())
                                    ? n.kind().substring(0, n.kind().length() - 1)
                                    : n.kind();
                    out.computeIfAbsent(kind, k -> new LinkedHashSet<>()).add(model);
                }
            } catch (RuntimeException | IOException e) {
                // fixtures of the reader's and graph builder's error paths have no graph to scan
            }
        }
        // torch.export programs: core ATen ops the TorchScript fixtures never use
        for (Path program : ProgramNumerics.exportablePrograms()) {
            for (String kind : ProgramNumerics.kinds(program)) {
                out.computeIfAbsent(kind, k -> new LinkedHashSet<>()).add(program);
            }
        }
        return out;
    }

    private static Path json(Path pt) {
        return pt.resolveSibling(pt.getFileName().toString().replaceFirst("\\.pt$", ".json"));
    }

    @Test
    void everyListedOpMatchesTorchInAFixture() throws Exception {
        OpRegistry registry = OpRegistry.standard();
        Map<String, Set<Path>> fixtures = fixturesByKind(registry);
        Set<Path> passed = new LinkedHashSet<>();
        Map<String, String> failed = new TreeMap<>();
        List<String> uncovered = new ArrayList<>();
        for (String kind : registry.kinds()) {
            Set<Path> candidates = fixtures.getOrDefault(kind, Set.of());
            if (candidates.isEmpty()) {
                uncovered.add(kind);
                continue;
            }
            if (candidates.stream().anyMatch(passed::contains)) {
                continue;
            }
            for (Path model : candidates) {
                try {
                    String name = model.getFileName().toString().replaceFirst("\\.pt$", "");
                    if (model.toString().endsWith(".pt2")) {
                        ProgramNumerics.matchesTorch(model, tmp.resolve(name));
                    } else if (model.getParent().equals(OpModel.DIR)) {
                        FamilyNumerics.exportAndCheck(
                                name, Files.createDirectories(tmp.resolve(name))); // typed inputs
                    } else {
                        OpChecks.matchesTorch(model, Files.createDirectories(tmp.resolve(name)));
                    }
                    passed.add(model);
                    failed.remove(kind);
                    break;
                } catch (Exception | AssertionError e) {
                    failed.putIfAbsent(kind, model + ": " + e.getMessage());
                }
            }
        }
        assertEquals(List.of(), uncovered, "listed ops no fixture of " + FIXTURE_DIRS + " uses");
        assertEquals(
                Map.of(),
                failed,
                "listed ops whose fixtures do not match torch with their recorded shapes");
    }
}
