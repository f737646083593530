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
import java.util.concurrent.TimeUnit;

/** Runs a command with a timeout, capturing its merged output. */
public final class ProcessRunner {
    private ProcessRunner() {}

    /**
     * Runs {@code command} in {@code workDir}; on timeout kills it and its descendants.
     *
     * @throws IOException when the program cannot be started
     */
    public static ProcessResult run(List<String> command, Path workDir, Duration timeout)
            throws IOException {
        Process p =
                new ProcessBuilder(command)
                        .directory(workDir.toFile())
                        .redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .start();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        // Drain in a thread so a chatty child never blocks on a full pipe while we wait.
        Thread drain =
                new Thread(() -> copy(p.getInputStream(), captured), "drain " + command.get(0));
        drain.setDaemon(true);
        drain.start();
        boolean finished;
        try {
            finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
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

    private static void copy(InputStream in, ByteArrayOutputStream sink) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (sink) {
                    sink.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            // The pipe closes when a killed child dies; what was read so far is kept.
            if (!"Stream closed".equals(e.getMessage())) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
