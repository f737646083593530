package org.torch2nnef.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.torch2nnef.cli.CommandRun.run;

import java.nio.file.Files;
import java.nio.file.Path;
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
        assertTrue(r.err().contains(head), r.err());
        assertFalse(r.err().contains("null"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    private CommandRun export(Path model) {
        return run("export", model.toString(), "--input", "x=2,3,16", "-o", tmp + "/o.nnef.tgz");
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
}
