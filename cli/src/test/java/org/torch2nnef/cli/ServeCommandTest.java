package org.torch2nnef.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code torch2nnef serve}: its refusals, and README's curl example run against the real command,
 * whose archive must be {@code torch2nnef export}'s and whose report must say EQUAL.
 */
class ServeCommandTest {
    @TempDir Path tmp;

    @Test
    void aNonLoopbackAddressWithoutATokenIsRefused() {
        CommandRun r =
                CommandRun.run(
                        "serve", "--port", "0", "--data", tmp.toString(), "--bind", "0.0.0.0");
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().contains("--token-file"), r.err());
    }

    @Test
    void badTokensAndSizesAreRefused() throws Exception {
        Path shortToken = Files.writeString(tmp.resolve("token"), "abc\n");
        CommandRun r =
                CommandRun.run(
                        "serve",
                        "--port",
                        "0",
                        "--data",
                        tmp.resolve("d").toString(),
                        "--token-file",
                        shortToken.toString());
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().contains("too short"), r.err());
        CommandRun size =
                CommandRun.run(
                        "serve", "--port", "0", "--data", tmp.toString(), "--max-upload", "12Q");
        assertEquals(2, size.exit(), size.all());
        assertTrue(size.err().contains("invalid size '12Q'"), size.err());
    }

    @Test
    void readmeCurlExampleGivesAnEqualReportAndTheCliArchive() throws Exception {
        assumeTrue(
                onPath("curl") && onPath("jq"),
                "README's Service example needs curl and jq (apt-get install curl jq)");
        Path readme = Path.of("..", "README.md");
        String section =
                Files.readString(readme).split("\n## Service\n", 2)[1].split("\n## ", 2)[0];
        Matcher block = Pattern.compile("```sh\n(job=.*?)```", Pattern.DOTALL).matcher(section);
        assertTrue(block.find(), "README's Service section has the curl example");
        Path model = Path.of("..", "samples", "models", "conv_relu_linear.pt").toRealPath();

        Process server =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Dai.djl.offline=true",
                                "-cp",
                                System.getProperty("java.class.path"),
                                Torch2Nnef.class.getName(),
                                "serve",
                                "--port",
                                "0",
                                "--data",
                                tmp.resolve("data").toString())
                        .redirectError(tmp.resolve("server.err").toFile())
                        .start();
        try {
            BufferedReader out =
                    new BufferedReader(
                            new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(
                    line != null && line.contains("listening on http://127.0.0.1:"),
                    line + "\n" + Files.readString(tmp.resolve("server.err")));
            String port = line.replaceAll(".*127\\.0\\.0\\.1:(\\d+)/.*", "$1");
            String script =
                    block.group(1)
                            .replace("127.0.0.1:8080", "127.0.0.1:" + port)
                            .replace("samples/models/conv_relu_linear.pt", model.toString());
            Path work = Files.createDirectories(tmp.resolve("client"));
            Process curl =
                    new ProcessBuilder("bash", "-euo", "pipefail", "-c", script)
                            .directory(work.toFile())
                            .redirectErrorStream(true)
                            .start();
            String printed =
                    new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(curl.waitFor(3, TimeUnit.MINUTES), "the example did not end");
            assertEquals(0, curl.exitValue(), printed);
            assertTrue(Files.readString(work.resolve("report.json")).contains("\"EQUAL\""));

            Path cli = tmp.resolve("cli").resolve("conv_relu_linear.nnef.tgz");
            Files.createDirectories(cli.getParent());
            CommandRun export =
                    CommandRun.run(
                            "export",
                            model.toString(),
                            "-o",
                            cli.toString(),
                            "--input",
                            "x=2,3,16");
            assertEquals(0, export.exit(), export.all());
            assertArrayEquals(
                    Files.readAllBytes(cli),
                    Files.readAllBytes(work.resolve("conv_relu_linear.nnef.tgz")),
                    "the service's archive is torch2nnef export's");
        } finally {
            server.destroy(); // SIGTERM: the shutdown hook stops the server
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "serve did not stop on SIGTERM");
        }
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
