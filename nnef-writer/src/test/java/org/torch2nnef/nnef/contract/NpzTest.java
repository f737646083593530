package org.torch2nnef.nnef.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpzTest {
    @TempDir Path tmp;

    static Path resource(String name) throws URISyntaxException {
        return Path.of(NpzTest.class.getResource("/" + name).toURI());
    }

    /** Values and types as numpy itself reads them (mixed_dtypes.json, from make_fixtures.py). */
    @Test
    void readsWhatNumpyWrote() throws Exception {
        TensorBundle bundle = Npz.read(resource("mixed_dtypes.npz"));
        JsonNode expected = new ObjectMapper().readTree(resource("mixed_dtypes.json").toFile());
        List<String> names = new ArrayList<>();
        expected.fieldNames().forEachRemaining(names::add);
        assertEquals(names, bundle.names());
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            HostTensor t = bundle.get(e.getKey());
            assertEquals(
                    DType.fromNumpyDescr(e.getValue().get("dtype").asText()),
                    t.dtype(),
                    e.getKey());
            JsonNode shape = e.getValue().get("shape");
            assertEquals(shape.size(), t.rank(), e.getKey());
            for (int d = 0; d < shape.size(); d++) {
                assertEquals(shape.get(d).asLong(), t.shape()[d], e.getKey());
            }
            JsonNode values = e.getValue().get("values");
            assertEquals(values.size(), t.elementCount(), e.getKey());
            for (int i = 0; i < values.size(); i++) {
                assertEquals(values.get(i).asDouble(), t.getDouble(i), e.getKey() + "[" + i + "]");
            }
        }
    }

    @Test
    void writesOneNameDotNpyEntryPerTensorAndReadsItBack() throws IOException {
        TensorBundle b = new TensorBundle("test");
        for (DType t : DType.values()) {
            ByteBuffer data = ByteBuffer.allocate(6 * t.byteSize());
            for (int i = 0; i < data.capacity(); i++) {
                data.put(i, (byte) (t.byteSize() == 1 ? i % 2 : i * 37));
            }
            b.add(HostTensor.of("in/" + t.label(), t, new long[] {2, 3}, data));
        }
        b.add(HostTensor.ofFloats("scalar", new long[0], 2.5f));
        b.add(HostTensor.ofFloats("empty", new long[] {0, 4}));
        b.add(HostTensor.ofFloats("vector", new long[] {1}, -1f));
        Path file = tmp.resolve("b.npz");
        Npz.write(b, file);

        try (ZipFile zip = new ZipFile(file.toFile())) {
            List<String> keys = zip.stream().map(ZipEntry::getName).toList();
            assertEquals(b.names().stream().map(n -> n + ".npy").toList(), keys);
        }
        TensorBundle back = Npz.read(file);
        assertEquals(b.names(), back.names());
        for (HostTensor t : b.tensors()) {
            HostTensor r = back.get(t.name());
            assertEquals(t.dtype(), r.dtype());
            assertArrayEquals(t.shape(), r.shape());
            assertEquals(t.data(), r.data(), t.name());
        }
        assertEquals(2.5, back.get("scalar").getDouble(0));
    }

    /** Our writer produces exactly what np.save wrote (header text, padding, data). */
    @Test
    void npyWriterMatchesNumpyByteForByte() throws Exception {
        assertArrayEquals(
                Files.readAllBytes(resource("vector_f32.npy")),
                npy(HostTensor.ofFloats("v", new long[] {3}, 1, 2, 3)));
        ByteBuffer longs = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < 6; i++) {
            longs.putLong(i);
        }
        longs.flip();
        assertArrayEquals(
                Files.readAllBytes(resource("matrix_i64.npy")),
                npy(HostTensor.of("m", DType.I64, new long[] {2, 3}, longs)));
    }

    @Test
    void rejectsMalformedInputNamingTheEntry() throws IOException {
        Path bad = tmp.resolve("bad.npz");
        writeZip(bad, "x.npy", "not numpy".getBytes(StandardCharsets.US_ASCII));
        IOException e = assertThrows(IOException.class, () -> Npz.read(bad));
        assertTrue(
                e.getMessage().contains("bad.npz!x.npy") && e.getMessage().contains("bad magic"),
                e.getMessage());

        byte[] good = npy(HostTensor.ofFloats("x", new long[] {4}, 1, 2, 3, 4));
        byte[] truncated = Arrays.copyOf(good, good.length - 3);
        writeZip(bad, "x.npy", truncated);
        e = assertThrows(IOException.class, () -> Npz.read(bad));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        byte[] fortran =
                new String(good, StandardCharsets.ISO_8859_1)
                        .replace("'fortran_order': False", "'fortran_order': True ")
                        .getBytes(StandardCharsets.ISO_8859_1);
        writeZip(bad, "x.npy", fortran);
        e = assertThrows(IOException.class, () -> Npz.read(bad));
        assertTrue(e.getMessage().contains("Fortran-order"), e.getMessage());

        byte[] bigEndian =
                new String(good, StandardCharsets.ISO_8859_1)
                        .replace("<f4", ">f4")
                        .getBytes(StandardCharsets.ISO_8859_1);
        writeZip(bad, "x.npy", bigEndian);
        e = assertThrows(IOException.class, () -> Npz.read(bad));
        assertTrue(e.getMessage().contains("big-endian"), e.getMessage());

        Files.writeString(bad, "plain text");
        e = assertThrows(IOException.class, () -> Npz.read(bad));
        assertTrue(e.getMessage().contains("not an .npz"), e.getMessage());
    }

    @Test
    void bundleNamesMissingTensorAndWhatItHas() throws Exception {
        TensorBundle written = new TensorBundle("io");
        for (String name : List.of("x", "y", "out_relu", "out_sum")) {
            written.add(HostTensor.ofFloats(name, new long[] {1}, 0));
        }
        Path file = tmp.resolve("io.npz");
        Npz.write(written, file);
        TensorBundle b = Npz.read(file);
        assertEquals(List.of("x", "y", "out_relu", "out_sum"), b.names());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.get("z"));
        assertTrue(
                e.getMessage().contains("'z'")
                        && e.getMessage().contains("[x, y, out_relu, out_sum]"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.add(b.get("x")));
    }

    @Test
    void readsNpyFromAStream() throws IOException {
        HostTensor t = HostTensor.ofFloats("a", new long[] {2, 2}, 1, -2, 3, -4);
        HostTensor r = Npy.read(new ByteArrayInputStream(npy(t)), "a", "stream");
        assertEquals(t.data(), r.data());
        assertArrayEquals(new long[] {2, 2}, r.shape());
    }

    private static byte[] npy(HostTensor t) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(t, out);
        return out.toByteArray();
    }

    private static void writeZip(Path file, String entry, byte[] content) throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            z.putNextEntry(new ZipEntry(entry));
            z.write(content);
            z.closeEntry();
        }
    }
}
