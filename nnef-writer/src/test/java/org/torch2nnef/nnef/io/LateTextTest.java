package org.torch2nnef.nnef.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.torch2nnef.nnef.model.Assignment;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Fragment;
import org.torch2nnef.nnef.model.NnefModel;
import org.torch2nnef.nnef.model.TypeName;
import org.torch2nnef.nnef.model.TypeSpec;

/**
 * Text filled into graph.nnef after the rest of the model: the same bytes as printing it with the
 * text.
 */
class LateTextTest {
    private static final String PLACEHOLDER = "pending-digest-0123456789";
    private static final String VALUE = "9f86d081884c7d659a2feaa0c";

    @TempDir Path dir;

    /**
     * The sample model with a fragment returning {@code text} (a property, as tract reads them).
     */
    private static NnefModel model(String text) {
        Fragment props =
                Fragment.builder("props")
                        .result("p", new TypeSpec.Primitive(TypeName.STRING))
                        .assign(Assignment.of("p", Expr.str(text)))
                        .build();
        return SampleModels.linear().toBuilder().fragment(props).build();
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"m", "m.nnef.tar", "m.nnef.tgz"})
    void writesTheBytesOfTheModelPrintedWithTheText(String name) throws IOException {
        Path expected = dir.resolve("expected").resolve(name);
        Path late = dir.resolve("late").resolve(name);
        NnefArchiveWriter.write(model(VALUE), expected, 6);
        AtomicInteger calls = new AtomicInteger();
        NnefArchiveWriter.write(
                model(PLACEHOLDER),
                late,
                6,
                new NnefArchiveWriter.LateText(
                        PLACEHOLDER,
                        () -> {
                            calls.incrementAndGet();
                            return VALUE;
                        }));
        assertEquals(1, calls.get());
        if (name.equals("m")) {
            for (String file :
                    List.of("graph.nnef", "graph.quant", "layer/weight.dat", "layer/bias.dat")) {
                assertArrayEquals(
                        Files.readAllBytes(expected.resolve(file)),
                        Files.readAllBytes(late.resolve(file)),
                        file);
            }
        } else {
            // the same bytes whether the text was late or not: an export's source digest is late
            // or not depending on how fast the JVM hashes, and its archive must not depend on it
            assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(late));
            if (name.endsWith(".tgz")) {
                // a stream cannot go on past graph.nnef before its text is known: it goes last
                List<String> entries = List.copyOf(tgzEntries(late).keySet());
                assertEquals("graph.nnef", entries.get(entries.size() - 1));
            }
        }
    }

    /** A .tgz's entries in archive order. */
    private static Map<String, byte[]> tgzEntries(Path tgz) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(
                        new GzipCompressorInputStream(Files.newInputStream(tgz)))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                entries.put(e.getName(), tar.readAllBytes());
            }
        }
        return entries;
    }

    @Test
    void placeholderMustOccurExactlyOnce() {
        NnefArchiveWriter.LateText late = new NnefArchiveWriter.LateText(PLACEHOLDER, () -> VALUE);
        IllegalArgumentException none =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                NnefArchiveWriter.write(
                                        model(VALUE), dir.resolve("a.nnef.tar"), 6, late));
        assertEquals(
                "the late text placeholder '" + PLACEHOLDER + "' occurs nowhere in graph.nnef",
                none.getMessage());
        NnefModel twice =
                model(PLACEHOLDER).toBuilder()
                        .fragment(
                                Fragment.builder("again")
                                        .result("q", new TypeSpec.Primitive(TypeName.STRING))
                                        .assign(Assignment.of("q", Expr.str(PLACEHOLDER)))
                                        .build())
                        .build();
        IllegalArgumentException two =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> NnefArchiveWriter.write(twice, dir.resolve("b.nnef.tar"), 6, late));
        assertEquals(
                "the late text placeholder '"
                        + PLACEHOLDER
                        + "' occurs more than once in graph.nnef",
                two.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"m", "m.nnef.tar", "m.nnef.tgz"})
    void textOfAnotherLengthIsRefusedAndNothingIsLeft(String name) throws IOException {
        NnefArchiveWriter.LateText late =
                new NnefArchiveWriter.LateText(PLACEHOLDER, () -> "short");
        IllegalStateException e =
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                NnefArchiveWriter.write(
                                        model(PLACEHOLDER), dir.resolve(name), 6, late));
        assertEquals("late text 'short' has 5 UTF-8 bytes, its placeholder 25", e.getMessage());
        assertEquals(List.of(), names(dir));
    }

    @ParameterizedTest
    @ValueSource(strings = {"m", "m.nnef.tar", "m.nnef.tgz"})
    void failingTextFailsTheWriteAndNothingIsLeft(String name) throws IOException {
        NnefArchiveWriter.LateText late =
                new NnefArchiveWriter.LateText(
                        PLACEHOLDER,
                        () -> {
                            throw new IOException("the source could not be hashed");
                        });
        IOException e =
                assertThrows(
                        IOException.class,
                        () ->
                                NnefArchiveWriter.write(
                                        model(PLACEHOLDER), dir.resolve(name), 6, late));
        assertEquals("the source could not be hashed", e.getMessage());
        assertEquals(List.of(), names(dir));
        NnefArchiveWriter.LateText checked =
                new NnefArchiveWriter.LateText(
                        PLACEHOLDER,
                        () -> {
                            throw new Exception("not an I/O problem");
                        });
        IOException wrapped =
                assertThrows(
                        IOException.class,
                        () ->
                                NnefArchiveWriter.write(
                                        model(PLACEHOLDER), dir.resolve(name), 6, checked));
        assertTrue(wrapped.getMessage().endsWith(": not an I/O problem"), wrapped.getMessage());
        assertEquals(List.of(), names(dir));
        NnefArchiveWriter.LateText interrupted =
                new NnefArchiveWriter.LateText(
                        PLACEHOLDER,
                        () -> {
                            throw new InterruptedException();
                        });
        assertThrows(
                InterruptedIOException.class,
                () ->
                        NnefArchiveWriter.write(
                                model(PLACEHOLDER), dir.resolve(name), 6, interrupted));
        assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
        assertEquals(List.of(), names(dir));
    }
}
