package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.nnef.contract.ModelPropertyKeys;

/**
 * Which properties an export prints when the source digest is not finished: the placeholder and the
 * late text that replaces it, unless the placeholder text is already in the properties. The source
 * is a named pipe, whose digest waits until something opens the pipe for writing.
 */
class ProvenanceTest {
    /**
     * SHA-256 of no bytes (what the pipe yields once its writer closes), FIPS 180-4 test vectors.
     */
    private static final String EMPTY_SHA256 =
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @TempDir Path dir;

    private Path pipe() throws IOException, InterruptedException {
        Path fifo = dir.resolve("model.pt");
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        } catch (IOException e) {
            Assumptions.abort("mkfifo is not available: " + e.getMessage());
            throw e;
        }
        Assumptions.assumeTrue(p.waitFor() == 0, "mkfifo failed");
        return fifo;
    }

    /**
     * Lets the digest of the pipe finish: opening the pipe for writing and closing it ends its
     * input.
     */
    private static void release(Path fifo) throws IOException {
        Files.newOutputStream(fifo).close();
    }

    @Test
    void unfinishedDigestIsWrittenLate() throws Exception {
        Path fifo = pipe();
        ExportOptions options = ExportOptions.builder(dir.resolve("m.nnef.tar")).build();
        try (SourceDigest digest = SourceDigest.start(fifo)) {
            Exporter.Provenance p =
                    Exporter.provenance(
                            "model.pt",
                            digest,
                            Optional.empty(),
                            options,
                            Map.of(ModelPropertyKeys.SIZE_ASSUMPTIONS, "S == T"));
            assertEquals(SourceDigest.PENDING, p.properties().get("source_sha256"));
            assertEquals("S == T", p.properties().get(ModelPropertyKeys.SIZE_ASSUMPTIONS));
            assertEquals(64, SourceDigest.PENDING.length());
            assertEquals(SourceDigest.PENDING, p.late().placeholder());
            release(fifo);
            assertEquals(EMPTY_SHA256, p.late().value().call());
        }
    }

    @Test
    void placeholderTextInAPropertyMakesTheExportWaitForTheDigest() throws Exception {
        Path fifo = pipe();
        ExportOptions options =
                ExportOptions.builder(dir.resolve("m.nnef.tar"))
                        .property("note", "copied " + SourceDigest.PENDING)
                        .build();
        try (SourceDigest digest = SourceDigest.start(fifo)) {
            Thread releaser =
                    new Thread(
                            () -> {
                                try {
                                    Thread.sleep(200);
                                    release(fifo);
                                } catch (IOException | InterruptedException e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            releaser.start();
            Exporter.Provenance p =
                    Exporter.provenance("model.pt", digest, Optional.empty(), options, Map.of());
            releaser.join();
            assertNull(p.late());
            assertEquals(EMPTY_SHA256, p.properties().get("source_sha256"));
        }
    }

    @Test
    void finishedDigestIsPrintedDirectly() throws Exception {
        Path file = Files.writeString(dir.resolve("m.pt"), "");
        ExportOptions options = ExportOptions.builder(dir.resolve("m.nnef.tar")).build();
        try (SourceDigest digest = SourceDigest.start(file)) {
            assertEquals(EMPTY_SHA256, digest.get());
            Exporter.Provenance p =
                    Exporter.provenance("m.pt", digest, Optional.empty(), options, Map.of());
            assertNull(p.late());
            assertEquals(EMPTY_SHA256, p.properties().get("source_sha256"));
        }
    }
}
