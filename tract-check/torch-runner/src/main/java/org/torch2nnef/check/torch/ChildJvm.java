package org.torch2nnef.check.torch;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.torch2nnef.check.CheckLimits;
import org.torch2nnef.check.Signals;
import org.torch2nnef.check.TorchRunAbortedException;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;

/**
 * A main class of this class path run in a child JVM (this JVM's {@code java}), so that libtorch,
 * which trusts what it is handed, can crash, loop or allocate without taking this process along:
 * the torch reference run ({@link TorchReferenceProcess}) and the reference interpreter. The child
 * has a time limit and the memory caps of {@link Limits} ({@code -Xmx} for its heap, direct buffers
 * included; {@code ulimit -v} through {@code /bin/sh} for its whole address space, libtorch's
 * native memory included, where there is a {@code /bin/sh}). Its work folder is the caller's; its
 * output goes to {@code child.log} there.
 *
 * <p>A child reports a refusal with an exit code of its own and a message in {@link #ERROR}; exit
 * {@link #OUT_OF_MEMORY} is running out of memory (also the JVM's code for {@code
 * -XX:+ExitOnOutOfMemoryError}); {@link #failure} names anything else as a crash.
 */
public final class ChildJvm {
    /**
     * System property naming the class-data sharing archive this JVM maps (set by bin/torch2nnef),
     * which the child maps too.
     */
    public static final String SHARED_ARCHIVE_PROPERTY = "torch2nnef.sharedArchive";

    /** The exit code of a child out of memory. */
    public static final int OUT_OF_MEMORY = 3;

    /** The file of a child's message when it refuses its input. */
    public static final String ERROR = "error.txt";

    /** The exit status of a child whose parent is gone, as if SIGKILLed. */
    private static final int KILLED = Signals.EXIT_BASE + 9;

    private static final Path SHELL = Path.of("/bin/sh");
    private static final int LOG_TAIL_BYTES = 16 * 1024;
    private static final String LOG = "child.log";

    /** libtorch's words for a failed allocation (c10's CPU allocator, C++'s bad_alloc). */
    private static final String[] ALLOCATION_FAILURES = {"can't allocate memory", "bad_alloc"};

    private final Duration timeout;
    private final Limits limits;
    private final String what;

    /**
     * @param timeout how long the child may run ({@code --check-timeout})
     * @param limits its memory caps
     * @param what what runs, for messages: {@code the torch reference run (libtorch, in a child
     *     process)}
     */
    public ChildJvm(Duration timeout, Limits limits, String what) {
        this.timeout = timeout;
        this.limits = limits;
        this.what = what;
    }

    /** The caps. */
    public Limits limits() {
        return limits;
    }

    /**
     * Runs {@code main} with {@code args} in {@code dir}, once it has ended.
     *
     * @param subject the model, named in messages
     * @return the child's exit code
     * @throws TorchRunAbortedException when the child timed out (and was killed) or this thread was
     *     interrupted
     */
    public int run(Class<?> main, Path dir, Path subject, List<String> args) throws IOException {
        Path log = dir.resolve(LOG);
        ProcessBuilder builder =
                new ProcessBuilder(command(main, dir, args))
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
        // glibc reserves 64 MB of address space per malloc arena, several per core: without a
        // bound, a many-core machine would exhaust the address-space cap with nothing allocated
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        // OpenMP threads that spin between parallel regions take the core the other child or the
        // parent needs (a third of a check's CPU on 2 cores); passive ones sleep
        builder.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        Process child = builder.start();
        // a Ctrl-C or SIGTERM of this JVM must not leave libtorch running
        Thread reaper = new Thread(() -> kill(child));
        Runtime.getRuntime().addShutdownHook(reaper);
        try {
            if (!child.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(child);
                throw aborted(
                        subject,
                        "timed out after "
                                + timeout.toSeconds()
                                + " s (--check-timeout) and was killed",
                        dir);
            }
            return child.exitValue();
        } catch (InterruptedException e) {
            kill(child);
            Thread.currentThread().interrupt();
            throw new TorchRunAbortedException(subject + ": " + what + " was interrupted");
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
        }
    }

    /**
     * What a child that ended with {@code exit} (none of the caller's own codes) did: ran out of
     * memory, was killed by a signal, or crashed, under which caps, with its last line of output.
     */
    public TorchRunAbortedException failure(Path subject, int exit, Path dir) {
        if (exit == OUT_OF_MEMORY) {
            return aborted(subject, "ran out of memory " + caps(), dir);
        }
        if (exit > Signals.EXIT_BASE) {
            return aborted(
                    subject,
                    "crashed: killed by signal "
                            + Signals.name(exit - Signals.EXIT_BASE)
                            + " (exit "
                            + exit
                            + ") "
                            + caps(),
                    dir);
        }
        return aborted(subject, "crashed: exit " + exit + " " + caps(), dir);
    }

