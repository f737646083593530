package org.torch2nnef.torchscript;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken and hostile inputs each fail with their own message; re-packed archives read the same. */
class MalformedArchiveTest {
    @TempDir Path dir;

    private String failure(Path file) {
        TorchScriptFormatException e =
                assertThrows(TorchScriptFormatException.class, () -> TorchScriptArchive.open(file));
        return e.getMessage();
    }

    @Test
    void notAZip() throws IOException {
        Path file = Files.writeString(dir.resolve("model.pt"), "definitely not a zip file");
        String message = failure(file);
        assertTrue(message.startsWith("not a zip archive"), message);
        assertTrue(message.contains(file.toString()), message);
        // the exporter also reads .pt2 files: the hint names both inputs
        assertTrue(message.contains("torch.jit.save") && message.contains(".pt2"), message);
    }

    @Test
    void barePickleIsRecognised() throws IOException {
        Path file = Files.write(dir.resolve("legacy.pt"), new byte[] {(byte) 0x80, 2, ')', '.'});
        String message = failure(file);
        assertTrue(
                message.startsWith("not a zip archive") && message.contains("bare pickle"),
                message);
    }

    @Test
    void emptyFile() throws IOException {
        Path file = Files.write(dir.resolve("empty.pt"), new byte[0]);
        assertTrue(failure(file).startsWith("not a zip archive (file has 0 bytes"), failure(file));
    }

    @Test
    void truncatedZip() throws IOException {
        byte[] whole = Files.readAllBytes(Samples.torch1("conv_relu_linear"));
        Path file = Files.write(dir.resolve("cut.pt"), Arrays.copyOf(whole, whole.length / 2));
        String message = failure(file);
        assertEquals(
                "truncated or corrupt zip archive "
                        + file
                        + ": no end-of-central-directory record (the file is probably cut short)",
                message);
    }

    @Test
    void entryDataCutAfterTheCentralDirectoryWasKept() throws IOException {
        // keep the central directory but drop bytes before it: entry offsets now point past the
        // data
        byte[] whole = Files.readAllBytes(Samples.torch1("conv_relu_linear"));
        int cut = 1000;
        byte[] damaged = new byte[whole.length - cut];
        System.arraycopy(whole, 0, damaged, 0, 200);
        System.arraycopy(whole, 200 + cut, damaged, 200, whole.length - 200 - cut);
        String message = failure(Files.write(dir.resolve("holed.pt"), damaged));
        assertTrue(
                message.startsWith("truncated or corrupt zip archive")
                        || message.startsWith("truncated zip archive"),
                message);
    }

    @Test
    void missingDataPkl() throws IOException {
        Path file =
                zip(
                        "nodata.pt",
                        Map.of(
                                "m/version", "3\n".getBytes(StandardCharsets.US_ASCII),
                                "m/code/__torch__.py",
                                        "class M(Module):\n  pass\n"
                                                .getBytes(StandardCharsets.UTF_8)));
        String message = failure(file);
        assertTrue(message.startsWith("missing data.pkl"), message);
    }

    @Test
    void stateDictInsteadOfModule() throws IOException {
        // what torch.save({}) pickles: EMPTY_DICT
        Path file = zip("state.pt", Map.of("m/data.pkl", new byte[] {(byte) 0x80, 2, '}', '.'}));
        String message = failure(file);
        assertEquals(
                file
                        + ": m/data.pkl holds LinkedHashMap, not a module object"
                        + " (a torch.save state dict? only torch.jit.save archives hold modules)",
                message);
    }

    @Test
    void unknownPickleGlobalIsRefusedByName() throws IOException {
        // pickle protocol 2: os.system("echo pwned") via GLOBAL + TUPLE1 + REDUCE
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(new byte[] {(byte) 0x80, 2});
        p.writeBytes("cos\nsystem\n".getBytes(StandardCharsets.US_ASCII));
        shortUnicode(p, "echo pwned");
        p.write(new byte[] {(byte) 0x85, 'R', '.'});
        Path file = zip("evil.pt", Map.of("m/data.pkl", p.toByteArray()));
        String message = failure(file);
        assertTrue(message.startsWith("unknown pickle global 'os.system' in data.pkl"), message);
        assertTrue(message.contains(file.toString()), message);
    }

