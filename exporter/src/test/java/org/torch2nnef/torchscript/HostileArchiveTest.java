package org.torch2nnef.torchscript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.torchscript.pickle.PickleLimits;

/**
 * Small archives built to hang, exhaust or fool the reader (issue 14): each is refused with a
 * message naming the file, the entry and the limit, quickly.
 */
@Timeout(60)
class HostileArchiveTest {
    private static final long TWO_62 = 1L << 62;
    private static final byte[] MODULE =
            new PickleWriter().global("__torch__", "M").op(')', 0x81).stop();

    @TempDir Path dir;

    @Test
    void strideThatWrapsTheBoundsCheckIsRefused() throws IOException {
        // 4 x 9 floats on a 36-element storage, row stride 2^62: 3 * 2^62 wraps to a negative
        // "last element", which used to pass and export row 0 four times
        Path file =
                archive(
                        "stride.pt",
                        PickleWriter.moduleWithTensor(
                                36, new long[] {4, 9}, new long[] {TWO_62, 1}),
                        36 * 4);
        String message = failure(file);
        assertTrue(
                message.startsWith(
                        "tensor view on m/data/0 (offset 0, sizes [4, 9], strides ["
                                + TWO_62
                                + ", 1]) overflows 64-bit arithmetic in data.pkl"),
                message);
        assertTrue(message.endsWith(" of " + file), message);
    }

    @Test
    void elementCountThatWrapsTheStorageSizeIsRefused() throws IOException {
        // 2^62 floats are 2^64 bytes, which wrapped to 0 and passed the storage size check
        Path file =
                archive(
                        "numel.pt",
                        PickleWriter.moduleWithTensor(TWO_62, new long[] {36}, new long[] {1}),
                        36 * 4);
        String message = failure(file);
        assertTrue(
                message.startsWith(
                        "storage entry 'm/data/0' holds 144 bytes but the pickle declares "
                                + TWO_62
                                + " float32 elements in data.pkl"),
                message);
    }

    @Test
    void honestViewStillReads() throws IOException {
        Path file =
                archive(
                        "ok.pt",
                        PickleWriter.moduleWithTensor(36, new long[] {4, 9}, new long[] {9, 1}),
                        36 * 4);
        try (TorchScriptArchive a = TorchScriptArchive.open(file)) {
            assertEquals(36, a.root().findTensor("w").orElseThrow().toFloatArray().length);
        }
    }

    @Test
    void billionLaughsListAsDictKeyIsRefusedAtOnce() throws IOException {
        // x = []; 90 times x = [x, x] (2^90 elements when walked); {x: None}
        PickleWriter p = new PickleWriter().op('}', ']', 'q', 0, '0');
        for (int i = 0; i < 90; i++) {
            p.op('(', 'h', 0, 'h', 0, 'l', 'q', 0, '0');
        }
        byte[] pickle = p.op('h', 0, 'N', 's').stop();
        String message = failure(zip("laughs.pt", Map.of("m/data.pkl", pickle)));
        assertTrue(
                message.startsWith(
                        "unsupported dict key of type list (unhashable): TorchScript dict keys are"
                                + " str, int, float, bool or Tensor in data.pkl (byte "),
                message);
    }

    @Test
    void billionLaughsTupleAsDictKeyIsRefusedAtOnce() throws IOException {
        // the same with tuples, which Python would hash (for ever)
        PickleWriter p = new PickleWriter().op('}', ')');
        p.repeat(90, '2', 0x86);
        byte[] pickle = p.op('N', 's').stop();
        String message = failure(zip("tlaughs.pt", Map.of("m/data.pkl", pickle)));
        assertTrue(message.startsWith("unsupported dict key of type tuple"), message);
    }

