package org.torch2nnef.serve;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.torch2nnef.check.TorchScriptScreen;
import org.torch2nnef.export.ExportException;
import org.torch2nnef.export.ModelInputs;
import org.torch2nnef.export.TypedModel;

/** Servers for tests: loopback, port 0, the CLI's screen (the exporter's reader). */
final class TestServers {
    private TestServers() {}

    /**
     * What the CLI hands the service: the exporter's reader opens the model and builds its graph.
     */
    static final TorchScriptScreen SCREEN =
            pt -> {
                try (TypedModel m = TypedModel.open(pt, ModelInputs.NONE)) {
                    m.graph();
                } catch (ExportException e) {
                    throw new IOException(pt + ": " + e.getMessage(), e);
                }
            };

    static ServeConfig config(Path data, String token, int workers, int queue, long maxUpload) {
        return new ServeConfig(
                InetAddress.getLoopbackAddress(),
                0,
                data,
                Optional.ofNullable(token),
                workers,
                queue,
                maxUpload,
                Duration.ofMinutes(5),
                SCREEN);
    }

    /** One worker, a queue of 4, a 1 MiB upload limit, {@code timeout} and {@code screen}. */
    static ServeConfig config(Path data, Duration timeout, TorchScriptScreen screen) {
        return new ServeConfig(
                InetAddress.getLoopbackAddress(),
                0,
                data,
                Optional.empty(),
                1,
                4,
                1 << 20,
                timeout,
                screen);
    }

    static Path samples() {
        return Path.of(System.getProperty("samples.dir", "../samples"));
    }

    static Path sample(String name) {
        return samples().resolve("models").resolve(name + ".pt");
    }
}
