package org.torch2nnef.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.export.ExportException;
import org.torch2nnef.export.Exporter;

/**
 * The bounded load and fault test: 200 exports of the committed zoo models and a sample, under four
 * option sets each, from 8 concurrent clients against a server in its own JVM; the server is killed
 * with SIGKILL mid-run and restarted on the same data folder. No accepted job is lost, results
 * completed before the kill are still served, jobs in flight at the kill say failed, and every
 * archive is byte-identical to the exporter API's (the CLI's) export of the same model. Latency and
 * throughput go to {@code target/serve-load.md}.
 */
class ServeLoadTest {
    private static final int JOBS = Integer.getInteger("serve.load.jobs", 200);
    private static final int CLIENTS = 8;
    private static final int KILL_AFTER = JOBS / 3;
    private static final Duration LIMIT = Duration.ofMinutes(4);

    @TempDir Path tmp;

    /** One export to run: a model and its options. */
    record Variant(Path model, ExportJobOptions options) {
        String json() throws IOException {
            return Json.MAPPER.writeValueAsString(options);
        }
    }

    static List<Variant> variants() throws IOException {
        List<Variant> base = new ArrayList<>();
        base.add(
                new Variant(
                        TestServers.sample("conv_relu_linear"),
                        options(List.of("x=2,3,16"), List.of(), null, null)));
        Path zoo = TestServers.samples().resolve("zoo");
        for (JsonNode m : Json.MAPPER.readTree(zoo.resolve("zoo.json").toFile()).path("models")) {
            if (!m.path("committed").asBoolean()) {
                continue;
            }
            List<String> inputs = new ArrayList<>();
            for (JsonNode i : m.path("inputs")) {
                String dims =
                        StreamSupport.stream(i.path("shape").spliterator(), false)
                                .map(JsonNode::asText)
                                .collect(Collectors.joining(","));
                String dtype = i.path("dtype").asText().equals("int64") ? "i64" : "f32";
                inputs.add(i.path("name").asText() + "=" + dims + ":" + dtype);
            }
            // tract symbols are single letters (time: T, batch: B, seq: S), one line per input
            Map<String, List<String>> byInput = new LinkedHashMap<>();
            for (JsonNode a : m.path("dynamic_axes")) {
                byInput.computeIfAbsent(a.path("input").asText(), k -> new ArrayList<>())
                        .add(
                                a.path("axis").asInt()
                                        + "="
                                        + a.path("symbol")
                                                .asText()
                                                .substring(0, 1)
                                                .toUpperCase(Locale.ROOT));
            }
            List<String> axes = new ArrayList<>();
            byInput.forEach((input, list) -> axes.add(input + ":" + String.join(",", list)));
            base.add(
                    new Variant(
                            zoo.resolve(m.path("file").asText()),
                            options(inputs, axes, null, null)));
        }
        List<Variant> all = new ArrayList<>();
        for (Variant v : base) {
            for (String naming : List.of("natural-verbose", "numeric")) {
                for (String tract : List.of("0.22.3", "0.21.13")) {
                    all.add(
                            new Variant(
                                    v.model(),
                                    options(
                                            v.options().inputs(),
                                            v.options().dynamicAxes(),
                                            naming,
                                            tract)));
                }
            }
        }
        return all;
    }

    private static ExportJobOptions options(
            List<String> inputs, List<String> axes, String naming, String tract) {
        return new ExportJobOptions(
                inputs, axes, null, tract, false, "none", naming, null, 0, null, null, null);
    }

    /** What the CLI writes for {@code v}: the archive's SHA-256, or the exit-code class. */
    static String expected(Variant v, Path dir) throws IOException {
        Path model = Files.createDirectories(dir).resolve(v.model().getFileName());
        Files.copy(v.model(), model);
        Path out = dir.resolve("out.nnef.tgz");
        try {
            new Exporter().export(model, v.options().exportOptions(out));
            return sha(Files.readAllBytes(out));
        } catch (ExportException | IllegalArgumentException e) {
            return "refused";
        }
    }

    static String sha(byte[] b) {
        return HexFormat.of().formatHex(CacheKey.sha256().digest(b));
    }

