package org.torch2nnef.check.nneftools;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds Khronos' {@code nnef-infer} as {@code TractLocator} finds tract: the explicit {@code
 * --nnef-infer PATH} first, then the {@code NNEF_INFER_BIN} environment variable, then {@code
 * nnef-infer} on {@code PATH}. nnef-infer has no version option, so none is read.
 */
public final class NnefInferLocator {
    /** Environment variable naming the nnef-infer executable. */
    public static final String ENV = "NNEF_INFER_BIN";

    /** The executable's name on PATH. */
    public static final String NAME = "nnef-infer";

    private final Map<String, String> env;

    /** A locator reading the process environment. */
    public NnefInferLocator() {
        this(System.getenv());
    }

    /** A locator reading {@code env} instead of the process environment (for tests). */
    public NnefInferLocator(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** A located nnef-infer and how it was found ({@code --nnef-infer}, the variable, PATH). */
    public record Found(Path path, String via) {}

    /**
     * Locates nnef-infer.
     *
     * @param explicit the {@code --nnef-infer} option, if given; it must then be executable
     * @throws IllegalStateException saying which places were tried
     */
    public Found locate(Optional<Path> explicit) {
        if (explicit.isPresent()) {
            return new Found(requireExecutable(explicit.get(), "--nnef-infer"), "--nnef-infer");
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new Found(requireExecutable(Path.of(fromEnv), ENV), ENV);
        }
        for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, NAME);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return new Found(candidate, "PATH");
            }
        }
        throw new IllegalStateException(
                NAME
                        + " not found: no --nnef-infer given, "
                        + ENV
                        + " not set, and no executable '"
                        + NAME
                        + "' on PATH");
    }

    /** Like {@link #locate} but empty instead of an exception when nothing is found. */
    public Optional<Found> find(Optional<Path> explicit) {
        try {
            return Optional.of(locate(explicit));
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
    }

    private static Path requireExecutable(Path p, String via) {
        if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
            throw new IllegalStateException(via + " " + p + " is not an executable file");
        }
        return p;
    }
}
