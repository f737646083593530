package org.torch2nnef.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class Torch2NnefTest {

    @Test
    void helpNamesTheTool() {
        StringWriter out = new StringWriter();
        CommandLine cl = Torch2Nnef.commandLine();
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("--help"));
        assertTrue(out.toString().contains("Usage: torch2nnef"), out.toString());
    }

    @Test
    void unknownOptionIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cl = Torch2Nnef.commandLine();
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("--no-such-option"));
        assertTrue(err.toString().contains("--no-such-option"), err.toString());
    }

    @Test
    void onlyTheInvokedSubCommandIsBuiltExceptForHelp() {
        assertEquals(
                Set.of("export"),
                Torch2Nnef.commandLine(new String[] {"--stats", "export", "m.pt"})
                        .getSubcommands()
                        .keySet());
        assertEquals(
                List.of("help", "inspect", "export", "check", "ops", "serve"),
                List.copyOf(
                        Torch2Nnef.commandLine(new String[] {"help", "export"})
                                .getSubcommands()
                                .keySet()));
        assertEquals(6, Torch2Nnef.commandLine(new String[] {"exprt"}).getSubcommands().size());
        StringWriter out = new StringWriter();
        CommandLine help = Torch2Nnef.commandLine(new String[] {"help", "export"});
        help.setOut(new PrintWriter(out));
        assertEquals(0, help.execute("help", "export"));
        assertTrue(out.toString().contains("--compression-level"), out.toString());
    }

    @Test
    void versionBuildsNoSubCommand() {
        CommandLine cl = Torch2Nnef.commandLine(new String[] {"--version"});
        assertEquals(Set.of(), cl.getSubcommands().keySet());
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("--version"));
        assertTrue(out.toString().startsWith("torch2nnef "), out.toString());
        assertEquals(
                Set.of("export"),
                Torch2Nnef.commandLine(new String[] {"export", "--version"})
                        .getSubcommands()
                        .keySet());
        assertEquals(
                Set.of("export"),
                Torch2Nnef.commandLine(new String[] {"-V", "export"}).getSubcommands().keySet());
    }
}
