package org.torch2nnef.nnef.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.torch2nnef.nnef.model.ElementType;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Graph;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.ItemType;
import org.torch2nnef.nnef.model.NnefModel;
import org.torch2nnef.nnef.model.TensorData;
import org.torch2nnef.nnef.model.TensorValues;

class NnefArchiveTest {

    @ParameterizedTest
    @ValueSource(strings = {"model", "model.nnef.tar", "model.nnef.tgz", "model.tar.gz"})
    void roundTripsEveryLayout(String name, @TempDir Path dir) throws IOException {
        NnefModel m =
                SampleModels.linear().toBuilder()
                        .tensors(SampleModels.everyItemType().tensors())
                        .build();
        Path target = dir.resolve(name);
        NnefArchiveWriter.write(m, target, 9);
        NnefModel back = NnefArchiveReader.read(target);
        SampleModels.assertSameDocument(m, back);
        assertEquals(m.quantization(), back.quantization());
        assertEquals(m.tensors().keySet(), back.tensors().keySet());
        for (String label : m.tensors().keySet()) {
            TensorData a = m.tensors().get(label);
            TensorData b = back.tensors().get(label);
            assertEquals(a.itemType(), b.itemType(), label);
            assertArrayEquals(a.shape(), b.shape(), label);
            assertArrayEquals(a.readPayload(), b.readPayload(), label);
        }
        assertEquals(List.of(name), listNames(dir), "no temporary files left beside the target");
    }