    @Test
    void hugeIntegersAreRefusedBeforeParsing() throws IOException {
        String digits = "9".repeat(5_000_000);
        byte[] text = new PickleWriter().op('L').text(digits + "L\n").stop();
        String message = failure(zip("long.pt", Map.of("m/data.pkl", text)));
        assertTrue(
                message.startsWith(
                        "pickle limit: a number of 5000001 digits or bytes, more than 4300"
                                + " (torch2nnef.limit.pickle.number-length) in data.pkl (byte 2)"),
                message);
        byte[] long4 = new byte[2 + 1 + 4 + 5_000_000 + 1];
        ByteBuffer.wrap(long4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .put((byte) 0x80)
                .put((byte) 2)
                .put((byte) 0x8b)
                .putInt(5_000_000);
        long4[long4.length - 1] = '.';
        assertTrue(
                failure(zip("long4.pt", Map.of("m/data.pkl", long4)))
                        .startsWith("pickle limit: a number of 5000000 digits or bytes"));
    }

    @Test
    void millionsOfMarksAreRefused() throws IOException {
        byte[] pickle = new PickleWriter().repeat(20_000, '(').stop();
        String message = failure(zip("marks.pt", Map.of("m/data.pkl", pickle)));
        assertTrue(
                message.startsWith(
                        "pickle limit: more than 10000 open MARKs (torch2nnef.limit.pickle.marks)"
                                + " in data.pkl (byte 10002)"),
                message);
    }

    @Test
    void deepNestingIsRefusedWhileBuilt() throws IOException {
        // [[[...]]] 100k deep: 100k EMPTY_LISTs, then APPEND each into the one below
        byte[] pickle = new PickleWriter().repeat(100_000, ']').repeat(99_999, 'a').stop();
        String message = failure(zip("deep.pt", Map.of("m/data.pkl", pickle)));
        assertTrue(
                message.startsWith(
                        "pickle limit: containers nested more than 1000 deep"
                                + " (torch2nnef.limit.pickle.nesting) in data.pkl"),
                message);
    }

    @Test
    void nestingThroughAListFilledAfterItWasNestedIsCounted() throws IOException {
        // a = []; b = [a] (depth 2); then 1000 lists deep appended into a: b is 1002 deep
        PickleWriter p = new PickleWriter().op(']', 'q', 0, ']', 'h', 0, 'a', 'h', 0);
        p.repeat(1000, ']').repeat(1000, 'a');
        String message = failure(zip("late.pt", Map.of("m/data.pkl", p.stop())));
        assertTrue(message.startsWith("pickle limit: containers nested more than 1000"), message);
    }

    @Test
    void opcodeFloodsHitTheirLimits() throws IOException {
        // what 400M EMPTY_LISTs or MARKs do at scale, under small limits
        PickleLimits small = new PickleLimits(10_000, 1_000, 100, 100, 5_000, 100);
        ReaderLimits limits =
                new ReaderLimits(
                        small, 1 << 20, 1 << 20, 1 << 20, 1 << 20, 1 << 20, 1L << 30, 1 << 20);
        Path lists =
                zip("lists.pt", Map.of("m/data.pkl", new PickleWriter().repeat(2_000, ']').stop()));
        String message = failure(lists, limits);
        assertTrue(
                message.startsWith(
                        "pickle limit: more than 1000 values on the stack"
                                + " (torch2nnef.limit.pickle.stack) in data.pkl (byte 1002)"),
                message);
        // BINGET + APPEND adds references to one list without growing the stack
        PickleWriter refsPickle = new PickleWriter().op(']', ']', 'q', 0, '0');
        Path refs =
                zip("refs.pt", Map.of("m/data.pkl", refsPickle.repeat(4_000, 'h', 0, 'a').stop()));
        message = failure(refs, limits);
        assertTrue(
                message.startsWith(
                        "pickle limit: more than 5000 values, container items and memo"
                                + " entries (torch2nnef.limit.pickle.objects)"),
                message);
        Path pops =
                zip(
                        "pops.pt",
                        Map.of("m/data.pkl", new PickleWriter().repeat(20_000, 'N', '0').stop()));
        message = failure(pops, limits);
        assertTrue(
                message.startsWith(
                        "pickle limit: more than 10000 steps (torch2nnef.limit.pickle.steps)"),
                message);
    }

    @Test
    void codeFilePaddedToABombStopsAtItsLimit() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("m/data.pkl", MODULE);
        byte[] newlines = new byte[3 << 20];
        Arrays.fill(newlines, (byte) '\n');
        entries.put("m/code/__torch__.py", newlines);
        Path file = zip("bomb.pt", entries);
        ReaderLimits limits = withEntryLimits(1 << 20, 1L << 30);
        try (TorchScriptArchive a = TorchScriptArchive.open(file, limits)) {
            String message =
                    assertThrows(
                                    TorchScriptFormatException.class,
                                    () -> a.readCodeFile("code/__torch__.py"))
                            .getMessage();
            assertEquals(
                    file
                            + "!m/code/__torch__.py: entry of 3145728 bytes exceeds the limit of"
                            + " 1048576 bytes (torch2nnef.limit.entry.code)",
                    message);
        }
    }

