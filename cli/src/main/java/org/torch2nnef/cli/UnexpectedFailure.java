package org.torch2nnef.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Last line of defence for throwables no command turned into a message. Readers and checks bound
 * what they allocate and how deep they recurse, so reaching here means a bound was missed or a bug:
 * the user still gets a sentence and a documented exit code instead of a Java stack trace.
 */
final class UnexpectedFailure implements CommandLine.IExecutionExceptionHandler {

    /** README's exit-code table: an internal error of torch2nnef itself. */
    static final int INTERNAL_ERROR = 4;

    /** Set to print the stack trace too (for a bug report). */
    static final String TRACE_VARIABLE = "TORCH2NNEF_TRACE";

    @Override
    public int handleExecutionException(
            Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        return report(ex, cl);
    }

    /** Handles errors too: picocli passes only exceptions to the handler above. */
    static int report(Throwable t, CommandLine cl) {
        PrintWriter err = cl.getErr();
        String command = cl.getCommandName();
        int code;
        if (t instanceof OutOfMemoryError) {
            err.printf(
                    "%s: ran out of Java heap (max %d MiB): the model or its inputs need more than"
                            + " this process may hold. Raise it with"
                            + " TORCH2NNEF_JAVA_OPTS=-Xmx<size>, or lower the"
                            + " -Dtorch2nnef.limit.* bounds (README, Limits and hostile input).%n",
                    command, Runtime.getRuntime().maxMemory() >> 20);
            code = 2;
        } else if (t instanceof StackOverflowError) {
            err.printf(
                    "%s: the input is nested too deeply for the thread stack. Raise it with"
                            + " TORCH2NNEF_JAVA_OPTS=-Xss<size>, and please report the input: the"
                            + " readers should have refused it with a limit.%n",
                    command);
            code = 2;
        } else {
            err.printf(
                    "%s: internal error, a bug in torch2nnef: %s. Please report it with the"
                            + " command line; %s=1 prints the stack trace.%n",
                    command, t, TRACE_VARIABLE);
            code = INTERNAL_ERROR;
        }
        if (System.getenv(TRACE_VARIABLE) != null) {
            t.printStackTrace(err);
        }
        err.flush();
        return code;
    }
}
