package org.torch2nnef.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.export.ops.ActivationOps;
import org.torch2nnef.export.spi.ModuleExtractors;
import picocli.CommandLine;

/**
 * CONTRIBUTING.md's op table is the registry's: adding a translator without running bin/op-table
 * fails here.
 */
class OpTableTest {
    private static String table() throws Exception {
        return OpTableMarkdown.of(
                OpRegistry.standard(),
                ModuleExtractors.discover(OpTableTest.class.getClassLoader()));
    }

    @Test
    void contributingListsTheRegistrysOps() throws Exception {
        String doc = Files.readString(Path.of("..", "CONTRIBUTING.md"));
        int begin = doc.indexOf(OpTableMarkdown.BEGIN);
        int end = doc.indexOf(OpTableMarkdown.END);
        assertTrue(
                begin >= 0 && end > begin,
                "CONTRIBUTING.md has no op-table markers " + OpTableMarkdown.BEGIN);
        assertEquals(
                table(),
                doc.substring(begin, end + OpTableMarkdown.END.length() + 1),
                "CONTRIBUTING.md's op table is not the registry's: run bin/op-table and commit CONTRIBUTING.md");
    }

    @Test
    void tableHasEveryFamilyOpAndExtractor() throws Exception {
        String table = table();
        assertTrue(
                table.startsWith(
                        OpTableMarkdown.BEGIN + "\n| family | ops |\n| --- | --- |\n| `PrimOps` ("),
                table);
        assertTrue(
                table.contains("`aten::relu`") && table.contains("`aten::upsample_linear1d`"),
                table);
        assertTrue(table.contains("\n" + OpRegistry.standard().kinds().size() + " ops; "), table);
        assertTrue(
                table.contains("| `torch.nn.modules.rnn.LSTM` | `org.torch2nnef.extractors."),
                table);
        // a registry with one family fewer gives another table: a stale CONTRIBUTING.md is caught
        OpRegistry fewer = new OpRegistry();
        OpRegistry.STANDARD_FAMILIES.stream()
                .filter(f -> !(f instanceof ActivationOps))
                .forEach(fewer::add);
        String without = OpTableMarkdown.of(fewer, ModuleExtractors.none());
        assertFalse(without.contains("`ActivationOps`"), without);
        assertFalse(without.equals(table));
    }

    @Test
    void opsMarkdownPrintsTheTable() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cl = Torch2Nnef.commandLine();
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("ops", "--markdown"));
        assertEquals(table(), out.toString());
    }
}
