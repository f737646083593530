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
 * @param childTimeout present when the model must run in a capped child process (an untrusted
 *     model: the CLI), for at most this long; empty to run in this JVM
 */
public record CheckJob(
        CheckRequest request,
        NnefSignature signature,
        TensorBundle io,
        Path ioNpz,
        Path work,
        Supplier<Path> files,
        Optional<Duration> childTimeout) {}
