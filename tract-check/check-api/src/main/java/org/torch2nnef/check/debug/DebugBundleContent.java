package org.torch2nnef.check.debug;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What goes into a debug bundle.
 *
 * @param model the exported model: directory, {@code .nnef.tar} or {@code .nnef.tgz}
 * @param ioBundle the io npz the check used
 * @param checkerCommand the checker's exact command line, program first (empty when no external
 *     checker ran); paths equal to {@code model} or {@code ioBundle} are pointed at the copies in
 *     {@code run.sh}
 * @param checkerOutput everything the checker printed
 * @param versions name to version, in order (see {@link Versions#collect})
 * @param exportLog the exporter's log text
 * @param torchScript the TorchScript model the check ran, copied to {@code torch/} so that {@code
 *     run.sh} can re-run a {@code torch2nnef check} command; empty to leave it out
 */
public record DebugBundleContent(
        Path model,
        Path ioBundle,
        List<String> checkerCommand,
        String checkerOutput,
        Map<String, String> versions,
        String exportLog,
        Optional<Path> torchScript) {
    /** Canonical constructor; copies the collections. */
    public DebugBundleContent {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(ioBundle, "ioBundle");
        checkerCommand = List.copyOf(checkerCommand);
        Objects.requireNonNull(checkerOutput, "checkerOutput");
        versions = new LinkedHashMap<>(versions);
        Objects.requireNonNull(exportLog, "exportLog");
        Objects.requireNonNull(torchScript, "torchScript");
    }

    /** Content without the TorchScript model. */
    public DebugBundleContent(
            Path model,
            Path ioBundle,
            List<String> checkerCommand,
            String checkerOutput,
            Map<String, String> versions,
            String exportLog) {
        this(model, ioBundle, checkerCommand, checkerOutput, versions, exportLog, Optional.empty());
    }
}