    @Test
    void entryThatInflatesBeyondItsDeclaredSizeIsCorrupt() throws IOException {
        // the central directory says 10 bytes; the data inflates to 3 MB: read 10, then refuse
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("m/data.pkl", MODULE);
        byte[] newlines = new byte[3 << 20];
        Arrays.fill(newlines, (byte) '\n');
        entries.put("m/code/__torch__.py", newlines);
        Path file = zip("liar.pt", entries);
        byte[] bytes = Files.readAllBytes(file);
        patchCentralSize(bytes, "m/code/__torch__.py", 10);
        Files.write(file, bytes);
        try (TorchScriptArchive a = TorchScriptArchive.open(file)) {
            String message =
                    assertThrows(
                                    TorchScriptFormatException.class,
                                    () -> a.readCodeFile("code/__torch__.py"))
                            .getMessage();
            assertEquals(
                    "corrupt zip archive "
                            + file
                            + ": entry 'm/code/__torch__.py' inflates to more than its declared 10"
                            + " bytes",
                    message);
        }
    }

    @Test
    void metadataEntriesTogetherHaveALimit() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("m/data.pkl", MODULE);
        entries.put("m/code/a.py", new byte[600]);
        entries.put("m/code/b.py", new byte[600]);
        Path file = zip("total.pt", entries);
        try (TorchScriptArchive a = TorchScriptArchive.open(file, withEntryLimits(1000, 1000))) {
            a.readCodeFile("code/a.py");
            a.readCodeFile("code/a.py"); // counted once
            String message =
                    assertThrows(
                                    TorchScriptFormatException.class,
                                    () -> a.readCodeFile("code/b.py"))
                            .getMessage();
            assertTrue(
                    message.startsWith(
                            file + "!m/code/b.py: reading this entry of 600 bytes after"),
                    message);
            assertTrue(message.endsWith("(torch2nnef.limit.entries-total)"), message);
        }
    }

    @Test
    void limitsAreSetBySystemProperties() throws IOException {
        String code = "torch2nnef.limit.entry.code";
        String nesting = "torch2nnef.limit.pickle.nesting";
        try {
            System.setProperty(code, "2M");
            System.setProperty(nesting, "5000");
            ReaderLimits limits = ReaderLimits.fromSystemProperties();
            assertEquals(2L << 20, limits.code());
            assertEquals(5000, limits.pickle().nesting());
            assertEquals(ReaderLimits.DEFAULTS.dataPkl(), limits.dataPkl());
            System.setProperty(code, "lots");
            String message =
                    assertThrows(
                                    TorchScriptFormatException.class,
                                    ReaderLimits::fromSystemProperties)
                            .getMessage();
            assertEquals(
                    "system property torch2nnef.limit.entry.code='lots' is not a positive whole"
                            + " number (optionally with K, M or G)",
                    message);
        } finally {
            System.clearProperty(code);
            System.clearProperty(nesting);
        }
    }

    private static ReaderLimits withEntryLimits(long each, long total) {
        return new ReaderLimits(PickleLimits.DEFAULTS, each, each, each, each, each, total, each);
    }

    private static String failure(Path file) {
        return failure(file, ReaderLimits.DEFAULTS);
    }

    private static String failure(Path file, ReaderLimits limits) {
        return assertThrows(
                        TorchScriptFormatException.class,
                        () -> TorchScriptArchive.open(file, limits).close())
                .getMessage();
    }

    /** An archive of {@code data.pkl} and a zero-filled storage {@code data/0}. */
    private Path archive(String name, byte[] pickle, int storageBytes) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("m/data.pkl", pickle);
        entries.put("m/data/0", new byte[storageBytes]);
        return zip(name, entries);
    }

    /** Writes a DEFLATED zip with the given entries in iteration order. */
    private Path zip(String name, Map<String, byte[]> entries) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }

    /** Overwrites the uncompressed size in the central directory header of {@code entry}. */
    static void patchCentralSize(byte[] zip, String entry, int size) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        byte[] name = entry.getBytes(StandardCharsets.UTF_8);
        for (int at = 0; at + 46 + name.length <= zip.length; at++) {
            if (b.getInt(at) == 0x02014b50
                    && Arrays.equals(zip, at + 46, at + 46 + name.length, name, 0, name.length)) {
                b.putInt(at + 24, size);
                return;
            }
        }
        throw new AssertionError("no central header for " + entry);
    }
}
