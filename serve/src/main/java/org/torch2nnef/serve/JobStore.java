package org.torch2nnef.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every job's record, in memory and on disk: each change is written to a temporary file and moved
 * over {@code job.json} in one rename, so a crash leaves the old record or the new one, never half
 * of one. On start the records are read back; jobs that were queued or running then were cut off by
 * the crash and are recorded as failed, saying so.
 */
final class JobStore {
    private static final Logger LOG = LoggerFactory.getLogger(JobStore.class);
    static final String RECORD = "job.json";
    static final String INTERRUPTED =
            "interrupted: the server stopped while this job was in flight; submit it again";

    private final DataDir dir;
    private final Map<String, JobRecord> jobs = new ConcurrentHashMap<>();

    JobStore(DataDir dir) {
        this.dir = dir;
    }

    /** Reads the records under DIR/jobs; jobs in flight at the last stop become failed. */
    int recover() throws IOException {
        int interrupted = 0;
        try (DirectoryStream<Path> ids = Files.newDirectoryStream(dir.jobs())) {
            for (Path d : ids) {
                Path f = d.resolve(RECORD);
                if (!DataDir.isId(d.getFileName().toString()) || !Files.isRegularFile(f)) {
                    continue;
                }
                JobRecord r;
                try {
                    r = Json.MAPPER.readValue(f.toFile(), JobRecord.class);
                } catch (IOException e) {
                    LOG.warn("{}: unreadable job record, skipped: {}", f, e.getMessage());
                    continue;
                }
                if (!r.state().isFinal()) {
                    r = r.finished(JobState.FAILED, Outcome.failure(3, INTERRUPTED), null, false);
                    write(r);
                    interrupted++;
                }
                jobs.put(r.id(), r);
            }
        }
        return interrupted;
    }

    Optional<JobRecord> get(String id) {
        return Optional.ofNullable(DataDir.isId(id) ? jobs.get(id) : null);
    }

    Collection<JobRecord> all() {
        return jobs.values();
    }

    /** Records {@code r} in memory and on disk. */
    void put(JobRecord r) {
        jobs.put(r.id(), r);
        try {
            write(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the record of job " + r.id(), e);
        }
    }

    /** Drops a job that was never accepted (its folder is removed by the caller). */
    void forget(String id) {
        jobs.remove(id);
    }

    /** Changes the record in memory only (stage changes: cheap, and lost harmlessly). */
    void note(JobRecord r) {
        jobs.put(r.id(), r);
    }

    private void write(JobRecord r) throws IOException {
        Path d = Files.createDirectories(dir.job(r.id()));
        Path tmp = Files.createTempFile(d, ".job-", ".tmp");
        try {
            Json.MAPPER.writeValue(tmp.toFile(), r);
            try {
                Files.move(
                        tmp,
                        d.resolve(RECORD),
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, d.resolve(RECORD), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
