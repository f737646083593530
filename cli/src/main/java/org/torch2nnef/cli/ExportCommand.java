package org.torch2nnef.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.torch2nnef.check.CheckRequest;
import org.torch2nnef.check.CheckRunner;
import org.torch2nnef.check.CheckerMode;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.torch.InputSpec;
import org.torch2nnef.export.DynamicAxes;
import org.torch2nnef.export.ExportException;
import org.torch2nnef.export.ExportInputException;
import org.torch2nnef.export.ExportOptions;
import org.torch2nnef.export.ExportResult;
import org.torch2nnef.export.Exporter;
import org.torch2nnef.export.InputDeclaration;
import org.torch2nnef.export.NamingScheme;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.export.TractTarget;
import org.torch2nnef.export.spi.ModuleExtractors;
import org.torch2nnef.nnef.contract.TractRelease;
import org.torch2nnef.nnef.io.NnefArchiveWriter;
import org.torch2nnef.nnef.io.OutputRefusedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code torch2nnef export MODEL.pt -o OUT --input ...}: writes the NNEF model (directory, {@code
 * .nnef.tar} or {@code .nnef.tgz} by the output name).
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description =
                "Export a traced TorchScript model to NNEF for tract. The output format follows its name:"
                        + " .nnef.tgz, .nnef.tar, otherwise a directory. Nothing is written unless the whole model exports.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:exported (and, with --check, outputs equal to torch's)",
            "1:export failure (unsupported ops, all listed with module path and source line; shape inference;"
                    + " --nnef-spec-strict refusals; write errors), or with --check: outputs differ",
            "2:usage or input error (bad options, unreadable model or inputs file, declarations not matching the model,"
                    + " an output path that is not writable or holds files an export does not write)",
            "3:with --check: the checker is unavailable or crashed (e.g. --check=tract with no tract found)"
        })
