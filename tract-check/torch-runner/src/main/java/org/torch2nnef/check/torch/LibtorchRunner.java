package org.torch2nnef.check.torch;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.time.Duration;
import org.torch2nnef.check.TorchProcess;
import org.torch2nnef.check.TorchRunner;

/** The installed {@link TorchRunner}: {@link TorchReference} on DJL's PyTorch engine. */
public final class LibtorchRunner implements TorchRunner {
    @Override
    public TorchReferenceResult run(TorchReferenceRequest request) throws IOException {
        return TorchReference.run(request);
    }

    @Override
    public String djlVersion() {
        return Engine.getDjlVersion();
    }

    /**
     * A runner starting {@link TorchReferenceProcess} in a child JVM under {@link Limits} read from
     * the system properties.
     *
     * @throws IllegalArgumentException naming the property when a limit is not a size
     */
    @Override
    public TorchRunner inChildProcess(Duration timeout) {
        return new ChildProcessTorchRunner(timeout, Limits.fromSystemProperties());
    }

    /**
     * A child JVM started now, loading libtorch, that runs {@link TorchReferenceProcess} and the
     * tasks of a checker computing with libtorch ({@link ChildJvm#of}) until closed.
     *
     * @throws IllegalArgumentException naming the property when a limit is not a size
     */
    @Override
    public TorchProcess startChildProcess(Duration timeout) throws IOException {
        return ChildProcessTorchRunner.started(timeout, Limits.fromSystemProperties());
    }
}
