package org.torch2nnef.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
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
}
