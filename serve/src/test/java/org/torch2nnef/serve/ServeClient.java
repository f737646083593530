package org.torch2nnef.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A test client of the service over loopback, with multipart uploads. */
final class ServeClient {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    ServeClient(int port, String token) {
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> getBytes(String path) throws IOException, InterruptedException {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return http.send(request(path).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A file part sent under another name than its own (as a hostile client may). */
    record Named(String filename, Path file) {}

    /** POSTs {@code files} (part name to a Path or {@link Named}) and {@code options}. */
    HttpResponse<String> post(String path, Map<String, ?> files, String options)
            throws IOException, InterruptedException {
        Map<String, Object> parts = new LinkedHashMap<>(files);
        if (options != null) {
            parts.put("options", options);
        }
        String boundary = "b" + System.nanoTime();
        return http.send(
                request(path)
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, parts)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postExport(Path model, String options)
            throws IOException, InterruptedException {
        return post("/v1/exports", Map.of("model", model), options);
    }

    private static byte[] multipart(String boundary, Map<String, Object> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (var e : parts.entrySet()) {
                out.write(("--" + boundary + "\r\n").getBytes(StandardCharsets.UTF_8));
                Named n =
                        e.getValue() instanceof Path p
                                ? new Named(p.getFileName().toString(), p)
                                : e.getValue() instanceof Named named ? named : null;
                if (n != null) {
                    Path p = n.file();
                    out.write(
                            ("Content-Disposition: form-data; name=\""
                                            + e.getKey()
                                            + "\"; filename=\""
                                            + n.filename()
                                            + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                                    .getBytes(StandardCharsets.UTF_8));
                    out.write(Files.readAllBytes(p));
                } else {
                    out.write(
                            ("Content-Disposition: form-data; name=\"" + e.getKey() + "\"\r\n\r\n")
                                    .getBytes(StandardCharsets.UTF_8));
                    out.write(e.getValue().toString().getBytes(StandardCharsets.UTF_8));
                }
                out.write("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return Json.MAPPER.readTree(r.body());
    }

    /** Polls the job until it ends; its last view. */
    JsonNode awaitEnd(String id, Duration limit) throws IOException, InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (true) {
            JsonNode j = json(get("/v1/jobs/" + id));
            String s = j.path("state").asText();
            if (!s.equals("queued") && !s.equals("running")) {
                return j;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError(
                        "job " + id + " still " + s + " after " + limit + ": " + j);
            }
            Thread.sleep(50);
        }
    }
}
