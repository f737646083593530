package org.torch2nnef.check.torch;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.torch2nnef.check.CheckLimits;
import org.torch2nnef.check.MemoryCap;
import org.torch2nnef.check.Signals;
import org.torch2nnef.check.TemporaryTrees;
import org.torch2nnef.check.TorchProcess;
import org.torch2nnef.check.TorchRunAbortedException;
import org.torch2nnef.check.TorchRunner;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;
import org.torch2nnef.nnef.io.ScratchNames;
import org.torch2nnef.nnef.io.ShutdownCleanup;

/**
 * A child JVM (this JVM's {@code java}, main class {@link LibtorchChild}) that loads libtorch as
 * soon as it starts and runs {@link ChildTask}s for this process, so that libtorch, which trusts
 * what it is handed, can crash, loop or allocate without taking this process along: the torch
 * reference run ({@link TorchReferenceProcess}) and the reference interpreter, which a check runs
 * in the same child so that libtorch loads once. The child has a time limit per task and the memory
 * caps of {@link Limits} ({@code -Xmx} for its heap, direct buffers included; {@code ulimit -v}
 * through {@code /bin/sh} for its whole address space, libtorch's native memory included, where
 * there is a {@code /bin/sh}). It lives in a folder of its own, removed by {@link #close}, where
 * its output goes to {@code child.log} and its tasks' folders go.
 *
 * <p>Tasks are sent on the child's standard input and answered on its standard output by a line
 * {@value #DONE} ID CODE (other lines there go to the log). A task refuses its input with a code of
 * its own and a message in {@link #ERROR}; code {@link #OUT_OF_MEMORY} is running out of memory
 * (also the JVM's exit code for {@code -XX:+ExitOnOutOfMemoryError}). A child that ends with tasks
 * unanswered answers them with its exit code; {@link #failure} names anything else as a crash.
 */
public final class ChildJvm implements AutoCloseable {
    /**
     * System property naming the class-data sharing archive this JVM maps (set by bin/torch2nnef),
     * which the child maps too.
     */
    public static final String SHARED_ARCHIVE_PROPERTY = "torch2nnef.sharedArchive";

    /** The exit code of a child out of memory. */
    public static final int OUT_OF_MEMORY = 3;

    /** The file of a task's message when it refuses its input. */
    public static final String ERROR = "error.txt";

    /** The start of the child's line answering a task. */
    static final String DONE = "torch2nnef-child: done";

    /** The exit status of a child whose parent is gone, as if SIGKILLed. */
    private static final int KILLED = Signals.EXIT_BASE + 9;

    private static final int LOG_TAIL_BYTES = 16 * 1024;
    private static final String LOG = "child.log";

    /** libtorch's words for a failed allocation (c10's CPU allocator, C++'s bad_alloc). */
    private static final String[] ALLOCATION_FAILURES = {"can't allocate memory", "bad_alloc"};

    private final Duration timeout;
    private final Limits limits;
    private final Path folder;
    private final Process process;
    private final Thread reaper;
    private final DataOutputStream requests;
    private final Map<Integer, CompletableFuture<Integer>> pending = new ConcurrentHashMap<>();
    private final Map<Integer, String> running = new ConcurrentHashMap<>();

    /** Why this process killed the child (a task over its time limit); null before. */
    private volatile String killedBecause;

    /** What the child was running when it ended, for messages; empty before. */
    private volatile List<String> runningAtEnd = List.of();

    private final AtomicInteger ids = new AtomicInteger();

    /** The child's exit code once it has ended and its output was read to the end; else null. */
    private volatile Integer exited;

    private ChildJvm(Duration timeout, Limits limits, Path folder) throws IOException {
        this.timeout = timeout;
        this.limits = limits;
        this.folder = folder;
        Path log = folder.resolve(LOG);
        Files.createFile(log);
        ProcessBuilder builder =
                new ProcessBuilder(command(folder))
                        .directory(folder.toFile())
                        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // glibc reserves 64 MB of address space per malloc arena, several per core: without a
        // bound, a many-core machine would exhaust the address-space cap with nothing allocated
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        // OpenMP threads that spin between parallel regions take the core the other task or the
        // parent needs (a third of a check's CPU on 2 cores); passive ones sleep
        builder.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        process = builder.start();
        // a Ctrl-C or SIGTERM of this JVM must not leave libtorch running
        reaper = new Thread(() -> kill(process));
        Runtime.getRuntime().addShutdownHook(reaper);
        requests = new DataOutputStream(new BufferedOutputStream(process.getOutputStream()));
        Thread answers = new Thread(() -> readAnswers(log), "torch2nnef-child-answers");
        answers.setDaemon(true);
        answers.start();
    }

