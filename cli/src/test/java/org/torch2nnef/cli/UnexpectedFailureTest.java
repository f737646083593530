package org.torch2nnef.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** A throwable no command handled still ends in a sentence and a documented exit code. */
class UnexpectedFailureTest {

    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        final Throwable thrown;

        Boom(Throwable thrown) {
            this.thrown = thrown;
        }

        @Override
        public Integer call() throws Exception {
            if (thrown instanceof Error e) {
                throw e;
            }
            throw (Exception) thrown;
        }
    }

    private static CommandRun runBoom(Throwable thrown) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Torch2Nnef.commandLine();
        cl.addSubcommand("boom", new Boom(thrown));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return new CommandRun(cl.execute("boom"), out.toString(), err.toString());
    }

    private static void assertNoStackTrace(CommandRun run) {
        assertFalse(run.err().contains("\tat "), run.err());
        assertFalse(run.err().contains("Exception in"), run.err());
    }

    @Test
    void outOfMemoryIsAnInputErrorNamingTheHeapKnob() {
        CommandRun run = runBoom(new OutOfMemoryError("Java heap space"));
        assertEquals(2, run.exit());
        assertTrue(run.err().startsWith("boom: ran out of Java heap"), run.err());
        assertTrue(run.err().contains("TORCH2NNEF_JAVA_OPTS=-Xmx"), run.err());
        assertNoStackTrace(run);
    }

    @Test
    void stackOverflowIsAnInputErrorNamingTheStackKnob() {
        CommandRun run = runBoom(new StackOverflowError());
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("nested too deeply"), run.err());
        assertTrue(run.err().contains("-Xss"), run.err());
        assertNoStackTrace(run);
    }

    @Test
    void anyOtherExceptionIsAnInternalErrorWithoutAStackTrace() {
        CommandRun run = runBoom(new IllegalStateException("index 3 of 2"));
        assertEquals(UnexpectedFailure.INTERNAL_ERROR, run.exit());
        assertTrue(run.err().startsWith("boom: internal error, a bug in torch2nnef:"), run.err());
        assertTrue(run.err().contains("index 3 of 2"), run.err());
        assertNoStackTrace(run);
    }
}
