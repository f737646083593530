package org.torch2nnef.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.UploadedFile;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.torch2nnef.export.ModelProperties;
import org.torch2nnef.export.OpRegistry;

/**
 * {@code torch2nnef serve}: the HTTP API ({@code /v1}), the web page ({@code /}), health and
 * metrics, on Javalin (Jetty). Multipart parsing, routing and static files are Javalin's; this
 * class maps requests onto {@link JobService} and the files of {@link DataDir}.
 */
public final class ServeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServeServer.class);
    private static final String JSON = "application/json";

    private final ServeConfig config;
    private final DataDir dir;
    private final JobStore store;
    private final Metrics metrics = new Metrics();
    private final JobService jobs;
    private final String tract = CacheKey.tractFingerprint();
    private final byte[] token;
    private Javalin app;

    /**
     * Opens {@code config.data()}: reads the job records back, failing those a crash cut off.
     *
     * @throws IOException when the data folder cannot be used
     */
    public ServeServer(ServeConfig config) throws IOException {
        this.config = config;
        this.dir = new DataDir(config.data());
        this.store = new JobStore(dir);
        int interrupted = store.recover();
        if (interrupted > 0) {
            LOG.warn("{} job(s) were in flight at the last stop: recorded as failed", interrupted);
        }
        this.jobs =
                new JobService(
                        dir,
                        store,
                        metrics,
                        config.workers(),
                        config.queueSize(),
                        config.jobTimeout());
        jobs.cleanWork();
        this.token = config.token().map(t -> t.getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    /** Starts listening; returns the port (useful with port 0). */
    public int start() {
        long spool = 64 * 1024;
        app =
                Javalin.create(
                        c -> {
                            c.showJavalinBanner = false;
                            c.jetty.multipartConfig.cacheDirectory(dir.uploads().toString());
                            c.jetty.multipartConfig.maxFileSize(config.maxUpload(), SizeUnit.BYTES);
                            c.jetty.multipartConfig.maxTotalRequestSize(
                                    config.maxUpload() + spool, SizeUnit.BYTES);
                            c.jetty.multipartConfig.maxInMemoryFileSize(
                                    (int) spool, SizeUnit.BYTES);
                            c.staticFiles.add("/torch2nnef-web", Location.CLASSPATH);
                        });
        app.before(this::authorize);
        app.exception(
                Exception.class,
                (e, ctx) -> {
                    LOG.error("{} {}", ctx.method(), ctx.path(), e);
                    error(ctx, HttpStatus.INTERNAL_SERVER_ERROR, "internal error: " + e);
                });
        app.get("/healthz", ctx -> json(ctx, Map.of("status", "ok", "version", version())));
        app.get("/readyz", this::ready);
        app.get("/metrics", this::metrics);
        app.get("/v1/openapi.json", this::openApi);
        app.get("/v1/ops", this::ops);
        app.post("/v1/exports", this::postExport);
        app.post("/v1/checks", this::postCheck);
        app.get(
                "/v1/jobs/{id}",
                ctx -> {
                    JobRecord r = job(ctx);
                    if (r != null) {
                        json(ctx, view(r));
                    }
                });
        app.delete("/v1/jobs/{id}", this::cancel);
        app.get("/v1/jobs/{id}/report", ctx -> file(ctx, Outcome.REPORT, JSON));
        app.get("/v1/jobs/{id}/artifact", ctx -> file(ctx, Outcome.ARTIFACT, "application/gzip"));
        app.get(
                "/v1/jobs/{id}/debug-bundle",
                ctx -> file(ctx, Outcome.DEBUG_BUNDLE, "application/gzip"));
        app.start(config.bind().getHostAddress(), config.port());
        return app.port();
    }

    @Override
    public void close() {
        if (app != null) {
            app.stop();
        }
        jobs.close();
    }

    private static String version() {
        return ModelProperties.exporterVersion();
    }

    /** Every API call carries the bearer token, when there is one; the page and probes do not. */
    private void authorize(Context ctx) {
        String path = ctx.path();
        if (token == null || !(path.startsWith("/v1/") || path.equals("/metrics"))) {
            return;
        }
        String h = ctx.header("Authorization");
        byte[] given =
                h != null && h.startsWith("Bearer ")
                        ? h.substring(7).trim().getBytes(StandardCharsets.UTF_8)
                        : new byte[0];
        if (!MessageDigest.isEqual(given, token)) {
            ctx.header("WWW-Authenticate", "Bearer");
            error(
                    ctx,
                    HttpStatus.UNAUTHORIZED,
                    "a bearer token is required: Authorization: Bearer TOKEN");
            ctx.skipRemainingHandlers();
        }
    }

    private void ready(Context ctx) {
        boolean full = jobs.queueFull();
        ctx.status(full ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK);
        json(
                ctx,
                Map.of(
                        "ready",
                        !full,
                        "queueDepth",
                        jobs.queueDepth(),
                        "queueSize",
                        config.queueSize()));
    }

    private void metrics(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(metrics.render(store.all(), jobs.queueDepth(), jobs.running()));
    }

    private void openApi(Context ctx) throws IOException {
        try (InputStream in = ServeServer.class.getResourceAsStream("openapi.json")) {
            ctx.contentType(JSON).result(in.readAllBytes());
        }
    }

    private void ops(Context ctx) {
        json(ctx, Map.of("version", version(), "ops", OpRegistry.standard().kinds()));
    }

    private void postExport(Context ctx) throws IOException {
        if (tooLarge(ctx)) {
            return;
        }
        UploadedFile model = upload(ctx, "model");
        if (model == null) {
            return;
        }
        ExportJobOptions options =
                options(ctx, ExportJobOptions.class, o -> o.exportOptions(Path.of("v.nnef.tgz")));
        if (options == null) {
            return;
        }
        String id = DataDir.newId();
        Saved m = save(id, model, UploadName.of(model.filename(), "model"));
        JsonNode canonical = Json.MAPPER.valueToTree(options);
        String key =
                CacheKey.of(
                        "export",
                        m.name(),
                        m.sha256(),
                        Json.MAPPER.writeValueAsString(canonical),
                        options.checkMode().isPresent() ? tract : "unchecked");
        JobRecord job =
                JobRecord.queued(id, "export", m.name(), m.bytes(), m.sha256(), canonical, key);
        submit(ctx, job, new ExportWork(m.file(), options, config.screen(), config.jobTimeout()));
    }

    private void postCheck(Context ctx) throws IOException {
        if (tooLarge(ctx)) {
            return;
        }
        UploadedFile model = upload(ctx, "model");
        UploadedFile nnef = model == null ? null : upload(ctx, "nnef");
        if (nnef == null) {
            return;
        }
        String nnefName = UploadName.of(nnef.filename(), "model");
        if (!nnefName.endsWith(".nnef.tgz") && !nnefName.endsWith(".nnef.tar")) {
            error(
                    ctx,
                    HttpStatus.BAD_REQUEST,
                    "nnef: name the archive NAME.nnef.tgz or NAME.nnef.tar");
            return;
        }
        CheckJobOptions options = options(ctx, CheckJobOptions.class, CheckJobOptions::validate);
        if (options == null) {
            return;
        }
        String id = DataDir.newId();
        Saved m = save(id, model, UploadName.of(model.filename(), "model"));
        Saved n = save(id, nnef, nnefName);
        JsonNode canonical = Json.MAPPER.valueToTree(options);
        String key =
                CacheKey.of(
                        "check",
                        m.name(),
                        m.sha256(),
                        n.name(),
                        n.sha256(),
                        Json.MAPPER.writeValueAsString(canonical),
                        tract);
        JobRecord job =
                JobRecord.queued(id, "check", m.name(), m.bytes(), m.sha256(), canonical, key);
        submit(
                ctx,
                job,
                new CheckWork(m.file(), n.file(), options, config.screen(), config.jobTimeout()));
    }

    private void submit(Context ctx, JobRecord job, Work work) {
        try {
            JobRecord accepted = jobs.submit(job, work);
            ctx.status(HttpStatus.ACCEPTED).header("Location", "/v1/jobs/" + job.id());
            json(ctx, view(accepted));
        } catch (JobService.QueueFullException e) {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds));
            error(
                    ctx,
                    HttpStatus.TOO_MANY_REQUESTS,
                    "the queue is full ("
                            + config.queueSize()
                            + " jobs wait): retry after "
                            + e.retryAfterSeconds
                            + " s");
        }
    }

    /** Refuses a request announcing more bytes than {@code --max-upload} before reading it. */
    private boolean tooLarge(Context ctx) {
        long announced = ctx.contentLength();
        if (announced > config.maxUpload() + 64 * 1024) {
            error(
                    ctx,
                    HttpStatus.CONTENT_TOO_LARGE,
                    "the upload is "
                            + announced
                            + " bytes; this server takes at most "
                            + config.maxUpload()
                            + " (--max-upload)");
            return true;
        }
        return false;
    }

    /** The multipart file {@code part}, or null after answering why there is none. */
    private UploadedFile upload(Context ctx, String part) {
        UploadedFile f;
        try {
            f = ctx.uploadedFile(part);
        } catch (RuntimeException e) {
            boolean size = String.valueOf(e.getMessage()).toLowerCase().contains("exceed");
            error(
                    ctx,
                    size ? HttpStatus.CONTENT_TOO_LARGE : HttpStatus.BAD_REQUEST,
                    size
                            ? "the upload exceeds " + config.maxUpload() + " bytes (--max-upload)"
                            : "not a multipart upload: " + e.getMessage());
            return null;
        }
        if (f == null) {
            error(ctx, HttpStatus.BAD_REQUEST, "multipart part '" + part + "' (a file) is missing");
        }
        return f;
    }

    private static String optionsText(Context ctx) {
        String o = ctx.formParam("options");
        if (o == null) {
            UploadedFile f = ctx.uploadedFile("options");
            if (f != null) {
                return f.contentAndClose(
                        in -> {
                            try {
                                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                            } catch (IOException e) {
                                throw new IllegalArgumentException("unreadable: " + e.getMessage());
                            }
                        });
            }
        }
        return o == null || o.isBlank() ? "{}" : o;
    }

    /** An upload stored in DIR. */
    private record Saved(String name, Path file, String sha256, long bytes) {}

    /** Streams the upload to {@code DIR/jobs/ID/model/NAME}, hashing it on the way. */
    private Saved save(String id, UploadedFile f, String name) throws IOException {
        Path target = Files.createDirectories(dir.job(id).resolve("model")).resolve(name);
        MessageDigest d = CacheKey.sha256();
        long n;
        try (InputStream in = f.content();
                OutputStream out = new DigestOutputStream(Files.newOutputStream(target), d)) {
            n = in.transferTo(out);
        }
        metrics.uploadedBytes.addAndGet(n);
        return new Saved(name, target, HexFormat.of().formatHex(d.digest()), n);
    }

    /** The {@code options} part read as {@code type} and validated; null after a 400. */
    private static <T> T options(Context ctx, Class<T> type, Consumer<T> validate) {
        try {
            T o = Json.MAPPER.readValue(optionsText(ctx), type);
            validate.accept(o);
            return o;
        } catch (IllegalArgumentException | JsonProcessingException e) {
            error(ctx, HttpStatus.BAD_REQUEST, "options: " + e.getMessage());
            return null;
        }
    }

    /** The job the path names; null after answering 404 when there is none. */
    private JobRecord job(Context ctx) {
        String id = ctx.pathParam("id");
        JobRecord r = store.get(id).orElse(null);
        if (r == null) {
            error(ctx, HttpStatus.NOT_FOUND, "no job " + (DataDir.isId(id) ? id : "with that id"));
        }
        return r;
    }

    private void cancel(Context ctx) {
        JobRecord r = job(ctx);
        if (r == null) {
            return;
        }
        var c = jobs.cancel(r.id());
        if (c.isEmpty()) {
            error(
                    ctx,
                    HttpStatus.CONFLICT,
                    "job " + r.id() + " has already ended: " + r.state().json());
            return;
        }
        json(ctx, view(c.get()));
    }

    private void file(Context ctx, String name, String type) throws IOException {
        JobRecord r = job(ctx);
        if (r == null) {
            return;
        }
        if (r.outcome() == null || !r.outcome().files().contains(name) || r.resultDir() == null) {
            error(
                    ctx,
                    HttpStatus.NOT_FOUND,
                    "job " + r.id() + " (" + r.state().json() + ") has no " + name);
            return;
        }
        Path p = dir.resolve(r.resultDir()).resolve(name);
        long size = Files.size(p);
        if (name.equals(Outcome.ARTIFACT)) {
            ctx.header(
                    "Content-Disposition",
                    "attachment; filename=\"" + UploadName.archiveFor(r.modelName()) + "\"");
        } else if (name.equals(Outcome.DEBUG_BUNDLE)) {
            ctx.header("Content-Disposition", "attachment; filename=\"debug-bundle.tgz\"");
        }
        ctx.header("Content-Length", Long.toString(size));
        metrics.servedBytes.addAndGet(size);
        ctx.contentType(type).result(Files.newInputStream(p));
    }

    /** The job as the API shows it: its record, its progress and links to its files. */
    private Map<String, Object> view(JobRecord r) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", r.id());
        v.put("kind", r.kind());
        v.put("state", r.state().json());
        if (r.state() == JobState.QUEUED) {
            jobs.queuePosition(r.id()).ifPresent(p -> v.put("queuePosition", p));
        }
        if (r.state() == JobState.RUNNING && r.stage() != null) {
            Stage stage = r.stage();
            long written = jobs.bytesBeingWritten(r.id());
            if (stage == Stage.TRANSLATE && written >= 0 && written > 0) {
                stage = Stage.WRITE;
            }
            ObjectNode p = Json.MAPPER.createObjectNode();
            boolean export = r.kind().equals("export");
            boolean checked = !export || !"none".equals(r.options().path("check").asText("none"));
            p.put("stage", stage.json());
            p.put("step", export ? stage.ordinal() + 1 : 1);
            p.put("steps", export ? (checked ? 4 : 3) : 1);
            if (stage == Stage.WRITE) {
                p.put("bytesWritten", written);
            }
            v.put("stage", stage.json());
            v.put("progress", p);
        }
        v.put("cached", r.cached());
        v.put(
                "model",
                Map.of("name", r.modelName(), "bytes", r.modelBytes(), "sha256", r.modelSha256()));
        v.put("options", r.options());
        v.put("cacheKey", r.cacheKey());
        if (r.outcome() != null) {
            Outcome o = r.outcome();
            v.put("exitCode", o.exitCode());
            if (o.verdict() != null) {
                v.put("verdict", o.verdict());
            }
            if (o.error() != null) {
                v.put("error", o.error());
            }
            if (o.summary() != null) {
                v.put("summary", o.summary());
            }
        }
        v.put("createdAt", r.createdAt());
        if (r.startedAt() != null) {
            v.put("startedAt", r.startedAt());
        }
        if (r.finishedAt() != null) {
            v.put("finishedAt", r.finishedAt());
        }
        Map<String, String> links = new LinkedHashMap<>();
        String self = "/v1/jobs/" + r.id();
        links.put("self", self);
        if (r.outcome() != null && r.resultDir() != null) {
            if (r.outcome().files().contains(Outcome.REPORT)) {
                links.put("report", self + "/report");
            }
            if (r.outcome().files().contains(Outcome.ARTIFACT)) {
                links.put("artifact", self + "/artifact");
            }
            if (r.outcome().files().contains(Outcome.DEBUG_BUNDLE)) {
                links.put("debugBundle", self + "/debug-bundle");
            }
        }
        v.put("links", links);
        return v;
    }

    private static void json(Context ctx, Object value) {
        try {
            ctx.contentType(JSON).result(Json.MAPPER.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void error(Context ctx, HttpStatus status, String message) {
        ctx.status(status);
        json(ctx, Map.of("error", message));
    }
}
