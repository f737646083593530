package org.torch2nnef.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.export.ExportOptions;
import org.torch2nnef.export.Exporter;
import org.torch2nnef.export.InputDeclaration;

/** The HTTP API over loopback: exports, checks, cache, limits, token, restart. */
class ServeApiTest {
    private static final String CONV = "{\"inputs\":[\"x=2,3,16\"]}";
    private static final Duration WAIT = Duration.ofMinutes(3);

    @TempDir Path tmp;
    private ServeServer server;
    private int port;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private ServeClient start(String token, int workers, int queue, long maxUpload)
            throws Exception {
        server =
                new ServeServer(
                        TestServers.config(tmp.resolve("data"), token, workers, queue, maxUpload));
        port = server.start();
        return new ServeClient(port, token);
    }

    /** The archive the exporter API writes for {@code model} (the CLI's call), as bytes. */
    static byte[] cliExport(Path model, Path dir, String... inputs) throws Exception {
        Path out = Files.createDirectories(dir).resolve("expected.nnef.tgz");
        new Exporter()
                .export(
                        model,
                        ExportOptions.builder(out)
                                .inputs(Stream.of(inputs).map(InputDeclaration::parse).toList())
                                .build());
        return Files.readAllBytes(out);
    }

    @Test
    void exportIsByteIdenticalToTheCliAndTheSecondIsACacheHit() throws Exception {
        ServeClient c = start(null, 2, 8, 1 << 20);
        Path model = TestServers.sample("conv_relu_linear");
        HttpResponse<String> posted = c.postExport(model, CONV);
        assertEquals(202, posted.statusCode(), posted.body());
        String id = ServeClient.json(posted).path("id").asText();
        assertTrue(posted.headers().firstValue("Location").orElseThrow().endsWith(id));
        JsonNode done = c.awaitEnd(id, WAIT);
        assertEquals("succeeded", done.path("state").asText(), done.toString());
        assertEquals(0, done.path("exitCode").asInt());
        assertFalse(done.path("cached").asBoolean());
        assertTrue(done.path("summary").asText().contains("conv"), done.toString());
        HttpResponse<byte[]> artifact = c.getBytes("/v1/jobs/" + id + "/artifact");
        assertEquals(200, artifact.statusCode());
        assertTrue(
                artifact.headers()
                        .firstValue("Content-Disposition")
                        .orElseThrow()
                        .contains("conv_relu_linear.nnef.tgz"));
        byte[] expected = cliExport(model, tmp.resolve("cli"), "x=2,3,16");
        assertArrayEquals(expected, artifact.body(), "the service's archive is the CLI's");
        assertEquals(404, c.get("/v1/jobs/" + id + "/report").statusCode(), "no check ran");

        JsonNode again = ServeClient.json(c.postExport(model, CONV));
        assertEquals("succeeded", again.path("state").asText(), again.toString());
        assertTrue(again.path("cached").asBoolean(), again.toString());
        assertEquals(done.path("cacheKey"), again.path("cacheKey"));
        assertArrayEquals(
                expected, c.getBytes("/v1/jobs/" + again.path("id").asText() + "/artifact").body());

        // other options, other key
        JsonNode numeric =
                ServeClient.json(
                        c.postExport(
                                model,
                                "{\"inputs\":[\"x=2,3,16\"],\"renamingScheme\":\"numeric\"}"));
        assertNotEquals(done.path("cacheKey"), numeric.path("cacheKey"));
        String metrics = c.get("/metrics").body();
        assertTrue(metrics.contains("torch2nnef_cache_hits_total 1"), metrics);
        assertTrue(metrics.contains("torch2nnef_jobs{state=\"succeeded\"}"), metrics);
        assertTrue(
                metrics.contains("torch2nnef_job_duration_seconds_bucket{kind=\"export\""),
                metrics);
    }

