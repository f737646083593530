package org.torch2nnef.check.torch;

import ai.djl.engine.Engine;
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
import org.torch2nnef.check.Signals;
import org.torch2nnef.check.TorchRunAbortedException;
import org.torch2nnef.check.TorchRunner;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;

/**
 * Runs {@link TorchReference} in a child JVM ({@link TorchReferenceProcess}, started with this
 * JVM's {@code java} and class path) so that libtorch, which trusts the model it loads, can crash,
 * loop or allocate without taking this process along. The child has a time limit and a memory cap
 * ({@link Limits}: {@code -Xmx} for its heap, {@code ulimit -v} through {@code /bin/sh} for
 * everything, where there is a {@code /bin/sh}); tensors travel as {@code .npz} files in a
 * temporary directory that is deleted whatever happens.
 */
final class ChildProcessTorchRunner implements TorchRunner {
    private static final Path SHELL = Path.of("/bin/sh");
    private static final int LOG_TAIL_BYTES = 16 * 1024;

    /**
     * System property naming the class-data sharing archive this JVM maps (set by bin/torch2nnef),
     * which the child maps too.
     */
    static final String SHARED_ARCHIVE_PROPERTY = "torch2nnef.sharedArchive";

    private final Duration timeout;
    private final Limits limits;

    ChildProcessTorchRunner(Duration timeout, Limits limits) {
        this.timeout = timeout;
        this.limits = limits;
    }

    @Override
    public TorchReferenceResult run(TorchReferenceRequest request) throws IOException {
        Path model = request.model();
        if (!Files.isRegularFile(model)) {
            throw new IOException(model + ": TorchScript file not found");
        }
        // the parent's PID in the name: what one process leaves is told apart from another's
        Path dir =
                Files.createTempDirectory(
                        "torch2nnef-torch-" + ProcessHandle.current().pid() + "-");
        try {
            TensorBundle inputs = new TensorBundle("inputs of " + model);
            request.inputs().forEach(inputs::add);
            Npz.write(inputs, dir.resolve(TorchReferenceProcess.INPUTS));
            Files.write(dir.resolve(TorchReferenceProcess.OUTPUT_NAMES), request.outputNames());
            int exit = runChild(model, dir);
            return result(request, dir, exit);
        } finally {
            deleteTree(dir);
        }
    }

    @Override
    public String djlVersion() {
        return Engine.getDjlVersion();
    }

    @Override
    public TorchRunner inChildProcess(Duration newTimeout) {
        return new ChildProcessTorchRunner(newTimeout, limits);
    }

    /** The child's exit code, once it has ended. */
    private int runChild(Path model, Path dir) throws IOException {
        Path log = dir.resolve("child.log");
        ProcessBuilder builder =
                new ProcessBuilder(command(model, dir))
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
        // glibc reserves 64 MB of address space per malloc arena, several per core: without a
        // bound, a many-core machine would exhaust the address-space cap with nothing allocated
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        // OpenMP threads that spin between parallel regions take the core the parent's reference
        // interpreter needs (a third of a check's CPU on 2 cores); passive ones sleep
        builder.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        Process child = builder.start();
        // a Ctrl-C or SIGTERM of this JVM must not leave libtorch running
        Thread reaper = new Thread(() -> kill(child));
        Runtime.getRuntime().addShutdownHook(reaper);
        try {
            if (!child.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(child);
                throw aborted(
                        model,
                        "timed out after "
                                + timeout.toSeconds()
                                + " s (--check-timeout) and was killed",
                        log);
            }
            return child.exitValue();
        } catch (InterruptedException e) {
            kill(child);
            Thread.currentThread().interrupt();
            throw new TorchRunAbortedException(model + ": the torch reference run was interrupted");
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
        }
    }

    /** This JVM's java and class path on {@link TorchReferenceProcess}, under the caps. */
    private List<String> command(Path model, Path dir) {
        List<String> command = new ArrayList<>();
        Optional<Long> memory = limits.memoryBytes();
        if (memory.isPresent() && Files.isExecutable(SHELL)) {
            // exec: the capped shell becomes the JVM, so its exit status and signals are the JVM's
            command.addAll(
                    List.of(
                            SHELL.toString(),
                            "-c",
                            "ulimit -c 0; ulimit -v " + memory.get() / 1024 + " && exec \"$@\"",
                            "torch2nnef-torch"));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + limits.heapBytes());
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
        command.add(TorchReferenceProcess.class.getName());
        command.add(model.toAbsolutePath().toString());
        command.add(dir.toAbsolutePath().toString());
        return command;
    }

    private TorchReferenceResult result(TorchReferenceRequest request, Path dir, int exit)
            throws IOException {
        Path model = request.model();
        Path log = dir.resolve("child.log");
        Path error = dir.resolve(TorchReferenceProcess.ERROR);
        if (exit == 0) {
            TensorBundle io = new TensorBundle("torch reference of " + model);
            request.inputs().forEach(io::add);
            List<HostTensor> outputs =
                    List.copyOf(Npz.read(dir.resolve(TorchReferenceProcess.OUTPUTS)).tensors());
            outputs.forEach(io::add);
            String version = Files.readString(dir.resolve(TorchReferenceProcess.VERSION)).trim();
            return new TorchReferenceResult(io, outputs, version);
        }
        if (exit == TorchReferenceProcess.REFUSED && Files.isRegularFile(error)) {
            throw new IOException(Files.readString(error, StandardCharsets.UTF_8));
        }
        if (exit == TorchReferenceProcess.OUT_OF_MEMORY) {
            throw aborted(model, "ran out of memory " + caps(), log);
        }
        if (exit > Signals.EXIT_BASE) {
            throw aborted(
                    model,
                    "crashed: killed by signal "
                            + Signals.name(exit - Signals.EXIT_BASE)
                            + " (exit "
                            + exit
                            + ") "
                            + caps(),
                    log);
        }
        throw aborted(model, "crashed: exit " + exit + " " + caps(), log);
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

    private static TorchRunAbortedException aborted(Path model, String what, Path log) {
        String last = lastLine(log);
        return new TorchRunAbortedException(
                model
                        + ": the torch reference run (libtorch, in a child process) "
                        + what
                        + (last.isEmpty() ? "" : "; it said: " + last));
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

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // nothing more to do: the directory is in the system's temporary folder
        }
    }
}
