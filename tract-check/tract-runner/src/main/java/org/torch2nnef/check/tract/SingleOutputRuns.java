package org.torch2nnef.check.tract;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.torch2nnef.check.CheckLimits;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.TensorBundle;
import org.torch2nnef.nnef.io.NnefArchiveReader;

/**
 * tract's outputs one at a time, for a model whose outputs tract holds as one tensor (an identity
 * copy it removes while loading): its {@code --save-outputs-npz} names each output by its tensor's
 * label and refuses the second entry of one name, and its own {@code --assert-output-bundle}
 * compares at a float tolerance, not in quantization steps. So a copy of the model declaring a
 * single output is run once per output, and the one tensor tract saves is that output's value. The
 * copy links the model's files (an archive is extracted once) and rewrites only graph.nnef's output
 * list.
 */
final class SingleOutputRuns {
    /** {@code graph NAME(INPUTS) -> (OUTPUTS)}: group 1 up to the outputs' parenthesis. */
    private static final Pattern HEADER =
            Pattern.compile("(graph\\s+\\w+\\s*\\([^)]*\\)\\s*->\\s*\\()([^)]*)\\)");

    /** Folder of the model copy inside the check's work directory. */
    static final String MODEL_COPY = "single-output-model";

    /**
     * What the runs produced: every output by name, or the run that failed.
     *
     * @param outputs the outputs, when every run succeeded
     * @param last the last run (the failed one, if any)
     * @param command its command line
     */
    record Result(Optional<TensorBundle> outputs, ProcessResult last, List<String> command) {}

    private SingleOutputRuns() {}

    /**
     * Runs tract once per output of {@code request} on a copy of its model, each run under {@code
     * cap}.
     *
     * @param arguments tract's arguments after the executable for a model path and a save path
     */
    static Result run(
            TractBinary tract,
            TractMemoryCap cap,
            TractCheckRequest request,
            Duration timeout,
            ArgumentsFor arguments)
            throws IOException, TractUnavailableException {
        Path copy = request.workDir().resolve(MODEL_COPY).toAbsolutePath();
        Path graphText = linkedCopy(request.model(), copy);
        String graph = Files.readString(graphText, StandardCharsets.UTF_8);
        Matcher header = HEADER.matcher(graph);
        if (!header.find()) {
            throw new IOException(request.model() + ": no 'graph NAME(...) -> (...)' header");
        }
        TensorBundle outputs = new TensorBundle("tract's outputs, one run each");
        ProcessResult last = null;
        List<String> command = List.of();
        for (String name : request.outputNames()) {
            Files.delete(graphText);
            Files.writeString(
                    graphText,
                    graph.substring(0, header.start())
                            + header.group(1)
                            + name
                            + ")"
                            + graph.substring(header.end()),
                    StandardCharsets.UTF_8);
            Path saved = request.workDir().resolve("single-output.npz").toAbsolutePath();
            Files.deleteIfExists(saved);
            command = new ArrayList<>(List.of(tract.path().toString()));
            command.addAll(arguments.of(copy.toString(), saved.toString()));
            last = cap.run(command, request.workDir(), timeout);
            if (last.exitCode() != 0 || !Files.isRegularFile(saved)) {
                return new Result(Optional.empty(), last, command);
            }
            List<HostTensor> got = new ArrayList<>(CheckLimits.readNpz(saved).tensors());
            if (got.size() != 1) {
                throw new IOException(
                        "tract saved " + got.size() + " tensors for the single output " + name);
            }
            HostTensor t = got.get(0);
            outputs.add(HostTensor.of(name, t.dtype(), t.shape(), t.data()));
        }
        return new Result(Optional.of(outputs), last, command);
    }

    /** tract's arguments for a model path and the npz its outputs go to. */
    interface ArgumentsFor {
        List<String> of(String model, String saveOutputs) throws TractUnavailableException;
    }

    /**
     * {@code target}: links to the model folder's files (an archive extracted there), graph.nnef a
     * copy; returns the copy's graph.nnef.
     */
    private static Path linkedCopy(Path model, Path target) throws IOException {
        if (!Files.isDirectory(model)) {
            NnefArchiveReader.extract(model, target);
        } else {
            Files.createDirectories(target);
            try (Stream<Path> files = Files.list(model)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.createSymbolicLink(target.resolve(f.getFileName()), f.toAbsolutePath());
                }
            }
        }
        Path graph = target.resolve("graph.nnef");
        byte[] bytes = Files.readAllBytes(graph); // through the link: the model's own text
        Files.delete(graph);
        Files.write(graph, bytes);
        return graph;
    }
}
