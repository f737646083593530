package org.torch2nnef.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.torch2nnef.cli.CommandRun.run;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.check.HandWrittenModels;

/**
 * Issue 14 end to end through {@code check}: a TorchScript that loops forever or whose pickle is a
 * flood of opcodes ends quickly with a message, never a hang or a libtorch crash.
 */
class HostileTorchScriptCheckTest {
    @TempDir Path tmp;

    private String nnefModel() throws IOException {
        return HandWrittenModels.write("tiny_tuple", "tiny_tuple_weights.npz", tmp.resolve("m"))
                .toString();
    }

    private CommandRun check(Path pt) throws IOException {
        String nnef = nnefModel();
        return assertTimeoutPreemptively(
                Duration.ofMinutes(2),
                () ->
                        run(
                                "check",
                                pt.toString(),
                                nnef,
                                "--checker",
                                "reference",
                                "--check-timeout",
                                "30s"));
    }

    @Test
    void aForwardLoopingForeverEndsWithAMessage() throws IOException {
        Map<String, byte[]> entries = ModelZips.entries();
        String code = "conv_relu_linear/code/__torch__.py";
        String forward =
                new String(entries.get(code), StandardCharsets.UTF_8)
                        .replace(
                                "    fc = self.fc\n",
                                "    while True:\n      x = torch.relu(x)\n    fc = self.fc\n");
        entries.put(code, forward.getBytes(StandardCharsets.UTF_8));
        Path pt = Files.write(tmp.resolve("loop.pt"), ModelZips.zip(entries));
        CommandRun r = check(pt);
        // our reader refuses it before libtorch could spin (the timeout would make it exit 3)
        assertEquals(2, r.exit(), r.all());
        assertTrue(
                r.all().contains(pt + ": code/__torch__.py:11: found a loop ('while')"), r.all());
        assertFalse(r.all().contains("\tat "), "no stack trace: " + r.all());
    }

    @Test
    void aPickleOfOneHundredFiftyMillionEmptyListsIsRefusedBeforeLibtorch() throws IOException {
        Path pt = tmp.resolve("flood.pt");
        try (OutputStream o = Files.newOutputStream(pt);
                ZipOutputStream zip = new ZipOutputStream(o)) {
            zip.putNextEntry(new ZipEntry("flood/version"));
            zip.write("3\n".getBytes(StandardCharsets.US_ASCII));
            zip.putNextEntry(new ZipEntry("flood/data.pkl"));
            zip.write(new byte[] {(byte) 0x80, 2}); // PROTO 2
            byte[] lists = new byte[1 << 20];
            Arrays.fill(lists, (byte) ']'); // EMPTY_LIST
            for (int i = 0; i < 150_000_000 / lists.length; i++) {
                zip.write(lists);
            }
            zip.write('.'); // STOP
            zip.closeEntry();
        }
        assertTrue(Files.size(pt) < 1 << 20, "the archive is small: " + Files.size(pt));
        CommandRun r = check(pt);
        assertEquals(2, r.exit(), r.all());
        assertTrue(
                r.all()
                        .contains(
                                pt
                                        + ": pickle limit: more than 10000000 values on the stack"
                                        + " (torch2nnef.limit.pickle.stack) in data.pkl"),
                r.all());
        assertFalse(r.all().contains("libtorch"), r.all());
        assertFalse(r.all().contains("\tat "), "no stack trace: " + r.all());
    }
}
