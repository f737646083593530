package org.torch2nnef.check;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemporaryTreesTest {
    @TempDir Path tmp;

    @Test
    void aMissingFolderIsNoError() {
        TemporaryTrees.delete(tmp.resolve("never-made"));
    }

    @Test
    void aNestedTreeIsRemoved() throws IOException {
        Path root = tree(tmp.resolve("root"));
        TemporaryTrees.delete(root);
        assertFalse(Files.exists(root));
    }

    /**
     * A task's own folder removed by its thread while the check removes the folder holding it: no
     * exception (a {@code Files.walk} stream threw one, about once in fifty rounds here) and
     * nothing left.
     */
    @Test
    void entriesVanishingDuringTheRemovalAreSkipped() throws Exception {
        for (int round = 0; round < 200; round++) {
            Path root = tree(tmp.resolve("round" + round));
            Path task = root.resolve("task");
            CountDownLatch go = new CountDownLatch(1);
            Thread other =
                    new Thread(
                            () -> {
                                try {
                                    go.await();
                                } catch (InterruptedException e) {
                                    return;
                                }
                                TemporaryTrees.delete(task);
                            });
            other.start();
            go.countDown();
            TemporaryTrees.delete(root);
            other.join();
            assertFalse(Files.exists(root), root.toString());
        }
    }

    /** {@code root/task/{0..39}} and {@code root/other/{0..39}}. */
    private static Path tree(Path root) throws IOException {
        for (String dir : new String[] {"task", "other"}) {
            Path d = Files.createDirectories(root.resolve(dir));
            for (int i = 0; i < 40; i++) {
                Files.write(d.resolve(Integer.toString(i)), new byte[] {1});
            }
        }
        return root;
    }
}
