package org.torch2nnef.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One in-process run of the torch2nnef command line: its exit code and what it printed. */
record CommandRun(int exit, String out, String err) {
    static CommandRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Torch2Nnef.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new CommandRun(exit, out.toString(), err.toString());
    }

    /** What it printed on both streams (check prints its verdict on stdout). */
    String all() {
        return out + err;
    }
}