    /**
     * The tensors of the npz a child wrote, refused from their headers alone past {@link
     * CheckLimits#TENSOR_BYTES}.
     *
     * @param subject the model, named in messages
     * @throws IOException naming the model, the size and the limit; or the npz's own refusal
     * @throws IllegalArgumentException naming the property of a malformed limit
     */
    public TensorBundle outputs(Path npz, Path subject) throws IOException {
        long total = CheckLimits.npzBytes(npz);
        long max = CheckLimits.TENSOR_BYTES.value();
        if (total > max) {
            throw new IOException(
                    subject
                            + ": "
                            + what
                            + " gave outputs of "
                            + total
                            + " bytes, more than the "
                            + max
                            + " this process reads back ("
                            + CheckLimits.raise()
                            + ")");
        }
        return Npz.read(npz);
    }

    /** The message a refusing child left in {@code dir}, if any. */
    public static Optional<String> error(Path dir) throws IOException {
        Path error = dir.resolve(ERROR);
        return Files.isRegularFile(error)
                ? Optional.of(Files.readString(error, StandardCharsets.UTF_8))
                : Optional.empty();
    }

    /**
     * Called by a child: writes {@code message} to {@link #ERROR} in {@code dir} and exits with
     * {@code code}, or with {@link #OUT_OF_MEMORY} when the message is libtorch's failed
     * allocation.
     */
    public static void exitRefusing(Path dir, String message, int code) throws IOException {
        Files.writeString(dir.resolve(ERROR), message, StandardCharsets.UTF_8);
        System.exit(allocationFailure(message) ? OUT_OF_MEMORY : code);
    }

    /**
     * Called by a child first: it halts when its parent is gone, so that a parent killed with
     * {@code kill -9} (no shutdown hook runs) does not leave libtorch running past the time limit.
     */
    public static void dieWithParent() {
        ProcessHandle.current()
                .parent()
                .ifPresent(p -> p.onExit().thenRun(() -> Runtime.getRuntime().halt(KILLED)));
    }

    /** A fresh work folder for a child, removed with {@link #deleteTree}. */
    public static Path workFolder(Path parent, String prefix) throws IOException {
        return Files.createTempDirectory(parent, prefix);
    }

    /** Removes {@code root} and everything under it, as far as possible. */
    public static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // nothing more to do: the folder is temporary
        }
    }

    /** This JVM's java and class path on {@code main}, under the caps. */
    private List<String> command(Class<?> main, Path dir, List<String> args) {
        List<String> command = new ArrayList<>();
        Optional<Long> memory = limits.memoryBytes();
        if (memory.isPresent() && Files.isExecutable(SHELL)) {
            // exec: the capped shell becomes the JVM, so its exit status and signals are the JVM's
            command.addAll(
                    List.of(
                            SHELL.toString(),
                            "-c",
                            "ulimit -c 0; ulimit -v " + memory.get() / 1024 + " && exec \"$@\"",
                            "torch2nnef-child"));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + limits.heapBytes());
        // direct buffers (DJL's staging of tensor data) get the heap's bound: the JVM's default,
        // made explicit so that no inherited option lifts it
        command.add("-XX:MaxDirectMemorySize=" + limits.heapBytes());
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.add("-XX:-CreateCoredumpOnCrash");
        command.add("-XX:ErrorFile=" + dir.resolve("hs_err.log").toAbsolutePath());
        String archive = System.getProperty(SHARED_ARCHIVE_PROPERTY);
        if (archive != null && Files.isReadable(Path.of(archive))) {
            // the launcher's class-data sharing archive (bin/torch2nnef): the child runs on the
            // same class path and loads mostly classes the parent loaded (DJL, npz)
            command.add("-XX:SharedArchiveFile=" + archive);
            command.add("-Xlog:cds=off");
            command.add("-Xlog:class+path=off");
        }
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("ai.djl.") || k.startsWith("torch2nnef."))
                .sorted()
                .forEach(k -> command.add("-D" + k + "=" + System.getProperty(k)));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(args);
        return command;
    }

    private String caps() {
        return "under its caps: heap "
                + Limits.human(limits.heapBytes())
                + " (-D"
                + Limits.HEAP
                + "), memory "
                + limits.memoryBytes().map(Limits::human).orElse("uncapped")
                + " (-D"
                + Limits.MEMORY
                + ")";
    }

    private TorchRunAbortedException aborted(Path subject, String happened, Path dir) {
        String last = lastLine(dir.resolve(LOG));
        return new TorchRunAbortedException(
                subject
                        + ": "
                        + what
                        + " "
                        + happened
                        + (last.isEmpty() ? "" : "; it said: " + last));
    }

    private static boolean allocationFailure(String message) {
        for (String marker : ALLOCATION_FAILURES) {
            if (message.contains(marker)) {
                return true;
            }
        }
        return false;
    }

    /** The child's last non-blank line of output, from the end of its log only. */
    private static String lastLine(Path log) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(0, f.length() - LOG_TAIL_BYTES);
            byte[] tail = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(tail);
            List<String> lines =
                    new String(tail, StandardCharsets.UTF_8).lines().map(String::strip).toList();
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isEmpty()) {
                    String l = lines.get(i);
                    return l.length() > 300 ? l.substring(0, 300) + "..." : l;
                }
            }
            return "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void kill(Process child) {
        child.descendants().forEach(ProcessHandle::destroyForcibly);
        child.destroyForcibly();
        try {
            child.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
