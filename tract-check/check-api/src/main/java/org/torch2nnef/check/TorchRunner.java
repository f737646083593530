package org.torch2nnef.check;

import java.io.IOException;
import java.time.Duration;
import java.util.ServiceLoader;
import org.torch2nnef.check.torch.TorchReferenceRequest;
import org.torch2nnef.check.torch.TorchReferenceResult;

/**
 * Runs a TorchScript model to get the values an export is checked against. The one installed
 * (module {@code torch-runner}, on DJL and libtorch) is found with {@link ServiceLoader}; an
 * export-only installation has none, and every check then fails with exit code 3.
 */
public interface TorchRunner {
    /**
     * Runs {@code forward} once on the request's inputs.
     *
     * @throws IOException when the model cannot be read, loaded or run, naming the file
     */
    TorchReferenceResult run(TorchReferenceRequest request) throws IOException;

    /** The DJL version running torch, for bug reports. */
    String djlVersion();

    /**
     * This runner moved into a child process that may run for {@code timeout} under a memory cap: a
     * crash, kill or timeout there ends in {@link TorchRunAbortedException}, never in this process.
     */
    TorchRunner inChildProcess(Duration timeout);

    /**
     * Starts now the child process of {@link #inChildProcess}, which then serves every run until
     * closed; this default starts one child per run instead.
     *
     * @throws IOException when the child cannot be started
     */
    default TorchProcess startChildProcess(Duration timeout) throws IOException {
        TorchRunner perRun = inChildProcess(timeout);
        return new TorchProcess() {
            @Override
            public TorchReferenceResult run(TorchReferenceRequest request) throws IOException {
                return perRun.run(request);
            }

            @Override
            public String djlVersion() {
                return perRun.djlVersion();
            }

            @Override
            public TorchRunner inChildProcess(Duration newTimeout) {
                return perRun.inChildProcess(newTimeout);
            }

            @Override
            public Duration timeout() {
                return timeout;
            }

            @Override
            public void close() {}
        };
    }
}
