package org.torch2nnef.serve;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.torch2nnef.export.ModelProperties;

/**
 * The key of a job's results: the SHA-256 of everything that decides them. Same key, same bytes:
 * the model's bytes (by digest) and the name the export records, the canonical options, the tool's
 * version, and, when a check runs, which tract the machine would run. A replica with another tool
 * version or tract computes other keys, so a shared result store never serves it a result it would
 * not have computed itself.
 */
public final class CacheKey {
    private CacheKey() {}

    /** The key for {@code parts} (each a digest, name or canonical JSON), in order. */
    public static String of(String kind, String... parts) {
        MessageDigest d = sha256();
        line(d, "torch2nnef " + ModelProperties.exporterVersion());
        line(d, kind);
        for (String p : parts) {
            line(d, p);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /**
     * Which tract a check would find here (TRACT_BIN, else PATH): path, size and modification time,
     * or {@code no tract}. Part of the key of checked jobs: the verdict depends on it.
     */
    public static String tractFingerprint() {
        Optional<Path> found =
                Optional.ofNullable(System.getenv("TRACT_BIN"))
                        .filter(s -> !s.isBlank())
                        .map(Path::of)
                        .or(CacheKey::onPath);
        return found.filter(Files::isRegularFile)
                .map(
                        p -> {
                            try {
                                return p.toRealPath()
                                        + " "
                                        + Files.size(p)
                                        + " "
                                        + Files.getLastModifiedTime(p).toMillis();
                            } catch (IOException e) {
                                return p.toString();
                            }
                        })
                .orElse("no tract");
    }

    private static Optional<Path> onPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "tract");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static void line(MessageDigest d, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        d.update(Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII));
        d.update((byte) ':');
        d.update(b);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }
}
