package org.torch2nnef.check.tract;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.torch2nnef.nnef.contract.TractRelease;

/**
 * Finds tract: the explicit {@code --tract PATH} first, then the {@code TRACT_BIN} environment
 * variable, then {@code tract} on {@code PATH}; then reads its version.
 */
public final class TractLocator {
    /** Environment variable naming the tract executable. */
    public static final String ENV = "TRACT_BIN";

    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, String> env;

    /** A locator reading the process environment. */
    public TractLocator() {
        this(System.getenv());
    }

    /** A locator reading {@code env} instead of the process environment (for tests). */
    public TractLocator(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /**
     * Locates tract and reads its version.
     *
     * @param explicit the {@code --tract} option, if given; it must then be executable
     * @throws TractUnavailableException saying which places were tried
     */
    public TractBinary locate(Optional<Path> explicit) throws TractUnavailableException {
        if (explicit.isPresent()) {
            return withVersion(requireExecutable(explicit.get(), "--tract"), "--tract");
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return withVersion(requireExecutable(Path.of(fromEnv), ENV), ENV);
        }
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "tract");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return withVersion(candidate, "PATH");
            }
        }
        throw new TractUnavailableException(
                "tract not found: no --tract given, "
                        + ENV
                        + " not set, and no executable 'tract' on PATH");
    }

    /** Like {@link #locate} but empty instead of an exception when nothing is found. */
    public Optional<TractBinary> find(Optional<Path> explicit) {
        try {
            return Optional.of(locate(explicit));
        } catch (TractUnavailableException e) {
            return Optional.empty();
        }
    }

    private static Path requireExecutable(Path p, String via) throws TractUnavailableException {
        if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
            throw new TractUnavailableException(via + " " + p + " is not an executable file");
        }
        return p;
    }

    private static TractBinary withVersion(Path exe, String via) throws TractUnavailableException {
        ProcessResult r;
        try {
            r =
                    ProcessRunner.run(
                            List.of(exe.toString(), "--version"), Path.of("."), VERSION_TIMEOUT);
        } catch (IOException e) {
            throw new TractUnavailableException(
                    "cannot run " + exe + " (from " + via + "): " + e.getMessage(), e);
        }
        if (r.timedOut() || r.exitCode() != 0) {
            throw new TractUnavailableException(
                    exe
                            + " --version "
                            + (r.timedOut() ? "timed out" : "exited with " + r.exitCode())
                            + ": "
                            + r.output().trim());
        }
        try {
            return new TractBinary(exe, TractRelease.fromVersionOutput(r.output()), via);
        } catch (IllegalArgumentException e) {
            throw new TractUnavailableException(exe + " (from " + via + "): " + e.getMessage(), e);
        }
    }
}
