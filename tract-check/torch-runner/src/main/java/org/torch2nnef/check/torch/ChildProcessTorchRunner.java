package org.torch2nnef.check.torch;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.torch2nnef.check.TorchProcess;
import org.torch2nnef.check.TorchRunner;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;

/**
 * Runs {@link TorchReference} in a child JVM ({@link TorchReferenceProcess} in a {@link ChildJvm},
 * with its time limit and memory caps): one started for each run, or one started at once and
 * serving every run until closed ({@link #started}); tensors travel as {@code .npz} files in the
 * child's folder, which is deleted whatever happens.
 */
final class ChildProcessTorchRunner implements TorchProcess {
    /** The start of the names of the child's temporary folders. */
    static final String WORK_DIR_PREFIX = "torch2nnef-torch";

    private static final String WHAT = "the torch reference run (libtorch, in a child process)";

    private final Duration timeout;
    private final Limits limits;

    /** The child serving every run; null to start one for each. */
    private final ChildJvm shared;

    ChildProcessTorchRunner(Duration timeout, Limits limits) {
        this(timeout, limits, null);
    }

    private ChildProcessTorchRunner(Duration timeout, Limits limits, ChildJvm shared) {
        this.timeout = timeout;
        this.limits = limits;
        this.shared = shared;
    }

    /** A runner whose child starts now and serves every run until {@link #close}. */
    static ChildProcessTorchRunner started(Duration timeout, Limits limits) throws IOException {
        return new ChildProcessTorchRunner(timeout, limits, start(timeout, limits));
    }

    /** The child of a runner {@link #started} by this module, for another task to run in. */
    static Optional<ChildJvm> childOf(TorchProcess process) {
        return process instanceof ChildProcessTorchRunner r
                ? Optional.ofNullable(r.shared)
                : Optional.empty();
    }

    @Override
    public TorchReferenceResult run(TorchReferenceRequest request) throws IOException {
        Path model = request.model();
        if (!Files.isRegularFile(model)) {
            throw new IOException(model + ": TorchScript file not found");
        }
        if (shared != null) {
            return runIn(shared, request);
        }
        try (ChildJvm child = start(timeout, limits)) {
            return runIn(child, request);
        }
    }

    @Override
    public String djlVersion() {
        return Engine.getDjlVersion();
    }

    @Override
    public TorchRunner inChildProcess(Duration newTimeout) {
        return new ChildProcessTorchRunner(newTimeout, limits);
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public void close() {
        if (shared != null) {
            shared.close();
        }
    }

    private static ChildJvm start(Duration timeout, Limits limits) throws IOException {
        return ChildJvm.start(
                timeout, limits, Path.of(System.getProperty("java.io.tmpdir")), WORK_DIR_PREFIX);
    }

    private static TorchReferenceResult runIn(ChildJvm child, TorchReferenceRequest request)
            throws IOException {
        Path model = request.model();
        Path dir = child.taskFolder("torch");
        try {
            TensorBundle inputs = new TensorBundle("inputs of " + model);
            request.inputs().forEach(inputs::add);
            Npz.write(inputs, dir.resolve(TorchReferenceProcess.INPUTS));
            Files.write(dir.resolve(TorchReferenceProcess.OUTPUT_NAMES), request.outputNames());
            if (request.quantizedEngine().isPresent()) {
                Files.writeString(
                        dir.resolve(TorchReferenceProcess.ENGINE), request.quantizedEngine().get());
            }
            int exit =
                    child.run(
                            WHAT,
                            TorchReferenceProcess.class,
                            dir,
                            model,
                            List.of(model.toAbsolutePath().toString()));
            return result(request, dir, exit, child);
        } finally {
            ChildJvm.deleteTree(dir);
        }
    }

    private static TorchReferenceResult result(
            TorchReferenceRequest request, Path dir, int exit, ChildJvm child) throws IOException {
        Path model = request.model();
        if (exit == 0) {
            TensorBundle io = new TensorBundle("torch reference of " + model);
            request.inputs().forEach(io::add);
            List<HostTensor> outputs =
                    List.copyOf(
                            ChildJvm.outputs(
                                            WHAT, dir.resolve(TorchReferenceProcess.OUTPUTS), model)
                                    .tensors());
            outputs.forEach(io::add);
            String version = Files.readString(dir.resolve(TorchReferenceProcess.VERSION)).trim();
            String engine = Files.readString(dir.resolve(TorchReferenceProcess.ENGINE_USED)).trim();
            return new TorchReferenceResult(io, outputs, version, engine);
        }
        Optional<String> error = ChildJvm.error(dir);
        if (exit == TorchReferenceProcess.REFUSED && error.isPresent()) {
            throw new IOException(error.get());
        }
        throw child.failure(WHAT, model, exit);
    }
}
