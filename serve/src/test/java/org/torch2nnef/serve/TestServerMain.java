package org.torch2nnef.serve;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A service in its own JVM, for the load test's {@code kill -9}: {@code PORT DATA WORKERS QUEUE}.
 * Prints {@code listening PORT} once it takes requests.
 */
public final class TestServerMain {
    private TestServerMain() {}

    public static void main(String[] args) throws Exception {
        ServeServer server =
                new ServeServer(
                        new ServeConfig(
                                InetAddress.getLoopbackAddress(),
                                Integer.parseInt(args[0]),
                                Path.of(args[1]),
                                Optional.empty(),
                                Integer.parseInt(args[2]),
                                Integer.parseInt(args[3]),
                                64L << 20,
                                Duration.ofMinutes(2),
                                TestServers.SCREEN));
        int port = server.start();
        System.out.println("listening " + port);
        System.out.flush();
        Thread.currentThread().join();
    }
}
