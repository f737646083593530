package org.torch2nnef.check.tract;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.torch2nnef.check.MemoryCap;

/**
 * The address-space cap ({@code ulimit -v}) every tract process of a check runs under, so that a
 * hostile or huge model fails tract's allocations instead of taking the machine's memory: the
 * system property {@value #PROPERTY} ({@link MemoryCap}: a size, {@code none}, or by default three
 * quarters of the machine's memory but at least {@value MemoryCap#MIN_DEFAULT}).
 *
 * @param bytes the cap; empty for none
 */
public record TractMemoryCap(Optional<Long> bytes) {
    /** The property of tract's address-space cap. */
    public static final String PROPERTY = "torch2nnef.limit.tractMemory";

    /** No cap. */
    public static final TractMemoryCap NONE = new TractMemoryCap(Optional.empty());

    /**
     * What tract prints as it dies for want of memory: Rust's failed allocation (then SIGABRT), a
     * panic or error of a fallible one, the loader unable to map a library.
     */
    static final List<String> ALLOCATION_FAILURES =
            List.of(
                    "memory allocation of",
                    "failed to allocate",
                    "out of memory",
                    "Cannot allocate memory",
                    "failed to map segment");

    /**
     * glibc reserves 64 MB of address space per malloc arena, several per core: without a bound a
     * many-core machine would exhaust the cap with nothing allocated (as for libtorch's child).
     */
    private static final Map<String, String> ENV = Map.of("MALLOC_ARENA_MAX", "2");

    /**
     * The cap the system property sets.
     *
     * @throws IllegalArgumentException naming the property for a value that is not a size
     */
    public static TractMemoryCap fromSystemProperties() {
        return new TractMemoryCap(MemoryCap.fromProperty(PROPERTY));
    }

    /** {@code command} (tract and its arguments) as run under the cap. */
    public List<String> command(List<String> command) {
        List<String> capped = new ArrayList<>(MemoryCap.shellPrefix(bytes, "torch2nnef-tract"));
        capped.addAll(command);
        return capped;
    }

    /**
     * Runs {@code command} (tract and its arguments) under the cap in {@code workDir}; on timeout,
     * or soon after it printed a failed allocation, kills it and its descendants.
     *
     * @throws IOException when it cannot be started
     */
    public ProcessResult run(List<String> command, Path workDir, Duration timeout)
            throws IOException {
        return ProcessRunner.run(
                command(command),
                workDir,
                timeout,
                bytes.isPresent() ? ENV : Map.of(),
                ALLOCATION_FAILURES);
    }

    /** The cap as the user would write it ({@code 16m}); empty for none. */
    public Optional<String> human() {
        return bytes.map(MemoryCap::human);
    }

    /** How to change the cap, for messages. */
    public static String raise() {
        return "raise the cap with -D"
                + PROPERTY
                + "=SIZE through TORCH2NNEF_JAVA_OPTS (=none lifts it)";
    }
}
