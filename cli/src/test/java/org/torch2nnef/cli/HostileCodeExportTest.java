package org.torch2nnef.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.torch2nnef.cli.CommandRun.run;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README sample with its ReLU's forward rewritten into hostile code: export refuses it as an
 * input error (exit 2) naming model, code file, line and limit, prints no stack trace and writes
 * nothing.
 */
class HostileCodeExportTest {
    private static final String RELU = "code/__torch__/torch/nn/modules/activation.py";
    private static final String RETURN = "return torch.relu(argument_1)";

    @TempDir Path tmp;

    /** The sample with the ReLU's {@code return} line replaced by {@code statement}. */
    private Path withReluReturning(String statement) throws IOException {
        Path source = Path.of("..", "samples", "models", "conv_relu_linear.pt");
        Path file = tmp.resolve("hostile.pt");
        try (ZipFile in = new ZipFile(source.toFile());
                OutputStream out = Files.newOutputStream(file);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            for (ZipEntry e : Collections.list(in.entries())) {
                byte[] bytes = in.getInputStream(e).readAllBytes();
                if (e.getName().endsWith(RELU)) {
                    String code = new String(bytes, StandardCharsets.UTF_8);
                    assertTrue(code.contains(RETURN), code);
                    bytes = code.replace(RETURN, statement).getBytes(StandardCharsets.UTF_8);
                }
                zip.putNextEntry(new ZipEntry(e.getName()));
                zip.write(bytes);
                zip.closeEntry();
            }
        }
        return file;
    }

    private CommandRun export(Path model, Path out) {
        return run("export", model.toString(), "--input", "x=2,3,16", "-o", out.toString());
    }

    @Test
    void forwardCallingItselfIsAnInputError() throws IOException {
        Path model = withReluReturning("return (self).forward(argument_1, )");
        Path out = tmp.resolve("out.nnef.tgz");
        CommandRun r = export(model, out);
        assertEquals(2, r.exit(), r.err());
        // the position, then the line of the Python source torch recorded for it
        assertTrue(
                r.err().startsWith("torch2nnef export: " + model + ": " + RELU + ":8:13 ("),
                r.err());
        assertTrue(
                r.err()
                        .contains(
                                "recursive call of forward: it is already being inlined (traced code never"
                                        + " recurses) [module relu (torch.nn.modules.activation.ReLU)]"),
                r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void hundredThousandNestedParenthesesAreAnInputError() throws IOException {
        int n = 100_000;
        Path model = withReluReturning("return " + "(".repeat(n) + "argument_1" + ")".repeat(n));
        Path out = tmp.resolve("out.nnef.tgz");
        CommandRun r = export(model, out);
        assertEquals(2, r.exit(), r.err());
        assertTrue(
                r.err().startsWith("torch2nnef export: " + model + ": " + RELU + ":8:"), r.err());
        assertTrue(
                r.err()
                        .contains(
                                "expression nested deeper than 400 levels (limit 400, raise with"
                                        + " -Dtorch2nnef.limit.expressionDepth=N)"),
                r.err());
        assertFalse(Files.exists(out));
    }
}