class ExportCommand implements Callable<Integer> {
    static final int EXIT_OK = 0;
    static final int EXIT_EXPORT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "MODEL.pt",
            description = "a torch.jit.trace(...).save() archive")
    Path model;

    @Option(
            names = {"-o", "--output"},
            required = true,
            paramLabel = "OUT",
            description = "where to write: OUT.nnef.tgz, OUT.nnef.tar or a directory")
    Path output;

    @Option(
            names = "--input",
            paramLabel = "NAME=D0,D1,...[:DTYPE]",
            converter = InspectCommand.InputConverter.class,
            description =
                    "shape and dtype of each forward argument, in order or by its name (dtype defaults to f32);"
                            + " NAME becomes the NNEF input name")
    List<InputDeclaration> inputs = new ArrayList<>();

    @Option(
            names = "--inputs-npz",
            paramLabel = "FILE",
            description =
                    "an .npz of example inputs, in forward-argument order: names, shapes and dtypes come from it")
    Path inputsNpz;

    @Option(
            names = "--output-names",
            split = ",",
            paramLabel = "NAME",
            description =
                    "NNEF names of the outputs, in order (default: the variable names of the traced code)")
    List<String> outputNames = new ArrayList<>();

    @Option(
            names = "--dynamic-axes",
            paramLabel = "NAME:AXIS=SYMBOL[,AXIS=SYMBOL]",
            converter = InspectCommand.DynamicAxesConverter.class,
            description =
                    "axes of a declared input whose size varies, named by a single letter (a tract symbol),"
                            + " e.g. x:1=S; repeatable")
    List<DynamicAxes> dynamicAxes = new ArrayList<>();

    @Option(
            names = "--renaming-scheme",
            paramLabel = "SCHEME",
            defaultValue = "natural-verbose",
            description =
                    "names of intermediate tensors and variables: numeric (short ids) or natural-verbose (module"
                            + " paths and state-dict names); default: ${DEFAULT-VALUE}")
    String renamingScheme;

    @Option(
            names = "--nnef-spec-strict",
            description =
                    "standard NNEF only: fail, naming each op, instead of using tract extensions")
    boolean strict;

    @Option(
            names = "--compression-level",
            paramLabel = "0..9",
            defaultValue = "" + NnefArchiveWriter.DEFAULT_COMPRESSION_LEVEL,
            description =
                    "gzip level of a .nnef.tgz output: 0 stores; 1 deflates text and compressible"
                            + " tensors and stores float weights (which deflate by under 10%%);"
                            + " 2..9 also Huffman-code those; default: ${DEFAULT-VALUE}")
    int compressionLevel;

    @Option(
            names = "--tract-version",
            paramLabel = "X.Y.Z",
            description =
                    "the tract release the model must load in (0.20.0 or newer): operators it lacks are replaced by"
                            + " standard NNEF, or the export fails naming them; default: the newest supported, "
                            + "${DEFAULT-VALUE}",
            defaultValue = TractRelease.NEWEST_SUPPORTED_TEXT)
    String tractVersion;

    @Option(
            names = "--property",
            paramLabel = "KEY=VALUE",
            description = "add a property to the model's tract_core_properties (repeatable)")
    List<String> properties = new ArrayList<>();

    @Option(
            names = "--property-identity",
            description =
                    "also record when, where and by whom the export ran (exports then differ run to run)")
    boolean propertyIdentity;

    @Option(names = "-v", description = "debug logging")
    boolean verbose;

    @Option(
            names = "--plugins",
            split = ",",
            paramLabel = "DIR|JAR",
            description =
                    "jars with module extractors (a directory: every .jar in it); they override built-in ones")
    List<Path> plugins = new ArrayList<>();

    @Option(
            names = "--check",
            arity = "0..1",
            paramLabel = "MODE",
            fallbackValue = "auto",
            converter = CheckOptions.CheckerModeConverter.class,
            description =
                    "after exporting, prove the NNEF model equal to torch on the declared inputs: auto (tract when"
                            + " found, else the built-in reference interpreter), tract or reference; the report says which ran")
    CheckerMode check;

    /** Used with {@code --check} only. */
    @CommandLine.Mixin CheckerOptions checker = new CheckerOptions();

    @Override
    public Integer call() {
        if (verbose) {
            // read by slf4j-simple when the first logger is created, which happens after this point
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
        }
        if (check == null && (checker.report != null || checker.debugBundle != null)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    (checker.report != null ? "--report" : "--debug-bundle")
                            + " reports on a check: add --check");
        }
        PrintWriter err = spec.commandLine().getErr();
        Optional<String> unreadable =
                InputFiles.notAFile(model)
                        .or(
                                () ->
                                        inputsNpz == null
                                                ? Optional.empty()
                                                : InputFiles.notAFile(inputsNpz));
        if (unreadable.isPresent()) {
            err.println("torch2nnef export: " + unreadable.get());
            return EXIT_USAGE;
        }
        ExportOptions options;
        try {
            ExportOptions.Builder builder = ExportOptions.builder(output);
            for (String p : properties) {
                int eq = p.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--property " + p + ": expected KEY=VALUE");
                }
                builder.property(p.substring(0, eq), p.substring(eq + 1));
            }
            options =
                    builder.inputs(inputs)
                            .inputsNpz(inputsNpz)
                            .dynamicAxes(dynamicAxes)
                            .outputNames(outputNames)
                            .naming(NamingScheme.parse(renamingScheme))
                            .strict(strict)
                            .compressionLevel(compressionLevel)
                            .tract(TractTarget.parse(tractVersion))
                            .propertyIdentity(propertyIdentity)
                            .build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        // no second screening in the check: the export reads the model with the same reader
        CheckRunner checkRunner = new CheckRunner().isolatingTorch(pt -> {});
        if (check != null && !ExportedProgramFiles.is(model)) {
            // libtorch loads in the check's child while this process exports
            checkRunner.startingChild(checker.timeout);
        }
        try {
            Exporter exporter =
                    new Exporter(
                            OpRegistry.standard(),
                            ModuleExtractors.discover(getClass().getClassLoader(), plugins));
            return afterExport(exporter.export(model, options), checkRunner);
        } catch (ExportInputException e) {
            err.println("torch2nnef export: " + e.getMessage());
            return EXIT_USAGE;
        } catch (ExportException e) {
            err.println("torch2nnef export: " + e.getMessage());
            return EXIT_EXPORT_FAILED;
        } catch (OutputRefusedException e) {
            err.println("torch2nnef export: " + e.getMessage());
            return EXIT_USAGE;
        } catch (IOException e) {
            err.println("torch2nnef export: " + e.getMessage());
            return EXIT_EXPORT_FAILED;
        } finally {
            checkRunner.endStartedChild();
        }
    }

    /**
     * What follows a successful export: prints its summary. The place where a later {@code --check}
     * runs the exported model against torch.
     *
     * @param result the export
     * @param checkRunner what runs the check
     * @return the exit code
     */
    int afterExport(ExportResult result, CheckRunner checkRunner) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(result.summary());
        out.flush();
        if (check == null) {
            return EXIT_OK;
        }
        List<InputSpec> specs;
        try {
            specs = inputs.stream().map(ExportCommand::inputSpec).toList();
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("torch2nnef export: " + e.getMessage());
            return EXIT_USAGE;
        }
        CheckRequest.Builder request =
                checker.request(model, result.output(), check)
                        .inputShapes(specs)
                        .exportLog(result.summary())
                        .tractTarget(TractTarget.parse(tractVersion).release());
        if (inputsNpz != null) {
            request.inputsNpz(inputsNpz);
        }
        CheckReport checked = checkRunner.check(request.build());
        out.print(checked.toConsoleTable());
        out.flush();
        return checked.exitCode();
    }

    /** The check's view of an export declaration: same name, shape and element type. */
    private static InputSpec inputSpec(InputDeclaration d) {
        try {
            return new InputSpec(d.name(), d.generatedDType(), d.sizes());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--check: " + e.getMessage() + "; give --inputs-npz", e);
        }
    }
}
