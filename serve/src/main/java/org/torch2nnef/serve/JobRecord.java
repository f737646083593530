package org.torch2nnef.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * What is known of one job, persisted as {@code DIR/jobs/ID/job.json} on every change of state.
 *
 * @param id the job's id (hex, from {@link JobIds})
 * @param kind {@code export} or {@code check}
 * @param state where the job is
 * @param stage the running job's step; null otherwise
 * @param modelName the uploaded model's file name, as the export records it
 * @param modelBytes its size
 * @param modelSha256 its digest
 * @param options the options as given, canonicalized
 * @param cacheKey the results' key ({@link CacheKey})
 * @param cached whether the results were found in the cache rather than computed
 * @param outcome how it ended; null until then
 * @param resultDir where its files are, relative to DIR; null when it has none
 * @param createdAt when it was accepted (ISO-8601)
 * @param startedAt when a worker took it; null before
 * @param finishedAt when it ended; null before
 */
public record JobRecord(
        String id,
        String kind,
        JobState state,
        Stage stage,
        String modelName,
        long modelBytes,
        String modelSha256,
        JsonNode options,
        String cacheKey,
        boolean cached,
        Outcome outcome,
        String resultDir,
        String createdAt,
        String startedAt,
        String finishedAt) {

    /** A job just accepted. */
    public static JobRecord queued(
            String id,
            String kind,
            String modelName,
            long modelBytes,
            String modelSha256,
            JsonNode options,
            String cacheKey) {
        return new JobRecord(
                id,
                kind,
                JobState.QUEUED,
                null,
                modelName,
                modelBytes,
                modelSha256,
                options,
                cacheKey,
                false,
                null,
                null,
                Instant.now().toString(),
                null,
                null);
    }

    /** This job taken by a worker, at its first stage. */
    public JobRecord running() {
        return new JobRecord(
                id,
                kind,
                JobState.RUNNING,
                Stage.READ,
                modelName,
                modelBytes,
                modelSha256,
                options,
                cacheKey,
                cached,
                outcome,
                resultDir,
                createdAt,
                Instant.now().toString(),
                null);
    }

    /** This running job at {@code next}. */
    public JobRecord at(Stage next) {
        return new JobRecord(
                id,
                kind,
                state,
                next,
                modelName,
                modelBytes,
                modelSha256,
                options,
                cacheKey,
                cached,
                outcome,
                resultDir,
                createdAt,
                startedAt,
                finishedAt);
    }

    /** This job ended with {@code how}, its files (if any) in {@code dir}. */
    public JobRecord finished(JobState end, Outcome how, String dir, boolean fromCache) {
        return new JobRecord(
                id,
                kind,
                end,
                null,
                modelName,
                modelBytes,
                modelSha256,
                options,
                cacheKey,
                fromCache,
                how,
                dir,
                createdAt,
                startedAt,
                Instant.now().toString());
    }

    /** Seconds from acceptance to the end; NaN while not ended. */
    public double seconds() {
        return finishedAt == null
                ? Double.NaN
                : (Instant.parse(finishedAt).toEpochMilli()
                                - Instant.parse(createdAt).toEpochMilli())
                        / 1000.0;
    }
}