    @Test
    void checkedExportServesTheCliReport() throws Exception {
        ServeClient c = start(null, 1, 4, 1 << 20);
        Path model = TestServers.sample("conv_relu_linear");
        String id =
                ServeClient.json(
                                c.postExport(
                                        model,
                                        "{\"inputs\":[\"x=2,3,16\"],\"check\":\"reference\"}"))
                        .path("id")
                        .asText();
        JsonNode done = c.awaitEnd(id, WAIT);
        assertEquals("succeeded", done.path("state").asText(), done.toString());
        assertEquals("EQUAL", done.path("verdict").asText());
        HttpResponse<String> report = c.get("/v1/jobs/" + id + "/report");
        assertEquals(200, report.statusCode());
        Path saved = Files.writeString(tmp.resolve("report.json"), report.body());
        CheckReport r = CheckReport.readJson(saved);
        assertEquals("reference", r.checker());
        assertEquals(0, r.exitCode());
        assertFalse(r.outputs().isEmpty());
        assertTrue(r.outputs().stream().allMatch(o -> o.passed()));

        // the same archive posted to /v1/checks: the same verdict
        Path archive = tmp.resolve("conv_relu_linear.nnef.tgz");
        Files.write(archive, c.getBytes("/v1/jobs/" + id + "/artifact").body());
        HttpResponse<String> check =
                c.post(
                        "/v1/checks",
                        Map.of("model", model, "nnef", archive),
                        "{\"checker\":\"reference\",\"inputs\":[\"x=2,3,16\"]}");
        assertEquals(202, check.statusCode(), check.body());
        JsonNode checked = c.awaitEnd(ServeClient.json(check).path("id").asText(), WAIT);
        assertEquals("EQUAL", checked.path("verdict").asText(), checked.toString());
    }

    /**
     * The quantized check options reach both job kinds with the CLI's names and defaults: the
     * report names the engine that ran and the step tolerance it applied, the canonical options
     * (and so the cache key) hold them, and bad values are refused naming the option.
     */
    @Test
    void quantizedCheckOptionsReachTheCheck() throws Exception {
        ServeClient c = start(null, 1, 4, 1 << 20);
        Path model = TestServers.samples().resolve("quantized/models/ptq_per_tensor_cnn.pt");
        String given =
                "{\"inputs\":[\"x=2,3,16,16\"],\"check\":\"reference\","
                        + "\"quantizedEngine\":\"qnnpack\",\"maxSteps\":0,\"maxStepFraction\":0}";
        JsonNode done =
                c.awaitEnd(ServeClient.json(c.postExport(model, given)).path("id").asText(), WAIT);
        assertEquals("EQUAL", done.path("verdict").asText(), done.toString());
        JsonNode options = done.path("options");
        assertEquals("qnnpack", options.path("quantizedEngine").asText(), options.toString());
        assertEquals(0, options.path("maxSteps").asLong(), options.toString());
        assertEquals(0.0, options.path("maxStepFraction").asDouble(), options.toString());
        String report = c.get("/v1/jobs/" + done.path("id").asText() + "/report").body();
        JsonNode tolerance = Json.MAPPER.readTree(report).path("outputs").path(0).path("steps");
        assertEquals(0, tolerance.path("tolerance").path("maxSteps").asLong(), report);
        assertEquals(0.0, tolerance.path("tolerance").path("fraction").asDouble(), report);
        assertTrue(report.contains("libtorch's qnnpack engine"), report);

        // absent: the CLI's defaults, in the canonical options and the key
        String plain = "{\"inputs\":[\"x=2,3,16,16\"],\"check\":\"reference\"}";
        JsonNode defaults =
                c.awaitEnd(ServeClient.json(c.postExport(model, plain)).path("id").asText(), WAIT);
        assertEquals(1, defaults.path("options").path("maxSteps").asLong(), defaults.toString());
        assertEquals(0.01, defaults.path("options").path("maxStepFraction").asDouble());
        assertTrue(defaults.path("options").path("quantizedEngine").isNull(), defaults.toString());
        assertNotEquals(done.path("cacheKey"), defaults.path("cacheKey"));
        String x86 = c.get("/v1/jobs/" + defaults.path("id").asText() + "/report").body();
        assertTrue(x86.contains("libtorch's x86 engine"), x86);

        // /v1/checks takes them too
        Path archive = tmp.resolve("ptq_per_tensor_cnn.nnef.tgz");
        Files.write(
                archive, c.getBytes("/v1/jobs/" + done.path("id").asText() + "/artifact").body());
        HttpResponse<String> check =
                c.post(
                        "/v1/checks",
                        Map.of("model", model, "nnef", archive),
                        "{\"checker\":\"reference\",\"quantizedEngine\":\"onednn\",\"maxSteps\":2}");
        assertEquals(202, check.statusCode(), check.body());
        JsonNode checked = c.awaitEnd(ServeClient.json(check).path("id").asText(), WAIT);
        assertEquals("EQUAL", checked.path("verdict").asText(), checked.toString());
        assertEquals(2, checked.path("options").path("maxSteps").asLong());
        String onednn = c.get("/v1/jobs/" + checked.path("id").asText() + "/report").body();
        assertTrue(onednn.contains("libtorch's onednn engine"), onednn);
        assertEquals(
                2,
                Json.MAPPER
                        .readTree(onednn)
                        .path("outputs")
                        .path(0)
                        .path("steps")
                        .path("tolerance")
                        .path("maxSteps")
                        .asLong(),
                onednn);

        for (String[] bad :
                new String[][] {
                    {"\"quantizedEngine\":\"mkl\"", "quantizedEngine 'mkl' is not one of x86"},
                    {"\"maxSteps\":-1", "maxSteps -1 is negative"},
                    {"\"maxStepFraction\":1.5", "maxStepFraction 1.5 is not between 0 and 1"}
                }) {
            HttpResponse<String> refused =
                    c.postExport(model, "{\"inputs\":[\"x=2,3,16,16\"]," + bad[0] + "}");
            assertEquals(400, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains(bad[1]), refused.body());
            HttpResponse<String> refusedCheck =
                    c.post(
                            "/v1/checks",
                            Map.of("model", model, "nnef", archive),
                            "{" + bad[0] + "}");
            assertEquals(400, refusedCheck.statusCode(), refusedCheck.body());
            assertTrue(refusedCheck.body().contains(bad[1]), refusedCheck.body());
        }
    }

