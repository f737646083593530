package org.torch2nnef.nnef.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of scratch files and directories that say who wrote them: {@code BASE-HOST-PID-RANDOM}
 * (HOST a hash of the host name, so a shared file system's other hosts are told apart). A process
 * killed mid-write (kill -9, a JVM crash) cannot remove its scratch; a later run removes the ones
 * whose writer is gone, or that are older than {@link #SAFE_AGE} (a writer on another host, a
 * recycled PID, or a name of an earlier version without the tag).
 */
public final class ScratchNames {
    /** Age after which scratch is removed whoever wrote it: no export takes this long. */
    public static final Duration SAFE_AGE = Duration.ofHours(12);

    private static final String HOST = hostTag();
    private static final long PID = ProcessHandle.current().pid();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern TAG = Pattern.compile("-([0-9a-f]{8})-([0-9]+)-[0-9a-f]+$");

    private ScratchNames() {}

    /** A fresh name starting with {@code base} and tagged with this host and process. */
    public static String fresh(String base) {
        byte[] r = new byte[6];
        RANDOM.nextBytes(r);
        return base + "-" + HOST + "-" + PID + "-" + HexFormat.of().formatHex(r);
    }

    /**
     * Removes the entries of {@code dir} whose names start with {@code base} and that are stale;
     * best effort: what cannot be removed stays.
     */
    public static void removeStale(Path dir, String base) {
        // a prefix test, not a glob: the glob's regex, compiled and run on every entry of the
        // output's folder, cost a small export more than the rest of this method
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (p.getFileName().toString().startsWith(base) && isStale(p, base)) {
                    AtomicTarget.deleteRecursively(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            // leftover scratch is harmless to this run
        }
    }

    /** Whether {@code p} (named {@code base…}) was left by a writer that is gone or long ago. */
    static boolean isStale(Path p, String base) throws IOException {
        Instant modified = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant();
        if (modified.isBefore(Instant.now().minus(SAFE_AGE))) {
            return true;
        }
        Optional<Long> writer =
                writerOnThisHost(p.getFileName().toString().substring(base.length()));
        return writer.isPresent()
                && writer.get() != PID
                && ProcessHandle.of(writer.get()).map(h -> !h.isAlive()).orElse(true);
    }

    private static Optional<Long> writerOnThisHost(String suffix) {
        Matcher m = TAG.matcher(suffix);
        if (!m.find() || !m.group(1).equals(HOST)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(m.group(2)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String hostTag() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
        return HexFormat.of().toHexDigits(host.hashCode()); // as %08x, without a Formatter
    }
}
