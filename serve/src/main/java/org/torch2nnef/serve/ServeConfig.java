package org.torch2nnef.serve;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.torch2nnef.check.TorchScriptScreen;

/**
 * How {@code torch2nnef serve} runs.
 *
 * @param bind the address listened on (loopback unless {@code --bind})
 * @param port the TCP port; 0 picks a free one
 * @param data where uploads, job records and results live; nothing is written outside it
 * @param token the bearer token every API call must carry; required on a non-loopback address
 * @param workers jobs run at once
 * @param queueSize jobs waiting at most; more are refused with 429
 * @param maxUpload bytes of one request's uploads at most
 * @param jobTimeout how long one job may run
 * @param screen the CLI's first reading of a TorchScript (its hostile-input limits), run before the
 *     exporter and before libtorch is handed a model
 */
public record ServeConfig(
        InetAddress bind,
        int port,
        Path data,
        Optional<String> token,
        int workers,
        int queueSize,
        long maxUpload,
        Duration jobTimeout,
        TorchScriptScreen screen) {

    public ServeConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(jobTimeout, "jobTimeout");
        Objects.requireNonNull(screen, "screen");
        if (workers < 1) {
            throw new IllegalArgumentException("--workers must be at least 1, not " + workers);
        }
        if (queueSize < 1) {
            throw new IllegalArgumentException("--queue-size must be at least 1, not " + queueSize);
        }
        if (maxUpload < 1) {
            throw new IllegalArgumentException("--max-upload must be positive");
        }
        if (token.isEmpty() && !bind.isLoopbackAddress()) {
            throw new IllegalArgumentException(
                    "--bind "
                            + bind.getHostAddress()
                            + " is reachable from other machines: give --token-file FILE with a bearer"
                            + " token (only a loopback address may run without one)");
        }
        if (token.isPresent() && token.get().length() < 16) {
            throw new IllegalArgumentException(
                    "the token is too short: use at least 16 characters (e.g. openssl rand -hex 32)");
        }
    }
}