    @Test
    void directoryLayoutUsesLabelsAsPaths(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("out");
        NnefArchiveWriter.write(SampleModels.linear(), target);
        assertTrue(Files.isRegularFile(target.resolve("graph.nnef")));
        assertTrue(Files.isRegularFile(target.resolve("graph.quant")));
        assertEquals(128 + 24, Files.size(target.resolve("layer/weight.dat")));
        assertEquals(128 + 12, Files.size(target.resolve("layer/bias.dat")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"m.nnef.tar", "m.nnef.tgz"})
    void archivesAreDeterministic(String name, @TempDir Path dir)
            throws IOException, InterruptedException {
        Path a = dir.resolve("a").resolve(name);
        Path b = dir.resolve("b").resolve(name);
        NnefArchiveWriter.write(SampleModels.linear(), a, 6);
        Thread.sleep(1100); // a clock that leaked into the bytes would now differ
        NnefArchiveWriter.write(SampleModels.linear(), b, 6);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    @Test
    void tarEntriesAreSortedAndCarryNoOwnerOrTime(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("m.nnef.tar");
        String longLabel = "deep/" + "x".repeat(120) + "/w"; // needs a PAX header (> 100 chars)
        NnefModel m =
                SampleModels.linear().toBuilder()
                        .tensor(longLabel, TensorData.ofFloats(new long[] {1}, 1f))
                        .build();
        NnefArchiveWriter.write(m, target);
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(target))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                names.add(e.getName());
                assertEquals(0, e.getModTime().getTime(), e.getName());
                assertEquals(0, e.getLongUserId());
                assertEquals(0, e.getLongGroupId());
                assertEquals("", e.getUserName());
                assertEquals("", e.getGroupName());
                assertEquals(0644, e.getMode() & 07777);
                assertTrue(e.isFile());
            }
        }
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(null);
        assertEquals(sorted, names);
        assertEquals(
                List.of(
                        longLabel + ".dat",
                        "graph.nnef",
                        "graph.quant",
                        "layer/bias.dat",
                        "layer/weight.dat"),
                names);
    }

    @Test
    void gzipHeaderHasNoTimestampOrName(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("m.nnef.tgz");
        NnefArchiveWriter.write(SampleModels.linear(), target);
        byte[] gz = Files.readAllBytes(target);
        // RFC 1952: ID1 ID2 CM FLG MTIME(4) XFL OS
        assertEquals(0x1f, gz[0] & 0xFF);
        assertEquals(0x8b, gz[1] & 0xFF);
        assertEquals(8, gz[2]); // deflate
        assertEquals(0, gz[3]); // no FNAME, FCOMMENT, FEXTRA
        assertArrayEquals(new byte[4], Arrays.copyOfRange(gz, 4, 8)); // MTIME 0
        assertEquals(255, gz[9] & 0xFF); // OS unknown
    }

    @Test
    void levelZeroStoresAndLevelNineCompresses(@TempDir Path dir) throws IOException {
        float[] zeros = new float[100_000];
        NnefModel m =
                NnefModel.builder(
                                Graph.builder("g")
                                        .output("w")
                                        .assign(
                                                "w",
                                                Invocation.variable(
                                                        ElementType.SCALAR,
                                                        Expr.ints(zeros.length),
                                                        "w"))
                                        .build())
                        .tensor("w", TensorData.ofFloats(new long[] {zeros.length}, zeros))
                        .build();
        Path stored = dir.resolve("s.nnef.tgz");
        Path packed = dir.resolve("p.nnef.tgz");
        NnefArchiveWriter.write(m, stored, 0);
        NnefArchiveWriter.write(m, packed, 9);
        assertTrue(
                Files.size(stored) > 400_000,
                "level 0 keeps the 400 kB payload uncompressed: " + Files.size(stored));
        assertTrue(Files.size(packed) < 10_000, "level 9 squeezes zeros: " + Files.size(packed));
        assertArrayEquals(
                new float[zeros.length],
                TensorValues.toFloats(NnefArchiveReader.read(stored).tensors().get("w")));
        assertThrows(
                IllegalArgumentException.class,
                () -> NnefArchiveWriter.write(m, dir.resolve("x.tgz"), 10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"m", "m.nnef.tar", "m.nnef.tgz"})
    void failureMidStreamLeavesNothingBehind(String name, @TempDir Path dir) throws IOException {
        TensorData failing =
                TensorData.lazy(
                        ItemType.FLOAT32,
                        new long[] {1 << 20},
                        out -> {
                            out.write(new byte[100_000]);
                            throw new IOException("source zip entry is corrupt");
                        });
        NnefModel m = SampleModels.linear().toBuilder().tensor("z/failing", failing).build();
        IOException e =
                assertThrows(
                        IOException.class, () -> NnefArchiveWriter.write(m, dir.resolve(name)));
        assertTrue(e.getMessage().contains("source zip entry is corrupt"), e.getMessage());
        assertEquals(List.of(), listNames(dir));
    }

    @ParameterizedTest
    @ValueSource(strings = {"m", "m.nnef.tgz"})
    void failureKeepsAnEarlierOutputUntouched(String name, @TempDir Path dir) throws IOException {
        Path target = dir.resolve(name);
        NnefArchiveWriter.write(SampleModels.linear(), target);
        String before = NnefPrinter.print(NnefArchiveReader.read(target));
        NnefModel bad =
                SampleModels.linear().toBuilder()
                        .tensor(
                                "bad",
                                TensorData.lazy(
                                        ItemType.FLOAT32,
                                        new long[] {2},
                                        out -> out.write(new byte[3])))
                        .build();
        IOException e = assertThrows(IOException.class, () -> NnefArchiveWriter.write(bad, target));
        assertTrue(e.getMessage().contains("bad.dat: tensor payload has 3 bytes"), e.getMessage());
        assertEquals(before, NnefPrinter.print(NnefArchiveReader.read(target)));
        assertEquals(List.of(name), listNames(dir));
        NnefArchiveWriter.write(SampleModels.everyItemType(), target); // replacing a model works
        assertEquals(ItemType.values().length, NnefArchiveReader.read(target).tensors().size());
    }

    @Test
    void refusesToReplaceForeignDirectories(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("photos");
        Files.createDirectories(target);
        Files.writeString(target.resolve("holiday.jpg"), "precious");
        IOException e =
                assertThrows(
                        IOException.class,
                        () -> NnefArchiveWriter.write(SampleModels.linear(), target));
        assertTrue(
                e.getMessage().contains("holds holiday.jpg, which an export does not write"),
                e.getMessage());
        assertEquals("precious", Files.readString(target.resolve("holiday.jpg")));
    }

    @Test
    void badLabelsAndMissingDataAreRefusedBeforeWriting(@TempDir Path dir) {
        NnefModel escape =
                SampleModels.linear().toBuilder()
                        .tensor("../evil", TensorData.ofFloats(new long[] {1}, 1))
                        .build();
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> NnefArchiveWriter.write(escape, dir.resolve("m.nnef.tar")));
        assertTrue(e.getMessage().contains("'../evil'"), e.getMessage());
        NnefModel hidden =
                SampleModels.linear().toBuilder()
                        .tensor(".cache/w", TensorData.ofFloats(new long[] {1}, 1))
                        .build();
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> NnefArchiveWriter.write(hidden, dir.resolve("m")));
        assertTrue(e.getMessage().contains("hidden segment '.cache'"), e.getMessage());
        NnefModel missing = NnefModel.builder(SampleModels.linear().graph()).build();
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> NnefArchiveWriter.write(missing, dir.resolve("m")));
        assertTrue(e.getMessage().contains("layer/weight (variable weight)"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "../evil.dat",
                "a/../../evil.dat",
                "/etc/evil.dat",
                "C:/evil.dat",
                "a\\..\\evil.dat"
            })
    void entriesEscapingTheRootAreRejected(String entryName, @TempDir Path dir) throws IOException {
        Path archive = dir.resolve("bad.nnef.tar");
        writeRawTar(archive, entryName, TarConstants.LF_NORMAL);
        NnefFormatException e =
                assertThrows(NnefFormatException.class, () -> NnefArchiveReader.read(archive));
        assertTrue(e.getMessage().contains(entryName), e.getMessage());
        Path out = dir.resolve("sub").resolve("extracted");
        e = assertThrows(NnefFormatException.class, () -> NnefArchiveReader.extract(archive, out));
        assertTrue(e.getMessage().contains(entryName), e.getMessage());
        assertFalse(Files.exists(dir.resolve("evil.dat")));
        assertFalse(Files.exists(out));
        assertEquals(List.of(), listNames(dir.resolve("sub")));
    }

    @Test
    void linksAreRejected(@TempDir Path dir) throws IOException {
        Path archive = dir.resolve("link.nnef.tar");
        writeRawTar(archive, "w.dat", TarConstants.LF_SYMLINK);
        NnefFormatException e =
                assertThrows(NnefFormatException.class, () -> NnefArchiveReader.read(archive));
        assertTrue(e.getMessage().contains("'w.dat' is a link"), e.getMessage());
    }

    @Test
    void extractionStreamsEntriesAndSkipsHiddenOnes(@TempDir Path dir) throws IOException {
        Path archive = dir.resolve("m.nnef.tgz");
        NnefArchiveWriter.write(SampleModels.linear(), archive);
        Path out = dir.resolve("x");
        NnefArchiveReader.extract(archive, out);
        assertEquals(128 + 24, Files.size(out.resolve("layer/weight.dat")));
        SampleModels.assertSameDocument(SampleModels.linear(), NnefArchiveReader.read(out));

        Path withJunk = dir.resolve("junk.nnef.tar");
        try (OutputStream o = Files.newOutputStream(withJunk);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(o)) {
            add(
                    tar,
                    "./graph.nnef",
                    NnefPrinter.print(SampleModels.linear()).getBytes(StandardCharsets.UTF_8));
            add(tar, "._graph.nnef", "macOS resource fork".getBytes(StandardCharsets.UTF_8));
            add(tar, "README.md", "ignored".getBytes(StandardCharsets.UTF_8));
            ByteArrayOutputStream w = new ByteArrayOutputStream();
            DatWriter.write(TensorData.ofFloats(new long[] {3, 2}, 1, 2, 3, 4, 5, 6), w, "w");
            add(tar, "./layer/weight.dat", w.toByteArray());
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            DatWriter.write(TensorData.ofFloats(new long[] {1, 3}, 1, 2, 3), b, "b");
            add(tar, "layer/bias.dat", b.toByteArray());
        }
        NnefModel m = NnefArchiveReader.read(withJunk);
        assertEquals(List.of("layer/bias", "layer/weight"), new ArrayList<>(m.tensors().keySet()));
        assertTrue(m.quantization().isEmpty());
    }

    @Test
    void missingGraphAndDuplicatesAreReported(@TempDir Path dir) throws IOException {
        Path empty = dir.resolve("e.nnef.tar");
        try (OutputStream o = Files.newOutputStream(empty);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(o)) {
            add(tar, "x.txt", new byte[1]);
        }
        NnefFormatException e =
                assertThrows(NnefFormatException.class, () -> NnefArchiveReader.read(empty));
        assertTrue(e.getMessage().contains("no graph.nnef"), e.getMessage());
        Path dup = dir.resolve("d.nnef.tar");
        try (OutputStream o = Files.newOutputStream(dup);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(o)) {
            add(tar, "graph.nnef", new byte[1]);
            add(tar, "./graph.nnef", new byte[1]);
        }
        e = assertThrows(NnefFormatException.class, () -> NnefArchiveReader.read(dup));
        assertTrue(e.getMessage().contains("'graph.nnef' appears twice"), e.getMessage());
        Path notTar = dir.resolve("n.nnef.tar");
        Files.writeString(notTar, "hello, this is not a tar archive at all".repeat(20));
        e = assertThrows(NnefFormatException.class, () -> NnefArchiveReader.read(notTar));
        assertTrue(e.getMessage().contains(notTar.toString()), e.getMessage());
    }

    private static void add(TarArchiveOutputStream tar, String name, byte[] content)
            throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(content.length);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    /** A tar holding one entry with an arbitrary (possibly hostile) name. */
    private static void writeRawTar(Path archive, String name, byte linkFlag) throws IOException {
        try (OutputStream o = Files.newOutputStream(archive);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(o)) {
            TarArchiveEntry e = new TarArchiveEntry(name, linkFlag, true);
            if (linkFlag == TarConstants.LF_SYMLINK) {
                e.setLinkName("/etc/passwd");
            } else {
                e.setSize(4);
            }
            tar.putArchiveEntry(e);
            if (linkFlag != TarConstants.LF_SYMLINK) {
                tar.write(new byte[] {1, 2, 3, 4});
            }
            tar.closeArchiveEntry();
        }
    }

    private static List<String> listNames(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
