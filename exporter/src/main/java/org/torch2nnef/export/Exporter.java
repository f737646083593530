package org.torch2nnef.export;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.torch2nnef.graph.TorchGraph;
import org.torch2nnef.nnef.io.NnefArchiveWriter;

/**
 * Exports traced TorchScript models to NNEF: graph translation by the {@link OpRegistry}'s
 * translators, then one atomic write of {@code graph.nnef} and the {@code .dat} files, whose data is
 * streamed from the TorchScript archive. Nothing is written unless the whole graph translates.
 */
public final class Exporter {
    private static final Logger LOG = LoggerFactory.getLogger(Exporter.class);

    private final OpRegistry registry;

    /** An exporter with every standard op family. */
    public Exporter() {
        this(OpRegistry.standard());
    }

    /** @param registry the op translators to use */
    public Exporter(OpRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * Exports a graph whose inputs are typed (shape inference done). Its archive must be open: the
     * weights are streamed from it while writing.
     *
     * @param graph   the typed graph
     * @param options output path, names, strictness, compression
     * @return what was written
     * @throws UnsupportedOpsException listing every node without a translation (nothing written)
     * @throws ExportException         for other translation failures (nothing written)
     * @throws IOException             if writing fails (no partial output is left)
     */
    public ExportResult export(TorchGraph graph, ExportOptions options) throws ExportException, IOException {
        return export(graph, options, List.of(), Duration.ZERO);
    }

    ExportResult export(TorchGraph graph, ExportOptions options, List<String> inputNames, Duration readTime)
            throws ExportException, IOException {
        long t0 = System.nanoTime();
        Translation t = new GraphTranslator(registry, options.translationOptions(inputNames)).translate(graph);
        long t1 = System.nanoTime();
        LOG.debug("writing {} with {} variables ({} bytes)", options.output(), t.variableCount(), t.variableBytes());
        NnefArchiveWriter.write(t.model(), options.output(), options.compressionLevel());
        long t2 = System.nanoTime();
        return new ExportResult(options.output(), NnefArchiveWriter.Format.of(options.output()), t.inputs(), t.outputs(),
                t.opsUsed(), t.tractOps(), t.symbols(), t.variableCount(), t.variableBytes(), readTime,
                Duration.ofNanos(t1 - t0), Duration.ofNanos(t2 - t1));
    }
}
