package org.torch2nnef.check.torch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The caps of the child process that runs libtorch on an untrusted model, read from system
 * properties (set them with {@code TORCH2NNEF_JAVA_OPTS}):
 *
 * <ul>
 *   <li>{@code torch2nnef.limit.torchHeap}: the child's Java heap ({@code -Xmx}), default {@value
 *       #DEFAULT_HEAP}; it holds the inputs and outputs.
 *   <li>{@code torch2nnef.limit.torchMemory}: the child's whole address space (heap, libtorch, the
 *       model; {@code ulimit -v}), default three quarters of this machine's memory but at least
 *       {@value #MIN_DEFAULT_MEMORY}; {@code none} turns the cap off.
 * </ul>
 *
 * <p>Sizes are bytes or a number with {@code k}, {@code m}, {@code g} or {@code t}.
 */
public record Limits(long heapBytes, Optional<Long> memoryBytes) {
    /** The property of the child's Java heap. */
    public static final String HEAP = "torch2nnef.limit.torchHeap";

    /** The property of the child's address-space cap. */
    public static final String MEMORY = "torch2nnef.limit.torchMemory";

    static final String DEFAULT_HEAP = "4g";
    static final String MIN_DEFAULT_MEMORY = "8g";

    /**
     * The limits the system properties set.
     *
     * @throws IllegalArgumentException naming the property for a value that is not a size
     */
    public static Limits fromSystemProperties() {
        long heap = size(HEAP, System.getProperty(HEAP, DEFAULT_HEAP));
        String memory = System.getProperty(MEMORY);
        if (memory == null) {
            long quarterLess = machineMemory().map(m -> m / 4 * 3).orElse(0L);
            return new Limits(
                    heap, Optional.of(Math.max(quarterLess, size(MEMORY, MIN_DEFAULT_MEMORY))));
        }
        if (memory.trim().equalsIgnoreCase("none")) {
            return new Limits(heap, Optional.empty());
        }
        return new Limits(heap, Optional.of(size(MEMORY, memory)));
    }

    /** {@code bytes} as the user would write it, e.g. {@code 4g}. */
    static String human(long bytes) {
        String[] units = {"t", "g", "m", "k"};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << (10 * (units.length - i));
            if (bytes >= unit && bytes % unit == 0) {
                return bytes / unit + units[i];
            }
        }
        return bytes + " bytes";
    }

    private static long size(String property, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        int shift =
                switch (v.isEmpty() ? ' ' : v.charAt(v.length() - 1)) {
                    case 'k' -> 10;
                    case 'm' -> 20;
                    case 'g' -> 30;
                    case 't' -> 40;
                    default -> 0;
                };
        String digits = shift == 0 ? v : v.substring(0, v.length() - 1);
        try {
            long n = Long.parseLong(digits);
            if (n <= 0 || n > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "-D"
                            + property
                            + "="
                            + value
                            + ": not a size (bytes, or a number with k, m, g or t)");
        }
    }

    /** MemTotal of /proc/meminfo, where there is one. */
    private static Optional<Long> machineMemory() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream()
                    .filter(l -> l.startsWith("MemTotal:"))
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024)
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
