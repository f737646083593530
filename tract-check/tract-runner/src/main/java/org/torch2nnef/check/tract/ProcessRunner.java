package org.torch2nnef.check.tract;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Runs a command with a timeout, capturing its merged output. */
public final class ProcessRunner {
    /** How long a process that printed a fatal line may take to end by itself. */
    static final Duration FATAL_GRACE = Duration.ofSeconds(2);

    private ProcessRunner() {}

    /**
     * Runs {@code command} in {@code workDir}; on timeout kills it and its descendants.
     *
     * @throws IOException when the program cannot be started
     */
    public static ProcessResult run(List<String> command, Path workDir, Duration timeout)
            throws IOException {
        return run(command, workDir, timeout, Map.of(), List.of());
    }

    /**
     * As {@link #run(List, Path, Duration)}, with {@code env} added to the inherited environment;
     * once the output shows one of {@code fatal} (what a process prints as it dies, e.g. a failed
     * allocation) it gets {@link #FATAL_GRACE} to end before it is killed with its descendants: one
     * dying under a memory cap can hang (tract capturing a backtrace with no memory left).
     *
     * @throws IOException when the program cannot be started
     */
    public static ProcessResult run(
            List<String> command,
            Path workDir,
            Duration timeout,
            Map<String, String> env,
            List<String> fatal)
            throws IOException {
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .directory(workDir.toFile())
                        .redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(env);
        Process p = builder.start();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        // counted down when the output ends or shows a fatal line
        CountDownLatch watch = new CountDownLatch(1);
        AtomicBoolean dying = new AtomicBoolean();
        // Drain in a thread so a chatty child never blocks on a full pipe while we wait.
        Thread drain =
                new Thread(
                        () -> copy(p.getInputStream(), captured, fatal, dying, watch),
                        "drain " + command.get(0));
        drain.setDaemon(true);
        drain.start();
        boolean finished;
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            if (watch.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && dying.get()) {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!p.waitFor(Math.min(left, FATAL_GRACE.toNanos()), TimeUnit.NANOSECONDS)) {
                    kill(p);
                }
            }
            finished = p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (!finished) {
                kill(p);
            }
            drain.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        }
        String out;
        synchronized (captured) {
            out = captured.toString(StandardCharsets.UTF_8);
        }
        return new ProcessResult(finished ? p.exitValue() : -1, out, !finished);
    }

    private static void kill(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    private static void copy(
            InputStream in,
            ByteArrayOutputStream sink,
            List<String> fatal,
            AtomicBoolean dying,
            CountDownLatch watch) {
        int longest = fatal.stream().mapToInt(String::length).max().orElse(0);
        String tail = "";
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (sink) {
                    sink.write(buf, 0, n);
                }
                if (longest > 0 && !dying.get()) {
                    // the markers are ASCII: a chunk split inside a character still shows them
                    String text = tail + new String(buf, 0, n, StandardCharsets.UTF_8);
                    if (fatal.stream().anyMatch(text::contains)) {
                        dying.set(true);
                        watch.countDown();
                    }
                    tail = text.substring(Math.max(0, text.length() - longest));
                }
            }
        } catch (IOException e) {
            // The pipe closes when a killed child dies; what was read so far is kept.
            if (!"Stream closed".equals(e.getMessage())) {
                throw new UncheckedIOException(e);
            }
        } finally {
            watch.countDown();
        }
    }
}
