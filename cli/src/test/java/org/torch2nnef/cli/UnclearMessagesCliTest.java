package org.torch2nnef.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.torch2nnef.cli.CommandRun.run;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, item 10: damaged inputs whose messages were "null", a bare file name or a misleading
 * diagnosis now name the file, the entry and what is wrong, with exit 2 and no stack trace.
 */
class UnclearMessagesCliTest {
    private static final String CODE = "conv_relu_linear/code/__torch__.py";

    @TempDir Path tmp;

    private static void assertRefused(CommandRun r, String head) {
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.all().contains(head), r.all());
        assertFalse(r.all().contains("null"), r.all());
        assertFalse(r.all().contains("\tat "), "no stack trace: " + r.all());
    }

    private CommandRun export(Path model) {
        return export(model, tmp.resolve("o.nnef.tgz"));
    }

    private static CommandRun export(Path model, Path out) {
        return run("export", model.toString(), "--input", "x=2,3,16", "-o", out.toString());
    }

    @Test
    void aDuplicateZipEntryIsNamed() throws Exception {
        Map<String, byte[]> entries = ModelZips.entries();
        entries.put("conv_relu_linear/data.pkX", entries.get("conv_relu_linear/data.pkl"));
        byte[] zip = ModelZips.zip(entries);
        ModelZips.rename(zip, "conv_relu_linear/data.pkX", "conv_relu_linear/data.pkl");
        Path model = Files.write(tmp.resolve("dup.pt"), zip);
        assertRefused(
                export(model),
                "duplicate entry 'conv_relu_linear/data.pkl' in "
                        + model
                        + ": the zip directory lists it more than once");
        assertFalse(Files.exists(tmp.resolve("o.nnef.tgz")));
    }

    /** The sample, re-zipped with a central directory giving {@code size} for its code file. */
    private Path lyingCodeSize(int size) throws Exception {
        byte[] zip = ModelZips.zip(ModelZips.entries());
        ModelZips.patchCentralSize(zip, CODE, size);
        return Files.write(tmp.resolve("lying.pt"), zip);
    }

    @Test
    void aCodeEntryLargerThanItInflatesToIsNamed() throws Exception {
        Path model = lyingCodeSize(5000);
        assertRefused(
                export(model),
                "corrupt zip archive "
                        + model
                        + ": entry '"
                        + CODE
                        + "' inflates to fewer bytes than its declared size");
    }

    @Test
    void aCodeEntrySmallerThanItInflatesToIsNamed() throws Exception {
        Path model = lyingCodeSize(100);
        String head =
                "corrupt zip archive "
                        + model
                        + ": entry '"
                        + CODE
                        + "' inflates to more than its declared 100 bytes";
        assertRefused(export(model), head);
        assertRefused(run("inspect", model.toString()), head);
    }

    /** A good NNEF export of the sample, for checks that break something else. */
    private Path exported() {
        Path nnef = tmp.resolve("m.nnef.tgz");
        CommandRun r = export(ModelZips.sample(), nnef);
        assertEquals(0, r.exit(), r.err());
        return nnef;
    }

    @Test
    void aTruncatedNnefArchiveIsNamedByCheck() throws Exception {
        byte[] whole = Files.readAllBytes(exported());
        Path cut = Files.write(tmp.resolve("cut.nnef.tgz"), Arrays.copyOf(whole, whole.length / 2));
        CommandRun r = run("check", ModelZips.sample().toString(), cut.toString());
        assertRefused(r, cut + "!");
        assertTrue(r.all().contains("not a readable tar archive: unexpected end of data"), r.all());
    }

    @Test
    void aMissingInputsNpzIsNamedByCheck() {
        Path npz = tmp.resolve("nope.npz");
        assertRefused(
                run(
                        "check",
                        ModelZips.sample().toString(),
                        exported().toString(),
                        "--inputs-npz",
                        npz.toString()),
                "--inputs-npz " + npz + ": no such file");
    }

    @Test
    void aHugeLiteralIsNotEchoedWhole() throws Exception {
        Map<String, byte[]> entries = ModelZips.entries();
        String literal = "\"" + "A".repeat(100_000) + "\"";
        byte[] code = entries.get(CODE);
        entries.put(
                CODE,
                (new String(code, StandardCharsets.UTF_8) + literal + "\n")
                        .getBytes(StandardCharsets.UTF_8));
        Path model = Files.write(tmp.resolve("literal.pt"), ModelZips.zip(entries));
        CommandRun r = export(model);
        assertEquals(1, r.exit(), r.all());
        assertTrue(
                r.err().contains("but found '\"" + "A".repeat(79) + "…(100002 characters)'"),
                r.err());
        assertTrue(r.err().length() < 1000, r.err());
    }
}
