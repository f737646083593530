package org.torch2nnef.nnef.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.nnef.model.ElementType;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.FileRegion;
import org.torch2nnef.nnef.model.Graph;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.ItemType;
import org.torch2nnef.nnef.model.NnefModel;
import org.torch2nnef.nnef.model.TensorData;

/**
 * The hand-written tar format, read back by commons-compress, and the file-region transfer path.
 */
class TarWriterTest {

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + seed);
        }
        return b;
    }

    @Test
    void entriesWithLongAndNonAsciiNamesReadBack() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("graph.nnef", bytes(0, 1));
        entries.put("a/" + "x".repeat(150) + ".dat", bytes(513, 2)); // over 100 bytes: PAX path
        entries.put("caf\u00e9/w.dat", bytes(512, 3)); // non-ASCII: PAX path
        entries.put("exactly-100/" + "y".repeat(84) + ".dat", bytes(1, 4));
        assertEquals(100, "exactly-100/".length() + 84 + 4);

        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        TarWriter tar = new TarWriter(Channels.newChannel(sink));
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            tar.begin(e.getKey(), e.getValue().length);
            tar.content().write(e.getValue());
            tar.end();
        }
        tar.finish();
        assertEquals(0, sink.size() % 10240, "archives are padded to whole 10240-byte blocks");

        Map<String, byte[]> read = new LinkedHashMap<>();
        try (TarArchiveInputStream in =
                new TarArchiveInputStream(new ByteArrayInputStream(sink.toByteArray()))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) { // checks each header's checksum
                assertEquals(0644, e.getMode() & 07777, e.getName());
                assertEquals(0, e.getModTime().getTime(), e.getName());
                read.put(e.getName(), in.readAllBytes());
            }
        }
        assertEquals(entries.keySet(), read.keySet());
        for (String name : entries.keySet()) {
            assertArrayEquals(entries.get(name), read.get(name), name);
        }
    }

    @Test
    void entrySizeIsEnforced() throws IOException {
        TarWriter tar = new TarWriter(Channels.newChannel(new ByteArrayOutputStream()));
        tar.begin("a.dat", 2);
        tar.content().write(1);
        IOException shortEntry = assertThrows(IOException.class, tar::end);
        assertTrue(
                shortEntry.getMessage().contains("a.dat has 1 bytes, but 2"),
                shortEntry.getMessage());
        tar.content().write(new byte[1]);
        IOException longEntry =
                assertThrows(IOException.class, () -> tar.content().write(new byte[1]));
        assertTrue(
                longEntry.getMessage().contains("more than the 2 bytes"), longEntry.getMessage());
    }

    /**
     * A model whose one tensor lies at byte 1000 of {@code source}: streamed, or with its file
     * region.
     */
    private static NnefModel model(FileChannel source, boolean withRegion) {
        long[] shape = {3, 5};
        byte[] payload = bytes(60, 9);
        TensorData.PayloadWriter writer = out -> out.write(payload);
        TensorData data =
                withRegion
                        ? TensorData.lazy(
                                ItemType.FLOAT32,
                                shape,
                                writer,
                                new FileRegion(source, 1000, payload.length))
                        : TensorData.lazy(ItemType.FLOAT32, shape, writer);
        Graph g =
                Graph.builder("g")
                        .output("w")
                        .assign(
                                "w",
                                Invocation.variable(ElementType.SCALAR, Expr.ints(3, 5), "layer/w"))
                        .build();
        return NnefModel.builder(g).tensor("layer/w", data).build();
    }

    @Test
    void fileRegionsGiveTheSameOutputAsStreaming(@TempDir Path dir) throws IOException {
        Path sourceFile = dir.resolve("source.bin");
        byte[] source = new byte[1100];
        System.arraycopy(bytes(60, 9), 0, source, 1000, 60);
        Files.write(sourceFile, source);
        try (FileChannel channel = FileChannel.open(sourceFile, StandardOpenOption.READ)) {
            for (String name : new String[] {"m.nnef.tar", "m.nnef.tgz", "m"}) {
                Path streamed = dir.resolve("streamed").resolve(name);
                Path transferred = dir.resolve("transferred").resolve(name);
                Files.createDirectories(streamed.getParent());
                Files.createDirectories(transferred.getParent());
                NnefArchiveWriter.write(model(channel, false), streamed);
                NnefArchiveWriter.write(model(channel, true), transferred);
                if (Files.isDirectory(streamed)) {
                    streamed = streamed.resolve("layer/w.dat");
                    transferred = transferred.resolve("layer/w.dat");
                }
                assertArrayEquals(
                        Files.readAllBytes(streamed), Files.readAllBytes(transferred), name);
            }
            NnefModel back = NnefArchiveReader.read(dir.resolve("transferred/m.nnef.tar"));
            assertArrayEquals(bytes(60, 9), back.tensors().get("layer/w").readPayload());
        }
    }

    @Test
    void regionLengthMustMatchThePayload(@TempDir Path dir) throws IOException {
        Path f = Files.write(dir.resolve("s.bin"), new byte[10]);
        try (FileChannel channel = FileChannel.open(f, StandardOpenOption.READ)) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    TensorData.lazy(
                                            ItemType.FLOAT32,
                                            new long[] {2},
                                            out -> {},
                                            new FileRegion(channel, 0, 10)));
            assertTrue(e.getMessage().contains("10 bytes for a payload of 8"), e.getMessage());
        }
    }
}
