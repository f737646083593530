package org.torch2nnef.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs: a bounded queue before N workers, a time limit per job, cancellation, and the
 * content-addressed result store ({@code DIR/results/KEY}), which a job's results enter in one
 * directory rename, so a result there is always whole.
 */
final class JobService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobService.class);
    static final String OUTCOME = "outcome.json";

    private final DataDir dir;
    private final JobStore store;
    private final Metrics metrics;
    private final Duration jobTimeout;
    private final int workers;
    private final ThreadPoolExecutor pool;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "job-timer");
                        t.setDaemon(true);
                        return t;
                    });
    private final Map<String, Task> tasks = new ConcurrentHashMap<>();
    private final Object lock = new Object();

    /** Refusal of a job because the queue is full. */
    static final class QueueFullException extends Exception {
        final long retryAfterSeconds;

        QueueFullException(long retryAfterSeconds) {
            super("the queue is full");
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    JobService(
            DataDir dir,
            JobStore store,
            Metrics metrics,
            int workers,
            int queueSize,
            Duration jobTimeout) {
        this.dir = dir;
        this.store = store;
        this.metrics = metrics;
        this.workers = workers;
        this.jobTimeout = jobTimeout;
        this.pool =
                new ThreadPoolExecutor(
                        workers,
                        workers,
                        0,
                        TimeUnit.MILLISECONDS,
                        new ArrayBlockingQueue<>(queueSize),
                        r -> {
                            Thread t = new Thread(r, "job-worker");
                            t.setDaemon(true);
                            return t;
                        });
    }

    /** Leftover work folders of jobs cut off by a crash: removed at start. */
    void cleanWork() throws IOException {
        try (Stream<Path> s = Files.list(dir.work())) {
            for (Path p : s.toList()) {
                deleteTree(p);
            }
        }
    }

    /**
     * Accepts {@code job}: answered from the result store when its key is there, queued otherwise.
     *
     * @throws QueueFullException when the queue holds as many jobs as it may
     */
    JobRecord submit(JobRecord job, Work work) throws QueueFullException {
        Optional<Outcome> stored = stored(job.cacheKey());
        if (stored.isPresent()) {
            JobRecord done =
                    job.running()
                            .finished(
                                    stored.get().state(),
                                    stored.get(),
                                    dir.relative(dir.result(job.cacheKey())),
                                    true);
            store.put(done);
            metrics.cacheHits.incrementAndGet();
            metrics.finished(done);
            deleteTree(dir.job(job.id()).resolve("model"));
            return done;
        }
        Task task = new Task(job.id(), work);
        synchronized (lock) {
            store.put(job);
            tasks.put(job.id(), task);
            try {
                pool.execute(task);
            } catch (RejectedExecutionException e) {
                tasks.remove(job.id());
                deleteTree(dir.job(job.id()));
                store.forget(job.id());
                metrics.rejected.incrementAndGet();
                throw new QueueFullException(retryAfter());
            }
        }
        return job;
    }

    /** Seconds until a place in the queue is likely free: the mean job time, at least 1. */
    private long retryAfter() {
        double mean =
                store.all().stream()
                        .filter(r -> r.state().isFinal() && !r.cached())
                        .mapToDouble(JobRecord::seconds)
                        .filter(d -> !Double.isNaN(d))
                        .average()
                        .orElse(5);
        return Math.max(1, (long) Math.ceil(mean * Math.max(1, queueDepth()) / workers));
    }

    int queueDepth() {
        return pool.getQueue().size();
    }

    int running() {
        return pool.getActiveCount();
    }

    boolean queueFull() {
        return pool.getQueue().remainingCapacity() == 0;
    }

    /** 1 for the next job a worker takes; empty when {@code id} does not wait. */
    Optional<Integer> queuePosition(String id) {
        int i = 1;
        for (Runnable r : pool.getQueue().toArray(new Runnable[0])) {
            if (r instanceof Task t && t.id.equals(id)) {
                return Optional.of(i);
            }
            i++;
        }
        return Optional.empty();
    }

    /** Bytes a running export has written so far; -1 when none is being written. */
    long bytesBeingWritten(String id) {
        Path files = dir.work(id).resolve("files");
        return Files.isDirectory(files) ? ExportWork.bytesBeingWritten(files) : -1;
    }

    /**
     * Cancels {@code id}: a queued job never runs, a running one is interrupted (its torch child
     * killed) and its results dropped.
     *
     * @return the record after cancelling; empty when the job had already ended
     */
    Optional<JobRecord> cancel(String id) {
        synchronized (lock) {
            JobRecord r = store.get(id).orElseThrow();
            if (r.state().isFinal()) {
                return Optional.empty();
            }
            Task t = tasks.get(id);
            if (t != null && pool.remove(t)) {
                tasks.remove(id);
                deleteTree(dir.job(id).resolve("model"));
            } else if (t != null) {
                t.interrupt();
            }
            JobRecord c =
                    r.finished(
                            JobState.CANCELLED,
                            Outcome.failure(3, "cancelled by DELETE /v1/jobs/" + id),
                            null,
                            false);
            store.put(c);
            metrics.finished(c);
            return Optional.of(c);
        }
    }

    /** The outcome stored under {@code key}, if a job with that key completed before. */
    Optional<Outcome> stored(String key) {
        Path f = dir.result(key).resolve(OUTCOME);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readValue(f.toFile(), Outcome.class));
        } catch (IOException e) {
            LOG.warn("{}: unreadable, recomputing: {}", f, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
        timer.shutdownNow();
        try {
            pool.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One queued job. */
    private final class Task implements Runnable {
        final String id;
        final Work work;
        private volatile Thread thread;

        Task(String id, Work work) {
            this.id = id;
            this.work = work;
        }

        synchronized void interrupt() {
            if (thread != null) {
                thread.interrupt();
            }
        }

        @Override
        public void run() {
            synchronized (lock) {
                JobRecord r = store.get(id).orElseThrow();
                if (r.state().isFinal()) {
                    return; // cancelled while queued
                }
                store.put(r.running());
                synchronized (this) {
                    thread = Thread.currentThread();
                }
            }
            Path work = dir.work(id);
            ScheduledFuture<?> limit =
                    timer.schedule(this::expire, jobTimeout.toMillis(), TimeUnit.MILLISECONDS);
            Outcome outcome;
            try {
                Path files = Files.createDirectories(work.resolve("files"));
                outcome =
                        this.work.run(
                                files,
                                stage -> store.get(id).ifPresent(r -> store.note(r.at(stage))));
                finish(outcome, files);
            } catch (IOException | RuntimeException e) {
                LOG.error("job {} failed", id, e);
                end(Outcome.failure(1, "internal error: " + e), null);
            } finally {
                limit.cancel(false);
                synchronized (this) {
                    thread = null;
                }
                Thread.interrupted(); // an interrupt for this job must not reach the next one
                tasks.remove(id);
                deleteTree(work);
                deleteTree(dir.job(id).resolve("model"));
            }
        }

        /** The time limit: the job fails, and its thread is interrupted. */
        private void expire() {
            synchronized (lock) {
                JobRecord r = store.get(id).orElseThrow();
                if (r.state() == JobState.RUNNING) {
                    JobRecord f =
                            r.finished(
                                    JobState.FAILED,
                                    Outcome.failure(
                                            3,
                                            "timed out after "
                                                    + jobTimeout.toSeconds()
                                                    + " s (--job-timeout) at stage "
                                                    + r.stage().json()),
                                    null,
                                    false);
                    store.put(f);
                    metrics.finished(f);
                    interrupt();
                }
            }
        }

        /** Keeps the results: in the store when reproducible, with the job otherwise. */
        private void finish(Outcome outcome, Path files) throws IOException {
            for (String f : outcome.files()) {
                if (f.equals(Outcome.ARTIFACT)) {
                    metrics.artifactBytes.addAndGet(Files.size(files.resolve(f)));
                }
            }
            Path kept;
            JobRecord current = store.get(id).orElseThrow();
            if (current.state().isFinal()) {
                return; // cancelled or timed out meanwhile: what it made is dropped
            }
            if (outcome.reproducible()) {
                Json.MAPPER.writeValue(files.resolve(OUTCOME).toFile(), outcome);
                kept = dir.result(current.cacheKey());
            } else {
                kept = dir.job(id).resolve("files");
            }
            publish(files, kept);
            end(outcome, outcome.files().isEmpty() ? null : dir.relative(kept));
        }

        private void end(Outcome outcome, String resultDir) {
            synchronized (lock) {
                JobRecord current = store.get(id).orElseThrow();
                if (current.state().isFinal()) {
                    return;
                }
                JobRecord f = current.finished(outcome.state(), outcome, resultDir, false);
                store.put(f);
                metrics.finished(f);
            }
        }
    }

    /**
     * Moves {@code from} to {@code to} in one rename; when {@code to} exists (the same key computed
     * meanwhile by another job, with the same bytes) the one there stays.
     */
    private static void publish(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException(
                    "the data folder must be one file system (moving " + from + " to " + to + ")",
                    e);
        } catch (FileSystemException e) {
            // rename(2) onto a non-empty folder: ENOTEMPTY, which the JDK reports as a plain
            // FileSystemException; the results there are the same bytes
            if (!Files.isRegularFile(to.resolve(OUTCOME))) {
                throw e;
            }
            LOG.debug("{} exists: kept", to);
        }
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            List<Path> all = new ArrayList<>(s.toList());
            all.sort(Comparator.reverseOrder());
            for (Path q : all) {
                Files.deleteIfExists(q);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + p, e);
        }
    }
}
