package org.torch2nnef.nnef.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Deletes registered scratch paths when the JVM exits before their owner did (Ctrl-C, SIGTERM from
 * a cancelled CI job): one shutdown hook for all of them, installed on first use.
 */
public final class ShutdownCleanup {
    private static final Set<Path> PENDING = new LinkedHashSet<>();
    private static boolean hooked;

    private ShutdownCleanup() {}

    /** Deletes {@code path} (file or tree) at JVM exit unless {@link #forget}-ed first. */
    public static synchronized void register(Path path) {
        if (!hooked) {
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(ShutdownCleanup::deleteAll, "torch2nnef-cleanup"));
            hooked = true;
        }
        PENDING.add(path);
    }

    /** Its owner deleted or kept {@code path}: nothing to do at exit. */
    public static synchronized void forget(Path path) {
        PENDING.remove(path);
    }

    private static void deleteAll() {
        List<Path> paths;
        synchronized (ShutdownCleanup.class) {
            paths = List.copyOf(PENDING);
        }
        for (Path p : paths) {
            try {
                AtomicTarget.deleteRecursively(p);
            } catch (IOException | RuntimeException e) {
                // a writer still running may recreate a file: the next run removes it as stale
            }
        }
    }
}
