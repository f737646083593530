package org.torch2nnef.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.torch2nnef.check.CheckRequest;
import org.torch2nnef.check.CheckRunner;
import org.torch2nnef.check.CheckerMode;
import org.torch2nnef.check.TractLoading;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.nnef.contract.TractRelease;
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
                    + " order onto forward's arguments and its flattened outputs."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every output is within tolerance",
            "1:an output differs, or the checker rejected the model",
            "2:usage or input error (bad option, unreadable model or inputs)",
            "3:the checker is unavailable (no tract found for --checker tract), crashed, timed out,"
                    + " or cannot execute an op"
        })
final class CheckCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL.pt", description = "The traced TorchScript file.")
    Path torchScript;

    @Parameters(
            index = "1",
            paramLabel = "MODEL.nnef",
            description = "The exported model: directory, .nnef.tar or .nnef.tgz.")
    Path nnefModel;

    @Option(
            names = "--checker",
            paramLabel = "auto|tract|reference|nnef-tools",
            defaultValue = "auto",
            converter = CheckOptions.CheckerModeConverter.class,
            description =
                    "auto (default): tract when found, otherwise the reference interpreter;"
                            + " nnef-tools: Khronos' nnef-infer, for --nnef-spec-strict exports.")
    CheckerMode checker;

    @Option(
            names = "--tract-version",
            paramLabel = "X.Y.Z",
            description =
                    "the tract release the model was exported for (export --tract-version); default: the"
                            + " tract_target_version the model's tract_core_properties record, else the exporter's default. A"
                            + " warning says when the tract checking it is another release.")
    String tractVersion;

    @Option(
            names = "--io-npz",
            paramLabel = "FILE",
            description =
                    "torch's inputs and outputs (input_0.., output_0..; input_0@2.. at another size of"
                            + " the dynamic dims, checked too) instead of running the model through"
                            + " libtorch: needed for a torch.export .pt2, which DJL cannot run")
    Path ioNpz;

    @Option(
            names = "--pulse",
            paramLabel = "S=N",
            description =
                    "Stream the model as tract's pulsed models run: tract cuts every input into"
                            + " chunks of N items along the symbol S and runs them one after the"
                            + " other (tract's --pulse S=N); its outputs after the model's delay are"
                            + " compared with torch's outputs on the whole sequence. Needs tract"
                            + " (exit 3 without); every input must have an axis of size S.")
    String pulse;

    @Mixin CheckOptions options;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        // missing files are reported by the check itself, in its JSON report too
        Optional<String> unreadable =
                InputFiles.special(torchScript)
                        .or(() -> InputFiles.special(nnefModel))
                        .or(
                                () ->
                                        options.inputsNpz == null
                                                ? Optional.empty()
                                                : InputFiles.special(options.inputsNpz));
        if (unreadable.isPresent()) {
            spec.commandLine().getErr().println("torch2nnef check: " + unreadable.get());
            return ExportCommand.EXIT_USAGE;
        }
        CheckRunner runner = new CheckRunner().isolatingTorch(new ExporterTorchScriptScreen());
        if (ioNpz == null && !ExportedProgramFiles.is(torchScript)) {
            // libtorch loads in the child while this process reads the options and the model
            runner.startingChild(options.checker.timeout);
        }
        try {
            return check(runner);
        } finally {
            runner.endStartedChild();
        }
    }

    private int check(CheckRunner runner) {
        CheckRequest.Builder request =
                options.request(torchScript, nnefModel, checker, spec.commandLine());
        if (pulse != null) {
            try {
                request.tractLoading(TractLoading.Pulse.parse(pulse));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        if (tractVersion != null) {
            try {
                request.tractTarget(TractRelease.parseSupported(tractVersion));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--tract-version: " + e.getMessage());
            }
        }
        if (ioNpz != null) {
            return new ExpectedIoCheck(spec.commandLine(), ioNpz, options.inputsNpz)
                    .run(request, nnefModel);
        }
        if (ExportedProgramFiles.is(torchScript)) {
            spec.commandLine()
                    .getErr()
                    .println(
                            "torch2nnef check: "
                                    + torchScript
                                    + ": libtorch cannot run a torch.export program; give torch's"
                                    + " inputs and outputs with --io-npz FILE");
            return ExportCommand.EXIT_USAGE;
        }
        CheckReport result = runner.check(request.build());
        PrintWriter out = spec.commandLine().getOut();
        out.print(result.toConsoleTable());
        out.flush();
        return result.exitCode();
    }
}
