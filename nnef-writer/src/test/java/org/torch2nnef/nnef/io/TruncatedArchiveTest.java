package org.torch2nnef.nnef.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.nnef.model.NnefModel;

/**
 * An archive cut short anywhere is refused by {@code read}, {@code validate} and {@code extract}
 * with a message naming the archive (and the entry it ends in), never "null": the bare {@code
 * EOFException} of a cut gzip or tar stream has no message.
 */
class TruncatedArchiveTest {
    @TempDir Path dir;

    @Test
    void everyCutNamesTheArchive() throws IOException {
        String name = "model.nnef.tgz";
        NnefModel m =
                SampleModels.linear().toBuilder()
                        .tensors(SampleModels.everyItemType().tensors())
                        .build();
        Path whole = dir.resolve(name);
        NnefArchiveWriter.write(m, whole, 0);
        byte[] bytes = Files.readAllBytes(whole);
        boolean namedAnEntry = false;
        for (int k = 1; k < 20; k++) {
            Path cut = Files.write(dir.resolve("cut-" + k + "-" + name), slice(bytes, k));
            Path target = dir.resolve("extracted-" + k);
            for (String message :
                    new String[] {
                        refusal(() -> NnefArchiveReader.read(cut)),
                        refusal(() -> NnefArchiveReader.validate(cut)),
                        refusal(() -> NnefArchiveReader.extract(cut, target))
                    }) {
                assertTrue(message.startsWith(cut.toString()), message);
                assertFalse(message.contains("null"), message);
                namedAnEntry |= message.startsWith(cut + "!");
            }
        }
        assertTrue(namedAnEntry, "some cut lands inside an entry and names it");
    }

    @Test
    void aTarCutBetweenEntriesIsRefusedByItsMissingTensors() throws IOException {
        NnefModel m = SampleModels.linear();
        Path whole = dir.resolve("model.nnef.tar");
        NnefArchiveWriter.write(m, whole, 0);
        byte[] bytes = Files.readAllBytes(whole);
        // a tar is a sequence of 512-byte blocks: cut right before the last entry's header block
        int lastHeader = -1;
        for (int at = 0; at + 512 <= bytes.length; at += 512) {
            String entryName =
                    new String(bytes, at, 100, java.nio.charset.StandardCharsets.US_ASCII);
            if (entryName.contains(".dat")) {
                lastHeader = at;
            }
        }
        assertTrue(lastHeader > 0, "the sample has .dat entries");
        Path cut = Files.write(dir.resolve("cut.nnef.tar"), Arrays.copyOf(bytes, lastHeader));
        for (String message :
                new String[] {
                    refusal(() -> NnefArchiveReader.read(cut)),
                    refusal(() -> NnefArchiveReader.validate(cut))
                }) {
            assertTrue(message.startsWith(cut + ": variable '"), message);
            assertTrue(message.contains("(is the archive truncated?)"), message);
        }
    }

    /** The first k/20 of the archive. */
    private static byte[] slice(byte[] bytes, int k) {
        return Arrays.copyOf(bytes, bytes.length * k / 20);
    }

    private static String refusal(org.junit.jupiter.api.function.Executable read) {
        return assertThrows(NnefFormatException.class, read).getMessage();
    }
}
