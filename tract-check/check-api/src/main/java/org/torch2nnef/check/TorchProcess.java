package org.torch2nnef.check;

import java.time.Duration;

/**
 * The capped child process of one check ({@link TorchRunner#startChildProcess}), started before the
 * model is read so that libtorch loads meanwhile. It runs torch's reference run and, for a checker
 * that computes with libtorch (the reference interpreter), that checker's run too: libtorch loads
 * once per check. Closing it ends the process.
 */
public interface TorchProcess extends TorchRunner, AutoCloseable {
    /** How long each run in the child may take ({@code --check-timeout}). */
    Duration timeout();

    /** Ends the child process. */
    @Override
    void close();
}