    @Test
    void twoHundredExportsFromEightClientsSurviveAKill() throws Exception {
        List<Variant> variants = variants();
        Path data = tmp.resolve("data");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process[] server = {startServer(port, data, "first")};
        try {
            run(variants, data, port, server);
        } finally {
            server[0].destroyForcibly().waitFor();
        }
    }

    private void run(List<Variant> variants, Path data, int port, Process[] server)
            throws Exception {
        ServeClient c = new ServeClient(port, null);

        List<Variant> work = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            work.add(variants.get(i % variants.size()));
        }
        Collections.shuffle(work, new Random(19));
        Map<String, Variant> accepted = new ConcurrentHashMap<>();
        Map<String, String> completed = new ConcurrentHashMap<>(); // id -> artifact sha
        Set<String> interrupted = ConcurrentHashMap.newKeySet();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger done = new AtomicInteger();
        AtomicInteger cached = new AtomicInteger();
        AtomicInteger throttled = new AtomicInteger();
        Map<Variant, String> seen = new ConcurrentHashMap<>();
        Map<Variant, String> errors = new ConcurrentHashMap<>();

        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        long t0 = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        AtomicInteger next = new AtomicInteger();
        for (int k = 0; k < CLIENTS; k++) {
            futures.add(
                    clients.submit(
                            () -> {
                                int i;
                                while ((i = next.getAndIncrement()) < work.size()) {
                                    Variant v = work.get(i);
                                    long start = System.nanoTime();
                                    while (true) {
                                        String id = submit(c, v, throttled);
                                        accepted.put(id, v);
                                        JsonNode end = awaitEnd(c, id);
                                        if (end.path("error").asText().startsWith("interrupted")) {
                                            interrupted.add(id);
                                            continue; // in flight at the kill: submit again
                                        }
                                        // an export the CLI refuses too is a result as well
                                        String result =
                                                end.path("state").asText().equals("succeeded")
                                                        ? sha(
                                                                fetch(
                                                                        c,
                                                                        "/v1/jobs/"
                                                                                + id
                                                                                + "/artifact"))
                                                        : "refused";
                                        if (!end.path("state").asText().equals("succeeded")) {
                                            errors.put(v, end.path("error").asText());
                                        }
                                        completed.put(id, result);
                                        seen.put(v, result);
                                        if (end.path("cached").asBoolean()) {
                                            cached.incrementAndGet();
                                        }
                                        break;
                                    }
                                    latencies.add(System.nanoTime() - start);
                                    done.incrementAndGet();
                                }
                                return null;
                            }));
        }
        // kill -9 mid-run, then restart on the same folder and port
        while (done.get() < KILL_AFTER) {
            for (Future<?> f : futures) {
                if (f.isDone()) {
                    f.get(); // a client's failure, thrown here
                }
            }
            Thread.sleep(20);
        }
        Map<String, String> beforeKill = Map.copyOf(completed);
        server[0].destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no cleanup
        // a client may record an id the first server accepted a moment after this line: what
        // tells the first server's jobs from the second's is when the job was created
        java.time.Instant killedAt = java.time.Instant.now();
        long down = System.nanoTime();
        server[0] = startServer(port, data, "second");
        long restart = System.nanoTime() - down;
        try {
            for (Future<?> f : futures) {
                f.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            clients.shutdown();

            // completed before the kill: still served, same bytes
            for (var e : beforeKill.entrySet()) {
                JsonNode j = ServeClient.json(c.get("/v1/jobs/" + e.getKey()));
                if (e.getValue().equals("refused")) {
                    assertEquals("failed", j.path("state").asText(), j.toString());
                } else {
                    assertEquals("succeeded", j.path("state").asText(), j.toString());
                    assertEquals(
                            e.getValue(), sha(fetch(c, "/v1/jobs/" + e.getKey() + "/artifact")));
                }
            }
            // no job lost: every accepted id is known and final
            for (String id : accepted.keySet()) {
                JsonNode j = ServeClient.json(c.get("/v1/jobs/" + id));
                String state = j.path("state").asText();
                assertTrue(state.equals("succeeded") || state.equals("failed"), j.toString());
                if (interrupted.contains(id)) {
                    assertTrue(
                            java.time.Instant.parse(j.path("createdAt").asText())
                                    .isBefore(killedAt),
                            "interrupted after the restart: " + j);
                    assertEquals("failed", state, j.toString());
                }
            }
            assertEquals(JOBS, done.get());
            // byte-identical to the exporter API's archive, per model and options
            int n = 0;
            for (var e : seen.entrySet()) {
                assertEquals(
                        expected(e.getKey(), tmp.resolve("cli").resolve(Integer.toString(n++))),
                        e.getValue(),
                        e.getKey().model()
                                + " "
                                + e.getKey().json()
                                + ": "
                                + errors.get(e.getKey()));
            }
            for (var e : completed.entrySet()) {
                assertEquals(seen.get(accepted.get(e.getKey())), e.getValue());
            }
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            long refused = seen.values().stream().filter("refused"::equals).count();
            assertTrue(refused < seen.size() / 2, "most variants export: " + seen);
            String figures =
                    "| exports | clients | distinct model+options | answered from the cache | p50 ms |"
                            + " p99 ms | exports/s | in flight at the kill (resubmitted) | 429s |"
                            + " restart s |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
                            + String.format(
                                    Locale.ROOT,
                                    "| %d | %d | %d | %d | %.0f | %.0f | %.1f | %d | %d | %.1f |%n",
                                    JOBS,
                                    CLIENTS,
                                    seen.size(),
                                    cached.get(),
                                    sorted.get(sorted.size() / 2) / 1e6,
                                    sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1) / 1e6,
                                    JOBS / seconds,
                                    interrupted.size(),
                                    throttled.get(),
                                    restart / 1e9);
            System.out.print("serve load:\n" + figures);
            Files.writeString(Path.of("target", "serve-load.md"), figures);
        } finally {
            clients.shutdownNow();
        }
    }

    /** POSTs until accepted: waits out 429s (Retry-After, at most 1 s here) and a down server. */
    private static String submit(ServeClient c, Variant v, AtomicInteger throttled)
            throws Exception {
        long end = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < end) {
            HttpResponse<String> r;
            try {
                r = c.postExport(v.model(), v.json());
            } catch (IOException down) {
                Thread.sleep(100);
                continue;
            }
            if (r.statusCode() == 202) {
                return ServeClient.json(r).path("id").asText();
            }
            assertEquals(429, r.statusCode(), r.body());
            throttled.incrementAndGet();
            long after = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
            Thread.sleep(Math.min(1000, after * 1000));
        }
        throw new AssertionError("not accepted within " + LIMIT);
    }

    private static JsonNode awaitEnd(ServeClient c, String id) throws Exception {
        long end = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < end) {
            try {
                HttpResponse<String> r = c.get("/v1/jobs/" + id);
                assertEquals(200, r.statusCode(), "job " + id + " lost: " + r.body());
                JsonNode j = ServeClient.json(r);
                String s = j.path("state").asText();
                if (!s.equals("queued") && !s.equals("running")) {
                    return j;
                }
            } catch (IOException down) {
                // the server is being restarted
            }
            Thread.sleep(30);
        }
        throw new AssertionError("job " + id + " did not end within " + LIMIT);
    }

    private static byte[] fetch(ServeClient c, String path) throws Exception {
        while (true) {
            try {
                HttpResponse<byte[]> r = c.getBytes(path);
                assertEquals(200, r.statusCode(), path);
                return r.body();
            } catch (IOException down) {
                Thread.sleep(100);
            }
        }
    }

    private Process startServer(int port, Path data, String name) throws Exception {
        Path log = tmp.resolve("server-" + name + ".log");
        Process p =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Dai.djl.offline=true",
                                "-Xmx1g",
                                "-cp",
                                System.getProperty("java.class.path"),
                                TestServerMain.class.getName(),
                                Integer.toString(port),
                                data.toString(),
                                "2",
                                "16")
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            if (Files.readString(log).contains("listening " + port)) {
                return p;
            }
            if (!p.isAlive()) {
                throw new AssertionError("the server did not start:\n" + Files.readString(log));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the server did not start in 60 s:\n" + Files.readString(log));
    }
}
