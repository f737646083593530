package org.torch2nnef.torchscript;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our own zip directory reader: zip64 records read like plain ones, and each damaged field of a
 * hand-written archive (APPNOTE.TXT layouts) fails with its own message.
 */
class ZipDirectoryTest {
    private static final byte[] PICKLE = {(byte) 0x80, 2, '}', '.'};
    private static final byte[] DATA = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @TempDir Path dir;

    /** Offsets of the parts of a hand-written archive, for tests that damage them. */
    private record Layout(
            byte[] bytes,
            List<Integer> localHeaders,
            List<Integer> centralHeaders,
            int end,
            int zip64End,
            int locator) {}

    /**
     * Two STORED entries, m/data.pkl and m/data/0, the second 64-byte aligned by a local extra
     * field like torch's.
     */
    private static Layout archive(boolean zip64) {
        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        String[] names = {"m/data.pkl", "m/data/0"};
        byte[][] contents = {PICKLE, DATA};
        List<Integer> locals = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            byte[] name = names[i].getBytes(StandardCharsets.UTF_8);
            locals.add(b.position());
            int pad = i == 1 ? 64 - (b.position() + 30 + name.length + 4) % 64 : 0;
            b.putInt(0x04034b50)
                    .putShort((short) 20)
                    .putShort((short) 0)
                    .putShort((short) 0)
                    .putInt(0)
                    .putInt(0)
                    .putInt(contents[i].length)
                    .putInt(contents[i].length)
                    .putShort((short) name.length)
                    .putShort((short) (i == 1 ? 4 + pad : 0))
                    .put(name);
            if (i == 1) {
                b.putShort((short) 0x4246)
                        .putShort((short) pad)
                        .put(new byte[pad]); // torch's "FB" padding field
            }
            b.put(contents[i]);
        }
        List<Integer> centrals = new ArrayList<>();
        int directory = b.position();
        for (int i = 0; i < names.length; i++) {
            byte[] name = names[i].getBytes(StandardCharsets.UTF_8);
            centrals.add(b.position());
            int size = zip64 ? -1 : contents[i].length;
            b.putInt(0x02014b50)
                    .putShort((short) 20)
                    .putShort((short) 20)
                    .putShort((short) 0)
                    .putShort((short) 0)
                    .putInt(0)
                    .putInt(0)
                    .putInt(size)
                    .putInt(size)
                    .putShort((short) name.length)
                    .putShort((short) (zip64 ? 28 : 0))
                    .putShort((short) 0)
                    .putShort((short) 0)
                    .putShort((short) 0)
                    .putInt(0)
                    .putInt(zip64 ? -1 : locals.get(i))
                    .put(name);
            if (zip64) {
                b.putShort((short) 1)
                        .putShort((short) 24)
                        .putLong(contents[i].length)
                        .putLong(contents[i].length)
                        .putLong(locals.get(i));
            }
        }
        int directorySize = b.position() - directory;
        int zip64End = -1;
        int locator = -1;
        if (zip64) {
            zip64End = b.position();
            b.putInt(0x06064b50)
                    .putLong(44)
                    .putShort((short) 45)
                    .putShort((short) 45)
                    .putInt(0)
                    .putInt(0)
                    .putLong(2)
                    .putLong(2)
                    .putLong(directorySize)
                    .putLong(directory);
            locator = b.position();
            b.putInt(0x07064b50).putInt(0).putLong(zip64End).putInt(1);
        }
        int end = b.position();
        b.putInt(0x06054b50)
                .putShort((short) 0)
                .putShort((short) 0)
                .putShort((short) (zip64 ? -1 : 2))
                .putShort((short) (zip64 ? -1 : 2))
                .putInt(zip64 ? -1 : directorySize)
                .putInt(zip64 ? -1 : directory)
                .putShort((short) 0);
        byte[] bytes = new byte[b.position()];
        b.flip().get(bytes);
        return new Layout(bytes, locals, centrals, end, zip64End, locator);
    }

    private Path write(Layout layout, Consumer<ByteBuffer> damage) throws IOException {
        byte[] bytes = layout.bytes().clone();
        damage.accept(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
        return Files.write(Files.createTempFile(dir, "zip", ".pt"), bytes);
    }

    private String failure(Layout layout, Consumer<ByteBuffer> damage) throws IOException {
        Path file = write(layout, damage);
        return assertThrows(TorchScriptFormatException.class, () -> ZipEntries.open(file).close())
                .getMessage();
    }

    @Test
    void zip64RecordsReadLikePlainOnes() throws IOException {
        for (boolean zip64 : new boolean[] {false, true}) {
            Layout layout = archive(zip64);
            try (ZipEntries zip = ZipEntries.open(write(layout, b -> {}))) {
                assertEquals(List.of("m/data.pkl", "m/data/0"), zip.names());
                assertEquals(DATA.length, zip.size("m/data/0"));
                assertArrayEquals(PICKLE, zip.readAll("m/data.pkl"));
                byte[] part = new byte[4];
                zip.read("m/data/0", 10, part, 0, 4);
                assertEquals("abcd", new String(part, StandardCharsets.US_ASCII));
                ArchiveSlice slice = zip.slice("m/data/0", 2, 8).orElseThrow();
                assertEquals(
                        0, (slice.position() - 2) % 64, "torch aligns tensor data to 64 bytes");
                assertEquals(8, slice.length());
            }
        }
    }

    @Test
    void multiVolumeArchivesAreRefused() throws IOException {
        Layout layout = archive(false);
        assertTrue(
                failure(layout, b -> b.putShort(layout.end() + 4, (short) 1))
                        .endsWith(": multi-volume archives are not supported"));
    }

    @Test
    void zip64MarkersWithoutZip64Records() throws IOException {
        Layout layout = archive(false);
        assertTrue(
                failure(layout, b -> b.putShort(layout.end() + 10, (short) -1))
                        .endsWith(
                                ": the end record needs zip64 values but there is no zip64 locator"));
    }

    @Test
    void zip64EndRecordOutsideTheFile() throws IOException {
        Layout layout = archive(true);
        assertTrue(
                failure(layout, b -> b.putLong(layout.locator() + 8, 1L << 40))
                        .endsWith(
                                ": zip64 end record offset "
                                        + (1L << 40)
                                        + " is outside the file"));
    }

    @Test
    void zip64EndRecordMissing() throws IOException {
        Layout layout = archive(true);
        assertTrue(
                failure(layout, b -> b.putInt(layout.zip64End(), 0))
                        .endsWith(": no zip64 end record at byte " + layout.zip64End()));
    }

    @Test
    void centralDirectoryOutsideTheFile() throws IOException {
        Layout layout = archive(false);
        String message = failure(layout, b -> b.putInt(layout.end() + 16, layout.end()));
        assertTrue(message.startsWith("truncated or corrupt zip archive "), message);
        assertTrue(
                message.endsWith(") does not end before its end record at byte " + layout.end()),
                message);
    }

    @Test
    void moreEntriesThanTheDirectoryCanHold() throws IOException {
        Layout layout = archive(false);
        assertTrue(
                failure(layout, b -> b.putShort(layout.end() + 10, (short) 500))
                        .endsWith("bytes cannot hold 500 entries"));
    }

    @Test
    void damagedCentralEntry() throws IOException {
        Layout layout = archive(false);
        assertTrue(
                failure(layout, b -> b.putInt(layout.centralHeaders().get(1), 0))
                        .endsWith(": central directory entry 1 is missing or damaged"));
        assertTrue(
                failure(layout, b -> b.putShort(layout.centralHeaders().get(1) + 28, (short) 900))
                        .endsWith(": central directory entry 1 runs past the directory"));
    }

    @Test
    void zip64SizeMarkerWithoutZip64Extra() throws IOException {
        Layout layout = archive(false);
        assertTrue(
                failure(layout, b -> b.putInt(layout.centralHeaders().get(0) + 24, -1))
                        .endsWith(
                                ": entry 'm/data.pkl' needs zip64 sizes but has no zip64 extra field"));
    }

    @Test
    void encryptedOrUnknownCompressionIsRefused() throws IOException {
        Layout layout = archive(false);
        int central = layout.centralHeaders().get(1);
        assertTrue(
                failure(layout, b -> b.putShort(central + 8, (short) 1))
                        .startsWith("unsupported compression or encryption for entry 'm/data/0'"));
        assertTrue(
                failure(layout, b -> b.putShort(central + 10, (short) 12)) // bzip2
                        .startsWith("unsupported compression or encryption for entry 'm/data/0'"));
    }

    @Test
    void entryEndingPastTheFileIsTruncation() throws IOException {
        Layout layout = archive(false);
        int central = layout.centralHeaders().get(1);
        assertTrue(
                failure(layout, b -> b.putInt(central + 20, 1 << 20))
                        .startsWith("truncated zip archive "));
    }

    @Test
    void damagedLocalHeaderIsFoundWhenTheEntryIsRead() throws IOException {
        Layout layout = archive(false);
        int local = layout.localHeaders().get(1);
        try (ZipEntries zip = ZipEntries.open(write(layout, b -> b.putInt(local, 0)))) {
            assertTrue(
                    zip.slice("m/data/0", 0, 4).isEmpty(),
                    "no slice: streaming reports the damage");
            String message =
                    assertThrows(TorchScriptFormatException.class, () -> zip.readAll("m/data/0"))
                            .getMessage();
            assertTrue(
                    message.endsWith(": entry 'm/data/0' has no local header at byte " + local),
                    message);
        }
        try (ZipEntries zip =
                ZipEntries.open(write(layout, b -> b.putShort(local + 28, (short) 0x7fff)))) {
            String message =
                    assertThrows(TorchScriptFormatException.class, () -> zip.readAll("m/data/0"))
                            .getMessage();
            assertTrue(
                    message.startsWith("truncated zip archive ")
                            && message.contains("entry 'm/data/0' ends at byte"),
                    message);
        }
    }
}
