package org.torch2nnef.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code torch2nnef} command line. Sub-commands register here. */
@Command(
        name = "torch2nnef",
        mixinStandardHelpOptions = true,
        versionProvider = Torch2Nnef.Version.class,
        description =
                "Export traced TorchScript models to NNEF for tract, and prove the result equal.",
        subcommands = {
            CommandLine.HelpCommand.class,
            InspectCommand.class,
            ExportCommand.class,
            CheckCommand.class,
            OpsCommand.class,
            ServeCommand.class
        })
public final class Torch2Nnef implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(
            names = "--stats",
            description =
                    "on exit, print wall time and peak Java heap to stderr (used by bench/run)")
    boolean stats;

    @Override
    public void run() {
        // No sub-command given: show what there is rather than doing nothing silently.
        spec.commandLine().usage(System.out);
    }

    /** Builds the command line; tests use it to run commands in-process. */
    public static CommandLine commandLine() {
        Torch2Nnef top = new Torch2Nnef();
        CommandLine cl = new CommandLine(top);
        cl.setExecutionStrategy(
                parsed -> {
                    RunStats watch = top.stats ? RunStats.start() : null;
                    int code;
                    try {
                        code = new CommandLine.RunLast().execute(parsed);
                    } catch (OutOfMemoryError | StackOverflowError e) {
                        // picocli rethrows errors; the user gets a sentence, not a stack trace.
                        java.util.List<CommandLine> ran = parsed.asCommandLineList();
                        code = UnexpectedFailure.report(e, ran.get(ran.size() - 1));
                    }
                    if (watch != null) {
                        watch.print(cl.getErr());
                    }
                    return code;
                });
        cl.setExecutionExceptionHandler(new UnexpectedFailure());
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** Reports the version recorded in the jar manifest by Maven. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Torch2Nnef.class.getPackage().getImplementationVersion();
            return new String[] {"torch2nnef " + (v == null ? "(development build)" : v)};
        }
    }
}