    @Test
    void selfContainingModuleDoesNotLoopForever() throws IOException {
        // m = __torch__.M(); m.__dict__ = {"me": m}: NEWOBJ, BINPUT 0, {"me": BINGET 0}, BUILD
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(new byte[] {(byte) 0x80, 2});
        p.writeBytes("c__torch__\nM\n".getBytes(StandardCharsets.US_ASCII));
        p.write(new byte[] {')', (byte) 0x81, 'q', 0, '}'});
        shortUnicode(p, "me");
        p.write(new byte[] {'h', 0, 's', 'b', '.'});
        try (TorchScriptArchive a =
                TorchScriptArchive.open(zip("loop.pt", Map.of("m/data.pkl", p.toByteArray())))) {
            assertSame(a.root(), a.root().find("me.me.me").orElseThrow());
            assertTrue(a.root().namedTensors().isEmpty());
        }
    }

    @Test
    void rebuildParameterAsWrittenByTorchSave() throws IOException {
        // the data.pkl torch 1.13 torch.save writes for nn.Parameter(torch.tensor([1.0, 2.0])),
        // without PROTO and STOP, set as attribute "w" of a __torch__.M object
        String parameter =
                "63746f7263682e5f7574696c730a5f72656275696c645f706172616d657465720a710063746f7263682e"
                        + "5f7574696c730a5f72656275696c645f74656e736f725f76320a71012828580700000073746f72616765710263746f"
                        + "7263680a466c6f617453746f726167650a71035801000000307104580300000063707571054b02747106514b004b0285"
                        + "71074b018571088963636f6c6c656374696f6e730a4f726465726564446963740a71092952710a74710b52710c886809"
                        + "2952710d87710e52710f";
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(new byte[] {(byte) 0x80, 2});
        p.writeBytes("c__torch__\nM\n".getBytes(StandardCharsets.US_ASCII));
        p.write(new byte[] {')', (byte) 0x81, '}'});
        shortUnicode(p, "w");
        p.writeBytes(HexFormat.of().parseHex(parameter));
        p.write(new byte[] {'s', 'b', '.'});
        // float32 1.0 = 0x3f800000, 2.0 = 0x40000000, little-endian
        byte[] storage = {0, 0, (byte) 0x80, 0x3f, 0, 0, 0, 0x40};
        Path file =
                zip(
                        "param.pt",
                        new LinkedHashMap<>(
                                Map.of("m/data.pkl", p.toByteArray(), "m/data/0", storage)));
        try (TorchScriptArchive a = TorchScriptArchive.open(file)) {
            TorchTensor w = a.root().findTensor("w").orElseThrow();
            assertTrue(w.requiresGrad());
            assertArrayEquals(new long[] {2}, w.shape());
            assertArrayEquals(new float[] {1.0f, 2.0f}, w.toFloatArray());
        }
    }

    @Test
    void unsupportedOpcodeIsNamed() throws IOException {
        // INST ('i') would look a class up by itself; the reader refuses the opcode
        byte[] pickle = "(i__main__\nEvil\n.".getBytes(StandardCharsets.US_ASCII);
        String message = failure(zip("inst.pt", Map.of("m/data.pkl", pickle)));
        assertTrue(
                message.startsWith("unsupported pickle opcode 0x69 in data.pkl (byte 1)"), message);
    }

    @Test
    void truncatedPickle() throws IOException {
        // PROTO 2, EMPTY_TUPLE, then the stream ends before STOP
        byte[] pickle = {(byte) 0x80, 2, ')'};
        String message = failure(zip("cutpkl.pt", Map.of("m/data.pkl", pickle)));
        assertTrue(
                message.startsWith(
                        "truncated pickle: needs 1 more bytes, 0 left in data.pkl (byte 3)"),
                message);
    }

