package org.torch2nnef.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.torch2nnef.check.CheckRequest;
import org.torch2nnef.check.CheckerMode;
import org.torch2nnef.check.TorchProbe;
import org.torch2nnef.check.compare.Approximation;
import org.torch2nnef.check.torch.InputSpec;
import org.torch2nnef.check.tract.TractCheckRequest;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options of a check, shared by {@code check} and {@code export --check} as a picocli
 * {@code @Mixin}; the checker mode is each command's own option ({@code --checker},
 * {@code --check[=MODE]}).
 */
final class CheckOptions {
  @Option(names = "--inputs-npz", paramLabel = "FILE",
      description = "Inputs keyed by NNEF input name (numpy .npz).")
  Path inputsNpz;

  @Option(names = "--input", paramLabel = "NAME=D0,D1,...[:DTYPE]",
      converter = InputSpecConverter.class,
      description = "Shape (and element type, default f32) of a seeded input, e.g."
          + " x=1,3,224,224 or ids=1,16:i64. Repeatable.")
  List<InputSpec> inputs = new ArrayList<>();

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

  /**
   * A request checking {@code nnefModel} against {@code torchScript} with these options.
   *
   * @throws CommandLine.ParameterException for options that only make sense together
   */
  CheckRequest.Builder request(Path torchScript, Path nnefModel, CheckerMode mode,
      CommandLine commandLine) {
    if ((torchProbe == null) != probeTensors.isEmpty()) {
      throw new CommandLine.ParameterException(commandLine,
          "--torch-probe and --probe-tensors go together");
    }
    if (torchProbe != null && torchIntermediates != null) {
      throw new CommandLine.ParameterException(commandLine,
          "give either --torch-intermediates or --torch-probe, not both");
    }
    CheckRequest.Builder b = CheckRequest.builder(torchScript, nnefModel).mode(mode)
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
    if (torchProbe != null) {
      b.torchProbe(new TorchProbe(torchProbe, probeTensors));
    }
    return b;
  }

  static final class InputSpecConverter implements CommandLine.ITypeConverter<InputSpec> {
    @Override
    public InputSpec convert(String value) {
      return InputSpec.parse(value);
    }
  }

  /** Parses {@code auto|tract|reference}, also for {@code export --check[=MODE]}. */
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
