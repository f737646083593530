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

    /** The first k/20 of the archive. */
    private static byte[] slice(byte[] bytes, int k) {
        return Arrays.copyOf(bytes, bytes.length * k / 20);
    }

    private static String refusal(org.junit.jupiter.api.function.Executable read) {
        return assertThrows(NnefFormatException.class, read).getMessage();
    }
}
