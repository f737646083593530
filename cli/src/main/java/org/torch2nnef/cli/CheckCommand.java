package org.torch2nnef.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.torch2nnef.check.CheckRunner;
import org.torch2nnef.check.CheckerMode;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.tract.TractCheck;
import org.torch2nnef.export.TractTarget;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code torch2nnef check MODEL.pt MODEL.nnef[.tgz|.tar]}: proves an exported model equal. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
        "Runs the TorchScript model through libtorch (DJL) and the exported NNEF model through"
            + " tract or the built-in reference interpreter on the same inputs, and compares"
            + " every output.",
        "Inputs are read from --inputs-npz, or generated from --seed with the shapes declared in"
            + " graph.nnef (give --input for symbolic dimensions). NNEF inputs and outputs map in"
            + " order onto forward's arguments and its flattened outputs."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:every output is within tolerance",
        "1:an output differs, or the checker rejected the model",
        "2:usage or input error (bad option, unreadable model or inputs)",
        "3:the checker is unavailable (no tract found for --checker tract), crashed, timed out,"
            + " or cannot execute an op"})
final class CheckCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "MODEL.pt", description = "The traced TorchScript file.")
  Path torchScript;

  @Parameters(index = "1", paramLabel = "MODEL.nnef",
      description = "The exported model: directory, .nnef.tar or .nnef.tgz.")
  Path nnefModel;

  @Option(names = "--checker", paramLabel = "auto|tract|reference", defaultValue = "auto",
      converter = CheckOptions.CheckerModeConverter.class,
      description = "auto (default): tract when found, otherwise the reference interpreter.")
  CheckerMode checker;

  @Option(names = "--tract-version", paramLabel = "X.Y.Z", defaultValue = "0.22.3",
      description = "the tract release the model was exported for (export --tract-version); a warning says when the"
          + " tract checking it is another release. Default: ${DEFAULT-VALUE}")
  String tractVersion;

  @Mixin CheckOptions options;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    TractTarget target;
    try {
      target = TractTarget.parse(tractVersion);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--tract-version: " + e.getMessage());
    }
    CheckReport result = CheckRunner.run(
        options.request(torchScript, nnefModel, checker, spec.commandLine()).build());
    versionWarning(result, target).ifPresent(w -> {
      spec.commandLine().getErr().println(w);
      spec.commandLine().getErr().flush();
    });
    PrintWriter out = spec.commandLine().getOut();
    out.print(result.toConsoleTable());
    out.flush();
    return result.exitCode();
  }

  /**
   * @param report a check's report
   * @param target the release the model was exported for
   * @return a warning when tract checked it and is another release than the target
   */
  static java.util.Optional<String> versionWarning(CheckReport report, TractTarget target) {
    if (!report.checker().equals(TractCheck.CHECKER) || report.checkerVersion().equals(target.toString())
        || report.checkerVersion().equals("unknown")) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of("torch2nnef check: warning: the model targets tract " + target
        + " but was checked with tract " + report.checkerVersion() + " (tract's command line was adapted to "
        + report.checkerVersion() + ")");
  }
}
