package org.torch2nnef.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.torch2nnef.export.OpRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code torch2nnef} command line. Sub-commands register here. */
@Command(
        name = "torch2nnef",
        mixinStandardHelpOptions = true,
        versionProvider = Torch2Nnef.Version.class,
        description =
                "Export traced TorchScript models to NNEF for tract, and prove the result equal.")
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

    /**
     * The sub-commands by name, in the order help lists them. Built on demand: picocli reads each
     * one's annotations by reflection, a large part of a small export's start-up.
     */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("help", CommandLine.HelpCommand::new);
        SUBCOMMANDS.put("inspect", InspectCommand::new);
        SUBCOMMANDS.put("export", ExportCommand::new);
        SUBCOMMANDS.put("check", CheckCommand::new);
        SUBCOMMANDS.put("ops", OpsCommand::new);
        SUBCOMMANDS.put("serve", ServeCommand::new);
    }

    /** Builds the command line with every sub-command; tests use it to run commands in-process. */
    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The command line with only the sub-command that {@code args} run when it is one of ours other
     * than {@code help} (which describes the others), with none for {@code --version}, else with
     * all of them.
     */
    static CommandLine commandLine(String[] args) {
        String only = args == null ? null : invoked(args);
        Torch2Nnef top = new Torch2Nnef();
        CommandLine cl = new CommandLine(top);
        SUBCOMMANDS.forEach(
                (name, command) -> {
                    if (only == null || only.equals(name)) {
                        cl.addSubcommand(name, command.get());
                    }
                });
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
        String invoked = invoked(args);
        if ("export".equals(invoked) || "inspect".equals(invoked)) {
            warmOpTable();
        }
        System.exit(commandLine(args).execute(args));
    }

    /**
     * Builds the op table (hundreds of translators, a quarter of a tiny export's main-thread time)
     * on another thread while picocli reads the command line, which takes as long; the command then
     * finds it built, or waits for the class initialisation to end. A failure is left for the
     * command to meet and report.
     */
    private static void warmOpTable() {
        Thread warm =
                new Thread(
                        () -> {
                            try {
                                OpRegistry.standard();
                            } catch (Throwable bug) { // the command meets it again and reports it
                            }
                        },
                        "torch2nnef-op-table");
        warm.setDaemon(true);
        warm.start();
    }

    /**
     * The sub-command {@code args} names (their first word that is not an option: the top-level
     * options take no value), null when that is none of ours or {@code help}; {@code ""} (none) for
     * a bare {@code --version}.
     */
    private static String invoked(String[] args) {
        boolean version = false;
        for (String a : args) {
            if (!a.startsWith("-")) {
                return SUBCOMMANDS.containsKey(a) && !a.equals("help") ? a : null;
            }
            version |= a.equals("-V") || a.equals("--version");
        }
        return version ? "" : null;
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
