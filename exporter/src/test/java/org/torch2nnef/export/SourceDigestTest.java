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

/**
 * The background hash of an exported file: the same digest as hashing in line, and read errors
 * reach the caller.
 */
class SourceDigestTest {
    @TempDir Path dir;

    @Test
    void digestOfAFile() throws Exception {
        // SHA-256("abc"), FIPS 180-2 appendix B.1
        Path file = Files.writeString(dir.resolve("abc.pt"), "abc", StandardCharsets.US_ASCII);
        try (SourceDigest digest = SourceDigest.start(file)) {
            assertEquals(
                    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                    digest.get());
        }
        assertEquals(
                ModelProperties.sha256(file),
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
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
        Path file = dir.resolve("cut.pt");
        try (FileChannel ch =
                FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[1]), (4L << 20) - 1); // 4 MB: four chunks
        }
        int[] chunks = {0};
        IOException e =
                assertThrows(
                        IOException.class,
                        () ->
                                SourceDigest.sha256(
                                        file,
                                        () -> {
                                            if (++chunks[0]
                                                    == 2) { // after the first chunk, cut the file
                                                // to half a chunk
                                                try (FileChannel ch =
                                                        FileChannel.open(
                                                                file, StandardOpenOption.WRITE)) {
                                                    ch.truncate(1 << 19);
                                                } catch (IOException io) {
                                                    throw new UncheckedIOException(io);
                                                }
                                            }
                                            return false;
                                        }));
        assertEquals(
                file + " became shorter while it was hashed (changed during the export?)",
                e.getMessage());
    }
}
