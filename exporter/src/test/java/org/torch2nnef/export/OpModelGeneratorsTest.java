package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The generators of the op models share one directory: a name two of them make is overwritten by
 * whichever ran last (nn.Linear's {@code linear_1d} once held the interpolation model), and an
 * archive no generator makes cannot be regenerated.
 */
class OpModelGeneratorsTest {
    /**
     * {@code yield "name", ...} in {@code models()}, or {@code ("name", Module(), shapes)} in a
     * list.
     */
    private static final Pattern MADE =
            Pattern.compile(
                    "^\\s*yield\\s+\"([A-Za-z0-9_]+)\"|\\(\\s*\"([A-Za-z0-9_]+)\",\\s*[A-Z]\\w*\\(",
                    Pattern.MULTILINE);

    @Test
    void everyArchiveIsMadeByExactlyOneGenerator() throws IOException {
        Map<String, List<String>> makers = new TreeMap<>();
        Set<String> archives = new TreeSet<>();
        try (Stream<Path> files = Files.list(OpModel.DIR)) {
            for (Path f : files.sorted().toList()) {
                String file = f.getFileName().toString();
                if (file.endsWith(".pt")) {
                    archives.add(file.substring(0, file.length() - ".pt".length()));
                } else if (file.startsWith("make_") && file.endsWith(".py")) {
                    Matcher m = MADE.matcher(Files.readString(f));
                    while (m.find()) {
                        String name = m.group(1) != null ? m.group(1) : m.group(2);
                        makers.computeIfAbsent(name, k -> new ArrayList<>()).add(file);
                    }
                }
            }
        }
        assertFalse(
                makers.size() < 50,
                "expected the generators in " + OpModel.DIR + ", found " + makers);
        Map<String, List<String>> twice = new TreeMap<>(makers);
        twice.values().removeIf(l -> l.size() == 1);
        assertEquals(Map.of(), twice, "models made by more than one generator");
        assertEquals(archives, makers.keySet(), "archives and the models the generators make");
    }
}
