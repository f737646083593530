package org.torch2nnef.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.torch2nnef.cli.CommandRun.run;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code --input} line means the same to export, inspect and check: it names a forward argument,
 * or declares the one at its position under the NNEF name it gives.
 */
class InputLinesTest {
    private static final String MODEL =
            Path.of("..", "samples", "models", "conv_relu_linear.pt")
                    .toAbsolutePath()
                    .normalize()
                    .toString();

    @TempDir Path tmp;

    @Test
    void exportAndInspectAcceptTheSameLinesByPositionAndByName() {
        for (String name : List.of("input_0", "x")) {
            String out = tmp.resolve(name + ".nnef.tgz").toString();
            CommandRun exported =
                    run(
                            "export",
                            MODEL,
                            "--input",
                            name + "=2,3,16",
                            "--dynamic-axes",
                            name + ":0=B",
                            "-o",
                            out);
            assertEquals(0, exported.exit(), exported.err());
            assertTrue(
                    exported.out().contains("\n  inputs:  [" + name + ": float32[B,3,16]]\n"),
                    exported.out());
            CommandRun inspected =
                    run(
                            "inspect",
                            MODEL,
                            "--input",
                            name + "=2,3,16",
                            "--dynamic-axes",
                            name + ":0=B");
            assertEquals(0, inspected.exit(), inspected.err());
            assertTrue(
                    inspected.out().startsWith("inputs:\n  x: float32[B,3,16]\n"), inspected.out());
            assertTrue(
                    inspected.out().contains("outputs:\n  linear: float32[B,5]\n"),
                    inspected.out());
        }
    }

    @Test
    void exportAndInspectRefuseANameMatchingNothingWithOneMessage() {
        String message =
                MODEL
                        + " has no input 'z'; its inputs are [x] (--input binds a forward argument by name, or"
                        + " by position under its NNEF name)\n";
        CommandRun exported =
                run(
                        "export",
                        MODEL,
                        "--input",
                        "x=2,3,16",
                        "--input",
                        "z=1",
                        "-o",
                        tmp.resolve("m.nnef.tgz").toString());
        assertEquals(2, exported.exit(), exported.err());
        assertEquals("torch2nnef export: " + message, exported.err());
        CommandRun inspected = run("inspect", MODEL, "--input", "x=2,3,16", "--input", "z=1");
        assertEquals(2, inspected.exit(), inspected.err());
        assertEquals("torch2nnef inspect: " + message, inspected.err());
    }

    @Test
    void checkBindsAForwardArgumentNameToTheInputExportNamedByPosition() {
        String out = tmp.resolve("m.nnef.tgz").toString();
        assertEquals(
                0,
                run(
                                "export",
                                MODEL,
                                "--input",
                                "input_0=2,3,16",
                                "--dynamic-axes",
                                "x:0=B",
                                "-o",
                                out)
                        .exit());
        CommandRun byForwardName =
                run("check", MODEL, out, "--input", "x=3,3,16", "--checker", "reference");
        assertEquals(0, byForwardName.exit(), byForwardName.out() + byForwardName.err());
        CommandRun byNnefName =
                run("check", MODEL, out, "--input", "input_0=1,3,16", "--checker", "reference");
        assertEquals(0, byNnefName.exit(), byNnefName.out() + byNnefName.err());
        CommandRun unknown =
                run("check", MODEL, out, "--input", "z=3,3,16", "--checker", "reference");
        assertEquals(2, unknown.exit(), unknown.out() + unknown.err());
        assertTrue(
                unknown.err()
                        .startsWith(
                                MODEL
                                        + " has no input 'z'; its inputs are [x, input_0] (--input binds a"
                                        + " forward argument by name, or by position under its NNEF name)\n"),
                unknown.err());
    }
}
