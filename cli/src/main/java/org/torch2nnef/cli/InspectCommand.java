package org.torch2nnef.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.torch2nnef.export.DynamicAxes;
import org.torch2nnef.export.ExportException;
import org.torch2nnef.export.ExportInputException;
import org.torch2nnef.export.InputDeclaration;
import org.torch2nnef.export.ModelInputs;
import org.torch2nnef.export.TypedModel;
import org.torch2nnef.graph.GraphPrinter;
import org.torch2nnef.graph.shapes.SizeAssumption;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code torch2nnef inspect model.pt [--input ...] [--dynamic-axes ...]}: prints the model's graph
 * (inputs, every node with its module and source line, outputs, module call tree), typed when input
 * shapes are given.
 */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description =
                "Print the graph of a traced TorchScript model: nodes with module paths, source lines"
                        + " and, given --input, dtypes and shapes.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:printed",
            "1:the graph cannot be typed from the declarations (e.g. shape inference fails)",
            "2:usage or input error (bad options, unreadable model, declarations not matching it)"
        })
final class InspectCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "MODEL",
            description = "a torch.jit.trace(...).save() archive (.pt)")
    Path model;

    @Option(
            names = "--input",
            paramLabel = "NAME=D0,D1,...[:DTYPE]",
            converter = InputConverter.class,
            description =
                    "shape and dtype of a model input, e.g. x=1,3,224,224:f32 (dtype defaults to f32), by"
                            + " forward argument name or in order, as for export; repeat for each input")
    List<InputDeclaration> inputs = new ArrayList<>();

    @Option(
            names = "--dynamic-axes",
            paramLabel = "NAME:AXIS=SYMBOL[,AXIS=SYMBOL]",
            converter = DynamicAxesConverter.class,
            description =
                    "axes of an input whose size varies, named by a single letter, e.g. x:1=S")
    List<DynamicAxes> dynamicAxes = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<String> unreadable = InputFiles.notAFile(model);
        if (unreadable.isPresent()) {
            err.println("torch2nnef inspect: " + unreadable.get());
            return ExportCommand.EXIT_USAGE;
        }
        if (inputs.isEmpty() && !dynamicAxes.isEmpty()) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--dynamic-axes needs the --input declarations of the inputs it names");
        }
        try (TypedModel typed =
                TypedModel.open(model, new ModelInputs(inputs, Optional.empty(), dynamicAxes))) {
            if (typed.inputs().isEmpty()) {
                out.println(
                        "# no --input given: dtypes and shapes are not inferred (graph printed untyped)");
            }
            typed.found()
                    .forEach((k, v) -> out.println("# " + k + ": " + v)); // a .pt2's symbol ranges
            out.print(GraphPrinter.print(typed.graph()));
            for (SizeAssumption a : typed.assumptions()) {
                out.println("# assumed: " + a.describe());
            }
            out.flush();
            return 0;
        } catch (ExportInputException | IOException e) {
            // as for export: a model that cannot be read or typed is an input error
            err.println("torch2nnef inspect: " + e.getMessage());
            return ExportCommand.EXIT_USAGE;
        } catch (ExportException e) {
            err.println("torch2nnef inspect: " + e.getMessage());
            return ExportCommand.EXIT_EXPORT_FAILED;
        }
    }

    /** Parses {@code --input}; bad text is a usage error with the parser's message. */
    static final class InputConverter implements CommandLine.ITypeConverter<InputDeclaration> {
        @Override
        public InputDeclaration convert(String value) {
            try {
                return InputDeclaration.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** Parses {@code --dynamic-axes}; bad text is a usage error with the parser's message. */
    static final class DynamicAxesConverter implements CommandLine.ITypeConverter<DynamicAxes> {
        @Override
        public DynamicAxes convert(String value) {
            try {
                return DynamicAxes.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
