package org.torch2nnef.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.torch2nnef.check.CheckRequest;
import org.torch2nnef.check.CheckRunner;
import org.torch2nnef.check.CheckerMode;
import org.torch2nnef.check.TorchProbe;
import org.torch2nnef.check.compare.Approximation;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.torch.InputSpec;
import org.torch2nnef.check.tract.TractCheckRequest;
import picocli.CommandLine;
import picocli.CommandLine.Command;
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

  @Option(names = "--inputs-npz", paramLabel = "FILE",
      description = "Inputs keyed by NNEF input name (numpy .npz).")
  Path inputsNpz;

  @Option(names = "--input", paramLabel = "NAME=D0,D1,...[:DTYPE]",
      converter = InputSpecConverter.class,
      description = "Shape (and element type, default f32) of a seeded input, e.g."
          + " x=1,3,224,224 or ids=1,16:i64. Repeatable.")
  List<InputSpec> inputs = new ArrayList<>();

  @Option(names = "--checker", paramLabel = "auto|tract|reference", defaultValue = "auto",
      converter = CheckerModeConverter.class,
      description = "auto (default): tract when found, otherwise the reference interpreter.")
  CheckerMode checker;

  @Option(names = "--tract", paramLabel = "PATH",
      description = "The tract executable (otherwise TRACT_BIN, then PATH).")
  Path tract;

  @Option(names = "--approx", paramLabel = "LEVEL", defaultValue = "approximate",
      converter = ApproximationConverter.class,
      description = "exact, close, approximate (default), very, super or ultra, as in tract.")
  Approximation approximation;

  @Option(names = "--check-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long tract may run: 90s, 10m, 1h or ISO-8601 (default 10m).")
  Duration timeout = TractCheckRequest.DEFAULT_TIMEOUT;

  @Option(names = "--report", paramLabel = "FILE", description = "Also write the report as JSON.")
  Path report;

  @Option(names = "--debug-bundle", paramLabel = "DIR|FILE.tgz",
      description = "When the check fails, write the model, io.npz, run.sh, the checker's output,"
          + " versions and the export log there.")
  Path debugBundle;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
      description = "Seed of the generated inputs (default 0).")
  long seed;

  @Option(names = "--torch-intermediates", paramLabel = "FILE",
      description = "Torch's intermediate values keyed by NNEF tensor name (.npz); on a mismatch"
          + " the report names the first NNEF tensor that diverges (reference interpreter).")
  Path torchIntermediates;

  @Option(names = "--torch-probe", paramLabel = "PROBE.pt",
      description = "A TorchScript taking the same inputs whose forward returns torch's values of"
          + " the --probe-tensors NNEF tensors, in order; on a mismatch the report names the first"
          + " NNEF tensor that diverges (reference interpreter).")
  Path torchProbe;

  @Option(names = "--probe-tensors", paramLabel = "NAME", split = ",",
      description = "The NNEF tensor names of --torch-probe's outputs, comma-separated.")
  List<String> probeTensors = new ArrayList<>();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    CheckRequest.Builder b = CheckRequest.builder(torchScript, nnefModel).mode(checker)
        .approximation(approximation).inputShapes(inputs).seed(seed).timeout(timeout);
    if (inputsNpz != null) {
      b.inputsNpz(inputsNpz);
    }
    if (tract != null) {
      b.tract(tract);
    }
    if (report != null) {
      b.reportJson(report);
    }
    if (debugBundle != null) {
      b.debugBundle(debugBundle);
    }
    if (torchIntermediates != null) {
      b.torchIntermediates(torchIntermediates);
    }
    if ((torchProbe == null) != probeTensors.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--torch-probe and --probe-tensors go together");
    }
    if (torchProbe != null) {
      b.torchProbe(new TorchProbe(torchProbe, probeTensors));
    }
    CheckReport result = CheckRunner.run(b.build());
    PrintWriter out = spec.commandLine().getOut();
    out.print(result.toConsoleTable());
    out.flush();
    return result.exitCode();
  }

  static final class InputSpecConverter implements CommandLine.ITypeConverter<InputSpec> {
    @Override
    public InputSpec convert(String value) {
      return InputSpec.parse(value);
    }
  }

  static final class CheckerModeConverter implements CommandLine.ITypeConverter<CheckerMode> {
    @Override
    public CheckerMode convert(String value) {
      return CheckerMode.parse(value);
    }
  }

  static final class ApproximationConverter
      implements CommandLine.ITypeConverter<Approximation> {
    @Override
    public Approximation convert(String value) {
      return Approximation.parse(value);
    }
  }

  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return Durations.parse(value);
    }
  }
}
