package org.torch2nnef.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The address-space cap ({@code ulimit -v}) of a child process that runs an untrusted model, read
 * from a system property: a size (bytes, or a number with {@code k}, {@code m}, {@code g} or {@code
 * t}), {@code none} for no cap, or by default three quarters of this machine's memory but at least
 * {@value #MIN_DEFAULT}. One implementation for every child: libtorch's JVM and tract.
 */
public final class MemoryCap {
    /** The smallest default cap. */
    public static final String MIN_DEFAULT = "8g";

    /** The shell that applies the cap; where there is none, children run uncapped. */
    private static final Path SHELL = Path.of("/bin/sh");

    private MemoryCap() {}

    /**
     * The cap {@code property} sets: empty for {@code none}.
     *
     * @throws IllegalArgumentException naming the property for a value that is not a size
     */
    public static Optional<Long> fromProperty(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            long quarterLess = machineMemory().map(m -> m / 4 * 3).orElse(0L);
            return Optional.of(Math.max(quarterLess, size(property, MIN_DEFAULT)));
        }
        if (value.trim().equalsIgnoreCase("none")) {
            return Optional.empty();
        }
        return Optional.of(size(property, value));
    }

    /**
     * The bytes {@code value} (of {@code property}, named in the refusal) says.
     *
     * @throws IllegalArgumentException naming the property for a value that is not a size
     */
    public static long size(String property, String value) {
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

    /** {@code bytes} as the user would write it, e.g. {@code 4g}. */
    public static String human(long bytes) {
        String[] units = {"t", "g", "m", "k"};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << (10 * (units.length - i));
            if (bytes >= unit && bytes % unit == 0) {
                return bytes / unit + units[i];
            }
        }
        return bytes + " bytes";
    }

    /**
     * What to put before a command so that it runs under {@code cap}: {@code /bin/sh -c 'ulimit -c
     * 0; ulimit -v KB && exec "$@"' NAME}, the command's arguments following. The shell {@code
     * exec}s the command, so its exit status and signals are the command's, and a kill of the
     * process kills the command. Empty without a cap, or where there is no {@code /bin/sh}.
     *
     * @param name the shell's {@code $0}, naming the child in process lists
     */
    public static List<String> shellPrefix(Optional<Long> cap, String name) {
        if (cap.isEmpty() || !Files.isExecutable(SHELL)) {
            return List.of();
        }
        // no core files either: a capped child that crashes has nothing to keep
        return List.of(
                SHELL.toString(),
                "-c",
                "ulimit -c 0; ulimit -v " + cap.get() / 1024 + " && exec \"$@\"",
                name);
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
