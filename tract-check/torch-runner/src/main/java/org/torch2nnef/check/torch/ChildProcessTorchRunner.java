package org.torch2nnef.check.torch;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.torch2nnef.check.TorchRunner;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;
import org.torch2nnef.nnef.io.ScratchNames;
import org.torch2nnef.nnef.io.ShutdownCleanup;

/**
 * Runs {@link TorchReference} in a child JVM ({@link TorchReferenceProcess} through {@link
 * ChildJvm}, with its time limit and memory caps); tensors travel as {@code .npz} files in a
 * temporary directory that is deleted whatever happens.
 */
final class ChildProcessTorchRunner implements TorchRunner {
    /** The start of the names of the child's temporary folders. */
    static final String WORK_DIR_PREFIX = "torch2nnef-torch";

    private static final String WHAT = "the torch reference run (libtorch, in a child process)";

    private final Duration timeout;
    private final Limits limits;

    ChildProcessTorchRunner(Duration timeout, Limits limits) {
        this.timeout = timeout;
        this.limits = limits;
    }

    @Override
    public TorchReferenceResult run(TorchReferenceRequest request) throws IOException {
        Path model = request.model();
        if (!Files.isRegularFile(model)) {
            throw new IOException(model + ": TorchScript file not found");
        }
        // the name carries this host and PID: what a killed process left is removed by a later one
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        ScratchNames.removeStale(tmp, WORK_DIR_PREFIX);
        Path dir = ChildJvm.workFolder(tmp, ScratchNames.fresh(WORK_DIR_PREFIX));
        ShutdownCleanup.register(dir);
        try {
            TensorBundle inputs = new TensorBundle("inputs of " + model);
            request.inputs().forEach(inputs::add);
            Npz.write(inputs, dir.resolve(TorchReferenceProcess.INPUTS));
            Files.write(dir.resolve(TorchReferenceProcess.OUTPUT_NAMES), request.outputNames());
            if (request.quantizedEngine().isPresent()) {
                Files.writeString(
                        dir.resolve(TorchReferenceProcess.ENGINE), request.quantizedEngine().get());
            }
            ChildJvm child = new ChildJvm(timeout, limits, WHAT);
            int exit =
                    child.run(
                            TorchReferenceProcess.class,
                            dir,
                            model,
                            List.of(
                                    model.toAbsolutePath().toString(),
                                    dir.toAbsolutePath().toString()));
            return result(request, dir, exit, child);
        } finally {
            ChildJvm.deleteTree(dir);
            ShutdownCleanup.forget(dir);
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

    private static TorchReferenceResult result(
            TorchReferenceRequest request, Path dir, int exit, ChildJvm child) throws IOException {
        Path model = request.model();
        if (exit == 0) {
            TensorBundle io = new TensorBundle("torch reference of " + model);
            request.inputs().forEach(io::add);
            List<HostTensor> outputs =
                    List.copyOf(
                            child.outputs(dir.resolve(TorchReferenceProcess.OUTPUTS), model)
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
        throw child.failure(model, exit, dir);
    }
}
