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
import org.torch2nnef.torchscript.TorchScriptArchive;

/**
 * Every op {@code torch2nnef ops} lists exports end to end: some traced fixture of
 * {@code src/test/resources/ops} uses it, and that fixture's export matches torch numerically
 * ({@link OpChecks#matchesTorch}: the reference interpreter, and tract when one is found).
 */
class OpNumericCoverageTest {
    @TempDir
    Path tmp;

    /** @return op kind (in-place variants as their base op, unless registered) to the fixtures whose graph uses it */
    private static Map<String, Set<String>> fixturesByKind(OpRegistry registry) throws IOException {
        Map<String, Set<String>> out = new TreeMap<>();
        List<Path> archives;
        try (Stream<Path> files = Files.list(OpModel.DIR)) {
            archives = files.filter(f -> f.toString().endsWith(".pt") && Files.exists(json(f))).sorted().toList();
        }
        for (Path pt : archives) {
            String model = pt.getFileName().toString().replaceFirst("\\.pt$", "");
            try (TorchScriptArchive a = TorchScriptArchive.open(pt)) {
                for (Node n : GraphBuilder.build(a, registry.schemas()).nodes()) {
                    // an in-place variant counts as its base op, unless registered itself (aten::fill_)
                    String kind = OpSchemas.isInPlace(n.kind()) && !registry.kinds().contains(n.kind())
                            ? n.kind().substring(0, n.kind().length() - 1) : n.kind();
                    out.computeIfAbsent(kind, k -> new LinkedHashSet<>()).add(model);
                }
            } catch (RuntimeException | IOException e) {
                // fixtures of the reader's and graph builder's error paths have no graph to scan
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
        Map<String, Set<String>> fixtures = fixturesByKind(registry);
        Set<String> passed = new LinkedHashSet<>();
        Map<String, String> failed = new TreeMap<>();
        List<String> uncovered = new ArrayList<>();
        for (String kind : registry.kinds()) {
            Set<String> candidates = fixtures.getOrDefault(kind, Set.of());
            if (candidates.isEmpty()) {
                uncovered.add(kind);
                continue;
            }
            if (candidates.stream().anyMatch(passed::contains)) {
                continue;
            }
            for (String model : candidates) {
                try {
                    OpChecks.matchesTorch(model, tmp.resolve(model));
                    passed.add(model);
                    failed.remove(kind);
                    break;
                } catch (Exception | AssertionError e) {
                    failed.putIfAbsent(kind, model + ": " + e.getMessage());
                }
            }
        }
        assertEquals(List.of(), uncovered, "listed ops no fixture of " + OpModel.DIR + " uses");
        assertEquals(Map.of(), failed, "listed ops whose fixtures do not match torch with their recorded shapes");
    }
}
