package org.torch2nnef.serve;

import java.util.Collection;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * The service's counters, rendered in the Prometheus text exposition format (version 0.0.4): a
 * handful of counters, gauges and one histogram, too few to justify a metrics library.
 */
final class Metrics {
    /** Upper bounds (seconds) of the job duration histogram's buckets. */
    private static final double[] BUCKETS = {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800};

    final AtomicLong uploadedBytes = new AtomicLong();
    final AtomicLong artifactBytes = new AtomicLong();
    final AtomicLong servedBytes = new AtomicLong();
    final AtomicLong cacheHits = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    private final Map<String, Histogram> durations = new ConcurrentHashMap<>();

    /** Counts a finished job's duration (acceptance to end), by kind and final state. */
    void finished(JobRecord r) {
        if (!Double.isNaN(r.seconds())) {
            durations
                    .computeIfAbsent(r.kind() + "\u0000" + r.state().json(), k -> new Histogram())
                    .observe(r.seconds());
        }
    }

    /** The exposition text, with the jobs' states counted from {@code jobs}. */
    String render(Collection<JobRecord> jobs, int queueDepth, int running) {
        StringBuilder s = new StringBuilder();
        Map<JobState, Long> byState = new EnumMap<>(JobState.class);
        for (JobState st : JobState.values()) {
            byState.put(st, 0L);
        }
        jobs.forEach(r -> byState.merge(r.state(), 1L, Long::sum));
        header(s, "torch2nnef_jobs", "gauge", "jobs known to this server, by state");
        byState.forEach(
                (st, n) ->
                        s.append("torch2nnef_jobs{state=\"")
                                .append(st.json())
                                .append("\"} ")
                                .append(n)
                                .append('\n'));
        gauge(s, "torch2nnef_queue_depth", "jobs waiting for a worker", queueDepth);
        gauge(s, "torch2nnef_jobs_running", "jobs a worker is running", running);
        counter(s, "torch2nnef_uploaded_bytes_total", "bytes of models received", uploadedBytes);
        counter(
                s,
                "torch2nnef_artifact_bytes_total",
                "bytes of NNEF archives written",
                artifactBytes);
        counter(s, "torch2nnef_served_bytes_total", "bytes of result files sent", servedBytes);
        counter(s, "torch2nnef_cache_hits_total", "jobs answered from the cache", cacheHits);
        counter(s, "torch2nnef_rejected_total", "submissions refused with 429", rejected);
        header(
                s,
                "torch2nnef_job_duration_seconds",
                "histogram",
                "time from acceptance to the end of a job");
        durations.forEach(
                (k, h) -> {
                    String[] kv = k.split("\u0000");
                    h.render(s, "kind=\"" + kv[0] + "\",state=\"" + kv[1] + "\"");
                });
        return s.toString();
    }

    private static void header(StringBuilder s, String name, String type, String help) {
        s.append("# HELP ").append(name).append(' ').append(help).append('\n');
        s.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void gauge(StringBuilder s, String name, String help, long v) {
        header(s, name, "gauge", help);
        s.append(name).append(' ').append(v).append('\n');
    }

    private static void counter(StringBuilder s, String name, String help, AtomicLong v) {
        header(s, name, "counter", help);
        s.append(name).append(' ').append(v.get()).append('\n');
    }

    /** A cumulative histogram over {@link #BUCKETS}. */
    private static final class Histogram {
        private final AtomicLongArray counts = new AtomicLongArray(BUCKETS.length + 1);
        private final DoubleAdder sum = new DoubleAdder();

        void observe(double v) {
            int i = 0;
            while (i < BUCKETS.length && v > BUCKETS[i]) {
                i++;
            }
            counts.incrementAndGet(i);
            sum.add(v);
        }

        void render(StringBuilder s, String labels) {
            String name = "torch2nnef_job_duration_seconds";
            long cumulative = 0;
            for (int i = 0; i <= BUCKETS.length; i++) {
                cumulative += counts.get(i);
                String le =
                        i == BUCKETS.length ? "+Inf" : String.format(Locale.ROOT, "%s", BUCKETS[i]);
                s.append(name)
                        .append("_bucket{")
                        .append(labels)
                        .append(",le=\"")
                        .append(le)
                        .append("\"} ")
                        .append(cumulative)
                        .append('\n');
            }
            s.append(name)
                    .append("_sum{")
                    .append(labels)
                    .append("} ")
                    .append(sum.sum())
                    .append('\n');
            s.append(name)
                    .append("_count{")
                    .append(labels)
                    .append("} ")
                    .append(cumulative)
                    .append('\n');
        }
    }
}
