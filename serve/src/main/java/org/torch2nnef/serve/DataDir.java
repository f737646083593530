package org.torch2nnef.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The layout of {@code --data DIR}. Every path the service writes is made here from ids and keys it
 * made itself (hex) and from file names {@link UploadName} has cleaned, so nothing lands outside
 * DIR.
 *
 * <pre>
 * DIR/jobs/ID/job.json         the job record
 * DIR/jobs/ID/model/NAME.pt    the upload, while the job waits or runs
 * DIR/jobs/ID/files/           results of a job that the cache does not keep
 * DIR/results/KEY/             cached results: artifact.nnef.tgz, report.json, debug-bundle.tgz
 * DIR/work/ID/                 a running job's output, moved into results/ when complete
 * DIR/uploads/                 Jetty's multipart spool
 * </pre>
 */
public final class DataDir {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{16,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;

    /** Creates the layout under {@code root}. */
    public DataDir(Path root) throws IOException {
        this.root = Files.createDirectories(root).toRealPath();
        for (String d : new String[] {"jobs", "results", "work", "uploads"}) {
            Files.createDirectories(this.root.resolve(d));
        }
    }

    public Path root() {
        return root;
    }

    public Path jobs() {
        return root.resolve("jobs");
    }

    public Path uploads() {
        return root.resolve("uploads");
    }

    public Path work() {
        return root.resolve("work");
    }

    /** A new job id: 128 random bits in hex. */
    public static String newId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Whether {@code id} has the form of an id or key, so it may name a folder. */
    public static boolean isId(String id) {
        return id != null && HEX.matcher(id).matches();
    }

    public Path job(String id) {
        return root.resolve("jobs").resolve(checked(id));
    }

    public Path work(String id) {
        return root.resolve("work").resolve(checked(id));
    }

    public Path result(String key) {
        return root.resolve("results").resolve(checked(key));
    }

    /** {@code relative} (from a job record) resolved in DIR; refused when it leaves DIR. */
    public Path resolve(String relative) {
        Path p = root.resolve(relative).normalize();
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException(relative + " is outside the data folder");
        }
        return p;
    }

    public String relative(Path p) {
        return root.relativize(p).toString();
    }

    private static String checked(String id) {
        if (!isId(id)) {
            throw new IllegalArgumentException("not an id: " + id);
        }
        return id;
    }
}