    @Test
    void badRequestsAreRefusedNamingTheProblem() throws Exception {
        ServeClient c = start(null, 1, 4, 64 * 1024);
        Path model = TestServers.sample("conv_relu_linear");
        HttpResponse<String> noInputs = c.postExport(model, "{}");
        assertEquals(400, noInputs.statusCode());
        assertTrue(noInputs.body().contains("options.inputs"), noInputs.body());
        HttpResponse<String> badInput = c.postExport(model, "{\"inputs\":[\"x2,3\"]}");
        assertEquals(400, badInput.statusCode());
        assertTrue(badInput.body().contains("missing '='"), badInput.body());
        HttpResponse<String> noModel = c.post("/v1/exports", Map.of(), CONV);
        assertEquals(400, noModel.statusCode(), noModel.body());
        assertEquals(404, c.get("/v1/jobs/0123456789abcdef0123456789abcdef").statusCode());
        assertEquals(404, c.get("/v1/jobs/..%2F..%2Fetc").statusCode());

        Path big = tmp.resolve("big.pt");
        Files.write(big, new byte[200 * 1024]);
        HttpResponse<String> tooBig = c.postExport(big, CONV);
        assertEquals(413, tooBig.statusCode(), tooBig.body());
        assertTrue(tooBig.body().contains("--max-upload"), tooBig.body());

        // not a TorchScript archive: the CLI's input error, exit 2
        Path junk = Files.writeString(tmp.resolve("junk.pt"), "not a zip");
        JsonNode failed =
                c.awaitEnd(ServeClient.json(c.postExport(junk, CONV)).path("id").asText(), WAIT);
        assertEquals("failed", failed.path("state").asText());
        assertEquals(2, failed.path("exitCode").asInt(), failed.toString());
        assertTrue(failed.path("error").asText().contains("junk.pt"), failed.toString());
    }

    @Test
    void uploadNamesNeverLeaveTheDataFolder() throws Exception {
        ServeClient c = start(null, 1, 4, 1 << 20);
        Path model = TestServers.sample("conv_relu_linear");
        // a client's file name with a path: only its last segment, cleaned, is used
        HttpResponse<String> r =
                c.post(
                        "/v1/exports",
                        Map.of("model", new ServeClient.Named("../../../../evil name.pt", model)),
                        CONV);
        assertEquals(202, r.statusCode(), r.body());
        JsonNode ok = c.awaitEnd(ServeClient.json(r).path("id").asText(), WAIT);
        assertEquals("succeeded", ok.path("state").asText(), ok.toString());
        assertEquals("evil_name.pt", ok.path("model").path("name").asText());
        assertEquals("model.hidden.pt", UploadName.of("..\\..\\.hidden.pt", "model"));
        try (Stream<Path> all = Files.walk(tmp)) {
            List<Path> outside =
                    all.filter(Files::isRegularFile)
                            .filter(p -> !p.startsWith(tmp.resolve("data")))
                            .toList();
            assertEquals(List.of(), outside);
        }
    }

