package org.torch2nnef.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.torch2nnef.serve.ByteSize;
import org.torch2nnef.serve.ServeConfig;
import org.torch2nnef.serve.ServeServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code torch2nnef serve --port P --data DIR}: the export-and-validation service (module {@code
 * serve}); this command only reads its options and hands it the CLI's TorchScript screen.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serve exports and checks over HTTP: the JSON API under /v1 (GET /v1/openapi.json"
                    + " describes it), a web page at /, /healthz, /readyz and /metrics.",
            "Listens on 127.0.0.1 unless --bind says otherwise; any other address needs --token-file."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stopped (SIGTERM, Ctrl-C)",
            "2:usage error (bad option, no token for a non-loopback address, unusable data folder"
                    + " or port)"
        })
final class ServeCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--port",
            required = true,
            paramLabel = "P",
            description = "TCP port (0: any free one, printed)")
    int port;

    @Option(
            names = "--data",
            required = true,
            paramLabel = "DIR",
            description = "where uploads, job records and results are kept (they survive restarts)")
    Path data;

    @Option(
            names = "--bind",
            paramLabel = "ADDR",
            defaultValue = "127.0.0.1",
            description = "address to listen on; default: ${DEFAULT-VALUE}")
    String bind;

    @Option(
            names = "--token-file",
            paramLabel = "F",
            description =
                    "file holding the bearer token every API call must carry (required unless"
                            + " --bind is a loopback address)")
    Path tokenFile;

    @Option(
            names = "--workers",
            paramLabel = "N",
            defaultValue = "2",
            description = "jobs run at once; default: ${DEFAULT-VALUE}")
    int workers;

    @Option(
            names = "--queue-size",
            paramLabel = "N",
            defaultValue = "32",
            description =
                    "jobs that may wait for a worker; more are refused with 429 and Retry-After;"
                            + " default: ${DEFAULT-VALUE}")
    int queueSize;

    @Option(
            names = "--max-upload",
            paramLabel = "SIZE",
            defaultValue = "512M",
            description = "largest upload, e.g. 512M or 2G; default: ${DEFAULT-VALUE}")
    String maxUpload;

    @Option(
            names = "--job-timeout",
            paramLabel = "D",
            defaultValue = "10m",
            converter = CheckOptions.DurationConverter.class,
            description = "time limit of one job (90s, 10m, 1h); default: ${DEFAULT-VALUE}")
    Duration jobTimeout;

    @Override
    public Integer call() throws InterruptedException {
        var err = spec.commandLine().getErr();
        ServeConfig config;
        try {
            config =
                    new ServeConfig(
                            InetAddress.getByName(bind),
                            port,
                            data,
                            token(),
                            workers,
                            queueSize,
                            ByteSize.parse(maxUpload),
                            jobTimeout,
                            new ExporterTorchScriptScreen());
        } catch (IllegalArgumentException | UnknownHostException e) {
            err.println("torch2nnef serve: " + e.getMessage());
            return ExportCommand.EXIT_USAGE;
        } catch (IOException e) {
            err.println("torch2nnef serve: --token-file " + tokenFile + ": " + e.getMessage());
            return ExportCommand.EXIT_USAGE;
        }
        ServeServer server;
        int bound;
        try {
            server = new ServeServer(config);
            bound = server.start();
        } catch (IOException | RuntimeException e) {
            err.println("torch2nnef serve: cannot start: " + e.getMessage());
            return ExportCommand.EXIT_USAGE;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    server.close();
                                    stopped.countDown();
                                }));
        var out = spec.commandLine().getOut();
        out.println(
                "torch2nnef serve: listening on http://"
                        + hostForUrl(config.bind())
                        + ":"
                        + bound
                        + "/ (data: "
                        + data.toAbsolutePath()
                        + (config.token().isPresent() ? ", bearer token required" : "")
                        + ")");
        out.flush();
        stopped.await();
        return 0;
    }

    private Optional<String> token() throws IOException {
        if (tokenFile == null) {
            return Optional.empty();
        }
        String t = Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
        if (t.isEmpty()) {
            throw new IOException("the file is empty");
        }
        return Optional.of(t);
    }

    private static String hostForUrl(InetAddress a) {
        String h = a.getHostAddress();
        return h.contains(":") ? "[" + h + "]" : h;
    }
}