    /**
     * Starts a child in a fresh folder under {@code parent} whose name starts with {@code prefix}
     * (with this host and PID: what a killed process left is removed by a later one).
     *
     * @param timeout how long each task may run ({@code --check-timeout})
     * @param limits its memory caps
     */
    public static ChildJvm start(Duration timeout, Limits limits, Path parent, String prefix)
            throws IOException {
        ScratchNames.removeStale(parent, prefix);
        Path folder = Files.createTempDirectory(parent, ScratchNames.fresh(prefix));
        ShutdownCleanup.register(folder);
        try {
            return new ChildJvm(timeout, limits, folder);
        } catch (IOException | RuntimeException e) {
            deleteTree(folder);
            ShutdownCleanup.forget(folder);
            throw e;
        }
    }

    /**
     * The child of a check's {@link TorchProcess} ({@link TorchRunner#startChildProcess}) when it
     * is one of these, for a checker's task to run in beside torch's.
     */
    public static Optional<ChildJvm> of(TorchProcess process) {
        return ChildProcessTorchRunner.childOf(process);
    }

    /** The caps. */
    public Limits limits() {
        return limits;
    }

    /** How long each task may run. */
    public Duration timeout() {
        return timeout;
    }

    /** A fresh folder for a task's files, removed with the child's. */
    public Path taskFolder(String prefix) throws IOException {
        return Files.createTempDirectory(folder, prefix);
    }

