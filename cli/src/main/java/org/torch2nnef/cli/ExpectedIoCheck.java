package org.torch2nnef.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.torch2nnef.check.CheckRequest;
import org.torch2nnef.check.CheckRunner;
import org.torch2nnef.check.NnefSignature;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.nnef.contract.Npz;
import picocli.CommandLine;

/**
 * {@code check --io-npz}: one check per size the file holds, each comparing the NNEF model's
 * outputs on the file's inputs with torch's outputs from the file; the exit code is the worst. A
 * {@code --report} of another size than the example's gets the size in its name ({@code
 * report@2.json}).
 */
final class ExpectedIoCheck {
    private final CommandLine commandLine;
    private final Path ioNpz;
    private final Path inputsNpz;

    ExpectedIoCheck(CommandLine commandLine, Path ioNpz, Path inputsNpz) {
        this.commandLine = commandLine;
        this.ioNpz = ioNpz;
        this.inputsNpz = inputsNpz;
    }

    int run(CheckRequest.Builder request, Path nnefModel) {
        PrintWriter out = commandLine.getOut();
        if (inputsNpz != null) {
            return usage("--io-npz holds the inputs: drop --inputs-npz");
        }
        ExpectedIo io;
        List<String> inputNames;
        try {
            io = ExpectedIo.read(ioNpz);
            inputNames = NnefSignature.read(nnefModel).inputNames();
        } catch (IOException | RuntimeException e) {
            return usage(e.getMessage());
        }
        CheckRequest base = request.build();
        int worst = 0;
        for (String size : io.sizes()) {
            Path inputs = null;
            try {
                inputs = Files.createTempFile("torch2nnef-io", ".npz");
                Npz.write(io.inputs(size, inputNames), inputs);
                CheckReport r =
                        new CheckRunner()
                                .isolatingTorch(new ExporterTorchScriptScreen())
                                .expecting(io.outputs(size))
                                .check(forSize(base, inputs, size));
                out.println("# " + ioNpz.getFileName() + " " + ExpectedIo.describe(size));
                out.print(r.toConsoleTable());
                out.flush();
                worst = Math.max(worst, r.exitCode());
            } catch (IOException | IllegalArgumentException e) {
                return usage(e.getMessage());
            } finally {
                deleteQuietly(inputs);
            }
        }
        return worst;
    }

    private static CheckRequest forSize(CheckRequest base, Path inputs, String size) {
        return base.onInputs(inputs, p -> sized(p, size));
    }

    /** {@code report.json} for the example sizes, {@code report@2.json} for others. */
    private static Path sized(Path p, String size) {
        if (size.isEmpty()) {
            return p;
        }
        String name = p.getFileName().toString();
        int dot = name.indexOf('.');
        return p.resolveSibling(
                dot < 0 ? name + size : name.substring(0, dot) + size + name.substring(dot));
    }

    private int usage(String message) {
        commandLine.getErr().println("torch2nnef check: " + message);
        return ExportCommand.EXIT_USAGE;
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // a temporary file; the OS cleans its temporary folder
            }
        }
    }
}
