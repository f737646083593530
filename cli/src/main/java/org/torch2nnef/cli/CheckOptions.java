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
import org.torch2nnef.export.ExportInputException;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options of {@code torch2nnef check}: its inputs, torch intermediates for localisation, and
 * the {@link CheckerOptions} it shares with {@code export --check}.
 */
final class CheckOptions {
    @Option(
            names = "--inputs-npz",
            paramLabel = "FILE",
            description = "Inputs keyed by NNEF input name (numpy .npz).")
    Path inputsNpz;

    @Option(
            names = "--input",
            paramLabel = "NAME=D0,D1,...[:DTYPE]",
            converter = InputSpecConverter.class,
            description =
                    "Shape (and element type, default f32) of a seeded input, e.g."
                            + " x=1,3,224,224 or ids=1,16:i64; NAME is its NNEF name or its forward argument's."
                            + " Repeatable.")
    List<InputSpec> inputs = new ArrayList<>();

    @CommandLine.Mixin CheckerOptions checker = new CheckerOptions();

    @Option(
            names = "--torch-intermediates",
            paramLabel = "FILE",
            description =
                    "Torch's intermediate values keyed by NNEF tensor name (.npz); on a mismatch"
                            + " the report names the first NNEF tensor that diverges (reference interpreter).")
    Path torchIntermediates;

    @Option(
            names = "--torch-probe",
            paramLabel = "PROBE.pt",
            description =
                    "A TorchScript taking the same inputs whose forward returns torch's values of"
                            + " the --probe-tensors NNEF tensors, in order; on a mismatch the report names the first"
                            + " NNEF tensor that diverges (reference interpreter).")
    Path torchProbe;

    @Option(
            names = "--probe-tensors",
            paramLabel = "NAME",
            split = ",",
            description = "The NNEF tensor names of --torch-probe's outputs, comma-separated.")
    List<String> probeTensors = new ArrayList<>();

    /**
     * A request checking {@code nnefModel} against {@code torchScript} with these options.
     *
     * @throws CommandLine.ParameterException for options that only make sense together
     */
    CheckRequest.Builder request(
            Path torchScript, Path nnefModel, CheckerMode mode, CommandLine commandLine) {
        if ((torchProbe == null) != probeTensors.isEmpty()) {
            throw new CommandLine.ParameterException(
                    commandLine, "--torch-probe and --probe-tensors go together");
        }
        if (torchProbe != null && torchIntermediates != null) {
            throw new CommandLine.ParameterException(
                    commandLine, "give either --torch-intermediates or --torch-probe, not both");
        }
        CheckRequest.Builder b;
        try {
            b =
                    checker.request(torchScript, nnefModel, mode)
                            .inputShapes(
                                    CheckInputBinding.byNnefName(torchScript, nnefModel, inputs));
        } catch (ExportInputException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
        if (inputsNpz != null) {
            b.inputsNpz(inputsNpz);
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

    static final class ApproximationConverter implements CommandLine.ITypeConverter<Approximation> {
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