    /**
     * Runs {@code task} with {@code args} in {@code dir} (a {@link #taskFolder}), once it has
     * ended.
     *
     * @param what what runs, for messages: {@code the torch reference run (libtorch, in a child
     *     process)}
     * @param subject the model, named in messages
     * @return the task's code, or the child's exit code when it ended before answering
     * @throws TorchRunAbortedException when the task timed out (and the child was killed) or this
     *     thread was interrupted
     */
    public int run(
            String what, Class<? extends ChildTask> task, Path dir, Path subject, List<String> args)
            throws IOException {
        CompletableFuture<Integer> answer = submit(what, task, dir, args);
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            killedBecause = what + " timed out";
            kill(process);
            throw aborted(
                    what,
                    subject,
                    "timed out after "
                            + timeout.toSeconds()
                            + " s (--check-timeout) and was killed");
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new TorchRunAbortedException(subject + ": " + what + " was interrupted");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause()); // answers are never exceptional
        }
    }

    /** Ends the child (killed: it holds nothing to save) and removes its folder. */
    @Override
    public void close() {
        try {
            requests.close();
        } catch (IOException e) {
            // the child is gone already
        }
        kill(process);
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running already
        }
        deleteTree(folder);
        ShutdownCleanup.forget(folder);
    }

    private CompletableFuture<Integer> submit(
            String what, Class<? extends ChildTask> task, Path dir, List<String> args) {
        int id = ids.incrementAndGet();
        CompletableFuture<Integer> answer = new CompletableFuture<>();
        running.put(id, what);
        answer.whenComplete((code, e) -> running.remove(id));
        pending.put(id, answer);
        try {
            synchronized (requests) {
                requests.writeInt(id);
                requests.writeUTF(task.getName());
                requests.writeUTF(dir.toAbsolutePath().toString());
                requests.writeInt(args.size());
                for (String a : args) {
                    requests.writeUTF(a);
                }
                requests.flush();
            }
        } catch (IOException e) {
            // the child is gone: its exit code answers, once its output has been read
        }
        Integer code = exited;
        if (code != null) {
            answer.complete(code);
        }
        return answer;
    }

    /** Completes the pending tasks from the child's answers; its other output goes to the log. */
    private void readAnswers(Path log) {
        try (BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(DONE + " ")) {
                    String[] f = line.substring(DONE.length() + 1).split(" ");
                    CompletableFuture<Integer> answer = pending.remove(Integer.parseInt(f[0]));
                    if (answer != null) {
                        answer.complete(Integer.parseInt(f[1]));
                    }
                } else {
                    Files.writeString(
                            log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the child's output is gone: what it did not answer, its exit code answers
        }
        int code;
        try {
            code = process.waitFor();
        } catch (InterruptedException e) {
            code = KILLED;
        }
        runningAtEnd = List.copyOf(running.values());
        exited = code;
        pending.values().forEach(a -> a.complete(exited));
    }

    /**
     * What a task that ended with {@code exit} (none of its own codes) did: ran out of memory, was
     * killed by a signal, or crashed, under which caps, with its last line of output.
     */
    public TorchRunAbortedException failure(String what, Path subject, int exit) {
        String killer = killedBecause;
        if (killer != null && !killer.startsWith(what)) {
            return aborted(
                    what,
                    subject,
                    "did not finish: " + killer + " and the child process was killed");
        }
        if (exit == OUT_OF_MEMORY) {
            return aborted(what, subject, "ran out of memory " + caps());
        }
        if (exit > Signals.EXIT_BASE) {
            return aborted(
                    what,
                    subject,
                    "crashed: killed by signal "
                            + Signals.name(exit - Signals.EXIT_BASE)
                            + " (exit "
                            + exit
                            + ") "
                            + caps());
        }
        return aborted(what, subject, "crashed: exit " + exit + " " + caps());
    }

    /**
     * The tensors of the npz a task wrote, refused from their headers alone past {@link
     * CheckLimits#TENSOR_BYTES}.
     *
     * @param subject the model, named in messages
     * @throws IOException naming the model, the size and the limit; or the npz's own refusal
     * @throws IllegalArgumentException naming the property of a malformed limit
     */
    public static TensorBundle outputs(String what, Path npz, Path subject) throws IOException {
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

    /** The message a refusing task left in {@code dir}, if any. */
    public static Optional<String> error(Path dir) throws IOException {
        Path error = dir.resolve(ERROR);
        return Files.isRegularFile(error)
                ? Optional.of(Files.readString(error, StandardCharsets.UTF_8))
                : Optional.empty();
    }

    /**
     * Called by a task: writes {@code message} to {@link #ERROR} in {@code dir} and returns {@code
     * code}, or {@link #OUT_OF_MEMORY} when the message is libtorch's failed allocation.
     */
    public static int refusing(Path dir, String message, int code) throws IOException {
        Files.writeString(dir.resolve(ERROR), message, StandardCharsets.UTF_8);
        return allocationFailure(message) ? OUT_OF_MEMORY : code;
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

    /**
     * Removes {@code root} and everything under it, as far as possible ({@link TemporaryTrees}).
     */
    public static void deleteTree(Path root) {
        TemporaryTrees.delete(root);
    }

    /** This JVM's java and class path on {@link LibtorchChild}, under the caps. */
    private List<String> command(Path dir) {
        // exec: the capped shell becomes the JVM, so its exit status and signals are the JVM's
        List<String> command =
                new ArrayList<>(MemoryCap.shellPrefix(limits.memoryBytes(), "torch2nnef-child"));
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + limits.heapBytes());
        // direct buffers (DJL's staging of tensor data) get the heap's bound: the JVM's default,
        // made explicit so that no inherited option lifts it
        command.add("-XX:MaxDirectMemorySize=" + limits.heapBytes());
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.add("-XX:-CreateCoredumpOnCrash");
        command.add("-XX:ErrorFile=" + dir.resolve("hs_err.log").toAbsolutePath());
        // the child's Java work is short next to libtorch's: C2's compilations took more CPU
        // than they saved (resnet18's check 7% more, a 4000-op graph's 13% more)
        command.add("-XX:TieredStopAtLevel=1");
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
        command.add(LibtorchChild.class.getName());
        return command;
    }

    private String caps() {
        return "under its caps: heap "
                + MemoryCap.human(limits.heapBytes())
                + " (-D"
                + Limits.HEAP
                + "), memory "
                + limits.memoryBytes().map(MemoryCap::human).orElse("uncapped")
                + " (-D"
                + Limits.MEMORY
                + ")";
    }

    private TorchRunAbortedException aborted(String what, Path subject, String happened) {
        String last = lastLine(folder.resolve(LOG));
        List<String> others = new ArrayList<>(runningAtEnd);
        others.remove(what);
        return new TorchRunAbortedException(
                subject
                        + ": "
                        + what
                        + " "
                        + happened
                        + (others.isEmpty()
                                ? ""
                                : " (the child process was also running "
                                        + String.join(" and ", others)
                                        + ")")
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
