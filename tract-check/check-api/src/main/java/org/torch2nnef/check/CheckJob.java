package org.torch2nnef.check;

import java.nio.file.Path;
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
 * @param files the model's files as a directory, extracted from an archive on first use
 */
public record CheckJob(
        CheckRequest request,
        NnefSignature signature,
        TensorBundle io,
        Path ioNpz,
        Path work,
        Supplier<Path> files) {}
