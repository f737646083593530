package org.torch2nnef.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.torch2nnef.export.ExportInputException;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.export.spi.ModuleExtractors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code torch2nnef ops}: the ops the exporter translates and the active module extractors. */
@Command(
        name = "ops",
        mixinStandardHelpOptions = true,
        description =
                "List the TorchScript ops translated op by op, and the module extractors that are active"
                        + " (module class, extractor class, built-in/class-path/plugin, and the jar it comes from).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:listed", "2:a plugin path is missing or an extractor cannot be loaded"})
class OpsCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--plugins",
            split = ",",
            paramLabel = "DIR|JAR",
            description =
                    "jars with module extractors (a directory: every .jar in it), as for export")
    List<Path> plugins = new ArrayList<>();

    @Option(
            names = "--markdown",
            description =
                    "print CONTRIBUTING.md's op table instead (families and their ops, extractors), between its"
                            + " marker lines; bin/op-table puts it into CONTRIBUTING.md")
    boolean markdown;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ModuleExtractors extractors;
        try {
            extractors = ModuleExtractors.discover(getClass().getClassLoader(), plugins);
        } catch (ExportInputException e) {
            spec.commandLine().getErr().println("torch2nnef ops: " + e.getMessage());
            return ExportCommand.EXIT_USAGE;
        }
        OpRegistry registry = OpRegistry.standard();
        if (markdown) {
            out.print(OpTableMarkdown.of(registry, extractors));
            out.flush();
            return 0;
        }
        out.println("ops (" + registry.kinds().size() + "):");
        registry.kinds().forEach(k -> out.println("  " + k));
        out.println("module extractors (" + extractors.entries().size() + "):");
        for (ModuleExtractors.Entry e : extractors.entries()) {
            out.println(
                    "  "
                            + e.moduleClass()
                            + " -> "
                            + e.extractor().getClass().getName()
                            + " ["
                            + e.origin().name().toLowerCase(Locale.ROOT).replace('_', '-')
                            + ", "
                            + e.source()
                            + "]");
        }
        out.flush();
        return 0;
    }
}
