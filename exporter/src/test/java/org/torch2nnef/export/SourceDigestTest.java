package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The background hash of an exported file: the same digest as hashing in line, and read errors reach the caller. */
class SourceDigestTest {
    @TempDir
    Path dir;

    @Test
    void digestOfAFile() throws Exception {
        // SHA-256("abc"), FIPS 180-2 appendix B.1
        Path file = Files.writeString(dir.resolve("abc.pt"), "abc", StandardCharsets.US_ASCII);
        try (SourceDigest digest = SourceDigest.start(file)) {
            assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", digest.get());
        }
        assertEquals(ModelProperties.sha256(file), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void unreadableFileFailsWhenTheDigestIsAskedFor() {
        Path missing = dir.resolve("missing.pt");
        try (SourceDigest digest = SourceDigest.start(missing)) {
            NoSuchFileException e = assertThrows(NoSuchFileException.class, digest::get);
            assertEquals(missing.toString(), e.getFile());
        }
    }

    @Test
    void fileCutShortWhileHashingIsAnIoError() throws Exception {
        // cut after the second window is mapped: reading it faults (the JVM's InternalError)
        IOException fault = cutWhileHashing(dir.resolve("cut1.pt"), 1);
        assertEquals(dir.resolve("cut1.pt") + " became shorter while it was hashed (changed during the export?)",
                fault.getMessage());
        assertEquals(InternalError.class, fault.getCause().getClass());
        // cut to two windows: the third is found missing before it is mapped
        IOException missing = cutWhileHashing(dir.resolve("cut2.pt"), 32L << 20);
        assertEquals(dir.resolve("cut2.pt") + " became shorter while it was hashed (changed during the export?)",
                missing.getMessage());
        assertEquals(null, missing.getCause());
    }

    /** Hashes a 40 MB file (three windows), cutting it to {@code cutTo} bytes once the second window is mapped. */
    private static IOException cutWhileHashing(Path file, long cutTo) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[1]), (40L << 20) - 1);
        }
        int[] windows = {0};
        return assertThrows(IOException.class, () -> SourceDigest.sha256(file, () -> {
            if (++windows[0] == 2) {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(cutTo);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return false;
        }));
    }
}
