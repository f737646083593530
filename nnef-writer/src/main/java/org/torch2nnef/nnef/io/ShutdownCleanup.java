package org.torch2nnef.nnef.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
    private static final int RETRIES = 40;
    private static final long RETRY_MILLIS = 25;
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
            deleteWhileWritersRun(p);
        }
    }

    /**
     * The exporting threads keep running while shutdown hooks do, so a write in flight can create a
     * file after the walk saw the directory: walk again until it is gone, for a bounded time (the
     * next run removes what is still left as stale).
     */
    private static void deleteWhileWritersRun(Path p) {
        for (int attempt = 0; attempt < RETRIES; attempt++) {
            try {
                AtomicTarget.deleteRecursively(p);
            } catch (IOException | RuntimeException e) {
                // a file appeared or vanished during the walk: walk again
            }
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            try {
                Thread.sleep(RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