    @Test
    void missingStorageEntry() throws IOException {
        Path file =
                repack(
                        Samples.torch1("strided_views"),
                        "gone.pt",
                        (name, bytes) -> name.equals("strided_views/data/1") ? null : bytes);
        String message = failure(file);
        assertTrue(
                message.startsWith("missing storage entry 'strided_views/data/1' in data.pkl"),
                message);
    }

    @Test
    void storageShorterThanDeclared() throws IOException {
        Path file =
                repack(
                        Samples.torch1("strided_views"),
                        "short.pt",
                        (name, bytes) ->
                                name.equals("strided_views/data/1")
                                        ? Arrays.copyOf(bytes, 8)
                                        : bytes);
        String message = failure(file);
        assertTrue(
                message.startsWith(
                        "storage entry 'strided_views/data/1' holds 8 bytes but the pickle declares 30"),
                message);
    }

    @Test
    void compressedEntriesReadTheSameTensors() throws IOException {
        Path original = Samples.torch1("strided_views");
        Path deflated = repack(original, "deflated.pt", (name, bytes) -> bytes);
        assertSameTensors(original, deflated);
    }

    @Test
    void bigEndianArchivesAreSwappedToLittleEndian() throws IOException {
        Path original = Samples.torch2("dtypes");
        Map<String, Integer> elementSizes = new HashMap<>();
        try (TorchScriptArchive a = TorchScriptArchive.open(original)) {
            a.root()
                    .namedTensors()
                    .values()
                    .forEach(
                            t ->
                                    elementSizes.put(
                                            t.storage().entryName(), t.dtype().elementSize()));
        }
        Path big =
                repack(
                        original,
                        "big.pt",
                        (name, bytes) -> {
                            if (name.equals("archive/byteorder")) {
                                return "big".getBytes(StandardCharsets.US_ASCII);
                            }
                            Integer es = elementSizes.get(name);
                            return es == null ? bytes : reversedElements(bytes, es);
                        });
        try (TorchScriptArchive a = TorchScriptArchive.open(big)) {
            assertTrue(a.isBigEndian());
        }
        assertSameTensors(original, big);
    }

    private static byte[] reversedElements(byte[] bytes, int es) {
        byte[] r = bytes.clone();
        for (int e = 0; e + es <= r.length; e += es) {
            for (int i = 0; i < es; i++) {
                r[e + i] = bytes[e + es - 1 - i];
            }
        }
        return r;
    }

    private static void assertSameTensors(Path expected, Path actual) throws IOException {
        try (TorchScriptArchive a = TorchScriptArchive.open(expected);
                TorchScriptArchive b = TorchScriptArchive.open(actual)) {
            Map<String, TorchTensor> ta = a.root().namedTensors();
            Map<String, TorchTensor> tb = b.root().namedTensors();
            assertEquals(ta.keySet(), tb.keySet());
            for (String name : ta.keySet()) {
                assertArrayEquals(ta.get(name).toByteArray(), tb.get(name).toByteArray(), name);
            }
        }
    }

    private static void shortUnicode(ByteArrayOutputStream p, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        p.write(0x8c);
        p.write(b.length);
        p.writeBytes(b);
    }

    /** Writes a DEFLATED zip with the given entries in iteration order. */
    private Path zip(String name, Map<String, byte[]> entries) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : new LinkedHashMap<>(entries).entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }

    /** Copies an archive entry by entry through {@code edit}; a null result drops the entry. */
    private Path repack(Path source, String name, BiFunction<String, byte[], byte[]> edit)
            throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(source.toFile())) {
            for (ZipEntry e : Collections.list(z.entries())) {
                byte[] edited = edit.apply(e.getName(), z.getInputStream(e).readAllBytes());
                if (edited != null) {
                    entries.put(e.getName(), edited);
                }
            }
        }
        return zip(name, entries);
    }
}
