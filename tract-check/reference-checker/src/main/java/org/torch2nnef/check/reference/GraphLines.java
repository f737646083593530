package org.torch2nnef.check.reference;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Line numbers of the graph's assignments in {@code graph.nnef}, by the first name each defines, so
 * that errors can point at the line (the parsed model keeps no positions). Graph tensors are
 * assigned once, so the first assignment line after {@code graph} is the one.
 */
final class GraphLines {
    private static final Pattern GRAPH = Pattern.compile("(?m)^\\s*graph\\b");
    private static final Pattern ASSIGNMENT =
            Pattern.compile("(?m)^\\s*[(\\[]?\\s*([A-Za-z_][A-Za-z0-9_]*)[^=;{}]*=(?!=)");

    private GraphLines() {}

    /**
     * Lines of the graph.nnef at {@code model} (directory, tar or tgz); empty when it cannot be
     * read.
     */
    static Map<String, Integer> of(Path model) {
        try {
            String text =
                    Files.isDirectory(model)
                            ? Files.readString(model.resolve("graph.nnef"), StandardCharsets.UTF_8)
                            : fromArchive(model);
            return text == null ? Map.of() : parse(text);
        } catch (IOException e) {
            return Map.of(); // the model itself was read; only the line hints are lost
        }
    }

    /** Lines of the graph's assignments in {@code text}. */
    static Map<String, Integer> parse(String text) {
        Map<String, Integer> lines = new HashMap<>();
        Matcher g = GRAPH.matcher(text);
        if (!g.find()) {
            return lines;
        }
        Matcher m = ASSIGNMENT.matcher(text);
        int line = 1 + count(text, 0, g.start());
        int at = g.start();
        while (m.find(at)) {
            line += count(text, at, m.start(1));
            lines.putIfAbsent(m.group(1), line);
            at = m.start(1);
            int next = text.indexOf(';', m.end());
            if (next < 0) {
                break;
            }
            line += count(text, at, next);
            at = next;
        }
        return lines;
    }

    private static int count(String text, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    private static String fromArchive(Path archive) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive))) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            try (TarArchiveInputStream tar =
                    new TarArchiveInputStream(
                            gzip ? new GzipCompressorInputStream(raw, true) : raw)) {
                TarArchiveEntry e;
                while ((e = tar.getNextEntry()) != null) {
                    String name =
                            e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
                    if (name.equals("graph.nnef")) {
                        return new String(tar.readAllBytes(), StandardCharsets.UTF_8);
                    }
                }
            }
        }
        return null;
    }
}