    @Test
    void theTokenIsRequiredOnEveryApiCall() throws Exception {
        String token = "0123456789abcdef-secret";
        ServeClient c = start(token, 1, 4, 1 << 20);
        ServeClient anonymous = new ServeClient(port, null);
        HttpResponse<String> refused =
                anonymous.postExport(TestServers.sample("conv_relu_linear"), CONV);
        assertEquals(401, refused.statusCode());
        assertEquals("Bearer", refused.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertEquals(401, anonymous.get("/metrics").statusCode());
        assertEquals(
                401, new ServeClient(port, "wrong-token-wrong-token").get("/v1/ops").statusCode());
        assertEquals(200, anonymous.get("/healthz").statusCode());
        assertEquals(200, anonymous.get("/").statusCode(), "the page itself holds no data");
        HttpResponse<String> ops = c.get("/v1/ops");
        assertEquals(200, ops.statusCode());
        assertTrue(ServeClient.json(ops).path("ops").toString().contains("aten::relu"), ops.body());
        assertEquals("3.0.3", ServeClient.json(c.get("/v1/openapi.json")).path("openapi").asText());
    }

    @Test
    void aNonLoopbackAddressNeedsAToken() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new ServeConfig(
                                        InetAddress.getByName("0.0.0.0"),
                                        0,
                                        tmp,
                                        Optional.empty(),
                                        1,
                                        1,
                                        1,
                                        Duration.ofMinutes(1),
                                        TestServers.SCREEN));
        assertTrue(e.getMessage().contains("--token-file"), e.getMessage());
    }

    @Test
    void aFullQueueIs429WithRetryAfterAndQueuedJobsCancel() throws Exception {
        ServeClient c = start(null, 1, 1, 1 << 20);
        Path model = TestServers.sample("conv_relu_linear");
        // checked exports take seconds (torch starts in a child JVM): the first runs, the second
        // waits, the third finds the queue full
        String[] seeds = {"1", "2", "3"};
        HttpResponse<String>[] r = new HttpResponse[3];
        for (int i = 0; i < 3; i++) {
            r[i] =
                    c.postExport(
                            model,
                            "{\"inputs\":[\"x=2,3,16\"],\"check\":\"reference\",\"seed\":"
                                    + seeds[i]
                                    + "}");
        }
        assertEquals(202, r[0].statusCode(), r[0].body());
        assertEquals(202, r[1].statusCode(), r[1].body());
        assertEquals(429, r[2].statusCode(), r[2].body());
        assertTrue(Long.parseLong(r[2].headers().firstValue("Retry-After").orElseThrow()) >= 1);
        String second = ServeClient.json(r[1]).path("id").asText();
        JsonNode waiting = ServeClient.json(c.get("/v1/jobs/" + second));
        assertEquals("queued", waiting.path("state").asText(), waiting.toString());
        assertEquals(1, waiting.path("queuePosition").asInt(), waiting.toString());
        assertEquals(503, c.get("/readyz").statusCode());
        HttpResponse<String> cancelled = c.delete("/v1/jobs/" + second);
        assertEquals(200, cancelled.statusCode(), cancelled.body());
        assertEquals("cancelled", ServeClient.json(cancelled).path("state").asText());
        assertEquals(409, c.delete("/v1/jobs/" + second).statusCode());
        String first = ServeClient.json(r[0]).path("id").asText();
        assertEquals("succeeded", c.awaitEnd(first, WAIT).path("state").asText());
        assertEquals(200, c.get("/readyz").statusCode());
    }

    @Test
    void resultsSurviveARestart() throws Exception {
        ServeClient c = start(null, 1, 4, 1 << 20);
        Path model = TestServers.sample("conv_relu_linear");
        String id = ServeClient.json(c.postExport(model, CONV)).path("id").asText();
        c.awaitEnd(id, WAIT);
        byte[] before = c.getBytes("/v1/jobs/" + id + "/artifact").body();
        server.close();
        ServeClient again = start(null, 1, 4, 1 << 20);
        JsonNode after = ServeClient.json(again.get("/v1/jobs/" + id));
        assertEquals("succeeded", after.path("state").asText(), after.toString());
        assertArrayEquals(before, again.getBytes("/v1/jobs/" + id + "/artifact").body());
    }

    @Test
    void aJobOverItsTimeLimitFailsSayingSo() throws Exception {
        server =
                new ServeServer(
                        TestServers.config(
                                tmp.resolve("data"), Duration.ofMillis(300), TestServers.SCREEN));
        ServeClient c = new ServeClient(server.start(), null);
        // a check starts torch in a child JVM: seconds, far over the limit
        String id =
                ServeClient.json(
                                c.postExport(
                                        TestServers.sample("conv_relu_linear"),
                                        "{\"inputs\":[\"x=2,3,16\"],\"check\":\"reference\"}"))
                        .path("id")
                        .asText();
        JsonNode end = c.awaitEnd(id, WAIT);
        assertEquals("failed", end.path("state").asText(), end.toString());
        assertTrue(end.path("error").asText().contains("timed out after"), end.toString());
        assertTrue(end.path("error").asText().contains("--job-timeout"), end.toString());
        // the worker is free again: the next job runs
        JsonNode next =
                c.awaitEnd(
                        ServeClient.json(c.postExport(TestServers.sample("conv_relu_linear"), CONV))
                                .path("id")
                                .asText(),
                        WAIT);
        assertEquals("succeeded", next.path("state").asText(), next.toString());
    }

    @Test
    void runningJobsShowTheirStageAndQueuedOnesTheirPlace() throws Exception {
        ServeClient c = start(null, 1, 4, 1 << 20);
        String running =
                ServeClient.json(
                                c.postExport(
                                        TestServers.sample("conv_relu_linear"),
                                        "{\"inputs\":[\"x=2,3,16\"],\"check\":\"reference\"}"))
                        .path("id")
                        .asText();
        String queued =
                ServeClient.json(
                                c.postExport(
                                        TestServers.sample("conv_relu_linear"),
                                        "{\"inputs\":[\"x=2,3,16\"],\"check\":\"reference\","
                                                + "\"seed\":7}"))
                        .path("id")
                        .asText();
        // the stage and progress of a running job: a checked export spends its seconds in check
        long end = System.nanoTime() + WAIT.toNanos();
        JsonNode seen = ServeClient.json(c.get("/v1/jobs/" + running));
        while (!seen.path("stage").asText().equals("check")) {
            assertTrue(System.nanoTime() < end, "never reached the check: " + seen);
            Thread.sleep(20);
            seen = ServeClient.json(c.get("/v1/jobs/" + running));
        }
        assertEquals("running", seen.path("state").asText(), seen.toString());
        assertEquals(4, seen.path("progress").path("step").asInt(), seen.toString());
        assertEquals(4, seen.path("progress").path("steps").asInt(), seen.toString());
        JsonNode waiting = ServeClient.json(c.get("/v1/jobs/" + queued));
        assertEquals(1, waiting.path("queuePosition").asInt(), waiting.toString());
    }

    @Test
    void jobsInFlightWhenTheServerDiesAreFailedOnRestart() throws Exception {
        // a screen that blocks: the first job stays running, the second queued, for sure
        server =
                new ServeServer(
                        TestServers.config(
                                tmp.resolve("data"),
                                Duration.ofMinutes(5),
                                pt -> {
                                    try {
                                        Thread.sleep(120_000);
                                    } catch (InterruptedException e) {
                                        throw new InterruptedIOException("stopped");
                                    }
                                }));
        ServeClient c = new ServeClient(server.start(), null);
        Path model = TestServers.sample("conv_relu_linear");
        String running = ServeClient.json(c.postExport(model, CONV)).path("id").asText();
        String queued =
                ServeClient.json(
                                c.postExport(
                                        model,
                                        "{\"inputs\":[\"x=2,3,16\"],\"renamingScheme\":\"numeric\"}"))
                        .path("id")
                        .asText();
        long end = System.nanoTime() + WAIT.toNanos();
        while (!ServeClient.json(c.get("/v1/jobs/" + running))
                .path("state")
                .asText()
                .equals("running")) {
            assertTrue(System.nanoTime() < end, "never ran");
            Thread.sleep(20);
        }
        // what a restart after kill -9 reads: the records on disk, the first server never stopped
        try (ServeServer restarted =
                new ServeServer(TestServers.config(tmp.resolve("data"), null, 1, 4, 1 << 20))) {
            ServeClient after = new ServeClient(restarted.start(), null);
            for (String id : List.of(running, queued)) {
                JsonNode j = ServeClient.json(after.get("/v1/jobs/" + id));
                assertEquals("failed", j.path("state").asText(), j.toString());
                assertTrue(j.path("error").asText().startsWith("interrupted"), j.toString());
            }
        }
    }
}
