package org.torch2nnef.export;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.stream.Collectors;
import org.torch2nnef.graph.shapes.SizeAssumption;
import org.torch2nnef.nnef.io.NnefArchiveWriter;

/**
 * What an export wrote.
 *
 * @param output the written model
 * @param format directory, tar or tgz
 * @param inputs the NNEF inputs with dtypes and (possibly symbolic) shapes
 * @param outputs the NNEF outputs
 * @param opsUsed the NNEF operations invoked in the graph
 * @param tractOps the tract extension operations among them
 * @param symbols the tract symbols of dynamic axes
 * @param variableCount the number of {@code .dat} tensors
 * @param variableBytes their payload bytes
 * @param readTime reading the archive and building the graph
 * @param translateTime translating the graph to NNEF
 * @param writeTime writing the output (streaming the weights)
 * @param assumptions symbolic sizes assumed equal because they are at the example sizes (the model
 *     is valid only where they are; torch checks them when it runs)
 */
public record ExportResult(
        Path output,
        NnefArchiveWriter.Format format,
        List<Translation.Port> inputs,
        List<Translation.Port> outputs,
        SortedSet<String> opsUsed,
        SortedSet<String> tractOps,
        SortedSet<String> symbols,
        int variableCount,
        long variableBytes,
        Duration readTime,
        Duration translateTime,
        Duration writeTime,
        List<SizeAssumption> assumptions) {

    public ExportResult {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        assumptions = List.copyOf(assumptions);
    }

    /**
     * @return a few lines for a log or the CLI
     */
    public String summary() {
        return "wrote "
                + output
                + " ("
                + format.name().toLowerCase(Locale.ROOT)
                + ")\n"
                + "  inputs:  "
                + inputs
                + "\n"
                + "  outputs: "
                + outputs
                + "\n"
                + "  ops:     "
                + String.join(", ", opsUsed)
                + (tractOps.isEmpty()
                        ? ""
                        : " (tract extensions: " + String.join(", ", tractOps) + ")")
                + "\n"
                + "  variables: "
                + variableCount
                + " ("
                + variableBytes
                + " bytes)"
                + (symbols.isEmpty() ? "" : ", symbols: " + String.join(", ", symbols))
                + "\n"
                + "  time: read "
                + readTime.toMillis()
                + " ms, translate "
                + translateTime.toMillis()
                + " ms, write "
                + writeTime.toMillis()
                + " ms"
                + assumptions.stream()
                        .map(a -> "\n  assumed: " + a.describe())
                        .collect(Collectors.joining());
    }
}
