package org.torch2nnef.check;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.torch2nnef.nnef.contract.TensorBundle;

/**
 * What a {@link Checker.Run} checks: the request, the model's signature and torch's run of it.
 *
 * @param request the check as asked
 * @param signature the model's inputs, outputs and properties, from its {@code graph.nnef}
 * @param io torch's inputs and outputs under their NNEF names
 * @param ioNpz {@code io} written as an npz
 * @param work the work directory
 * @param files the model's files as a directory, extracted from an archive on first use; an
 *     extraction refused (past its disk budget) is an {@link java.io.UncheckedIOException} naming
 *     {@code archive!entry} and the limit
 * @param child present when the model must run in a capped child process (an untrusted model: the
 *     CLI): the one torch ran in, which a checker computing with libtorch runs in too; empty to run
 *     in this JVM
 */
public record CheckJob(
        CheckRequest request,
        NnefSignature signature,
        TensorBundle io,
        Path ioNpz,
        Path work,
        Supplier<Path> files,
        Optional<TorchProcess> child) {
    /** How long a run in the child process may take; empty to run in this JVM. */
    public Optional<Duration> childTimeout() {
        return child.map(TorchProcess::timeout);
    }
}
