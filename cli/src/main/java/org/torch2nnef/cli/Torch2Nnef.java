package org.torch2nnef.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code torch2nnef} command line. Sub-commands register here. */
@Command(
    name = "torch2nnef",
    mixinStandardHelpOptions = true,
    versionProvider = Torch2Nnef.Version.class,
    description = "Export traced TorchScript models to NNEF for tract, and prove the result equal.",
    subcommands = {CommandLine.HelpCommand.class, InspectCommand.class, ExportCommand.class, CheckCommand.class})
public final class Torch2Nnef implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    // No sub-command given: show what there is rather than doing nothing silently.
    spec.commandLine().usage(System.out);
  }

  /** Builds the command line; tests use it to run commands in-process. */
  public static CommandLine commandLine() {
    return new CommandLine(new Torch2Nnef());
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
