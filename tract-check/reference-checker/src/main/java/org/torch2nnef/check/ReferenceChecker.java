package org.torch2nnef.check;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.torch.Limits;
import org.torch2nnef.nnef.contract.TensorBundle;

/**
 * The reference interpreter's {@link Checker} ({@link ReferenceCheck}): always ready, it ships with
 * us. An untrusted model runs in a child process under the caps of {@link Limits}.
 */
public final class ReferenceChecker implements Checker, Checker.Run {
    private final Supplier<Limits> limits;

    /** The interpreter's run started before torch's ({@link #inputsKnown}); null before. */
    private volatile ReferenceCheck.Started started;

    /** The checker, its child's caps read from the system properties when it runs. */
    public ReferenceChecker() {
        this(Limits::fromSystemProperties);
    }

    /** The checker, its child under {@code limits}. */
    public ReferenceChecker(Limits limits) {
        this(() -> limits);
    }

    private ReferenceChecker(Supplier<Limits> limits) {
        this.limits = limits;
    }

    @Override
    public CheckerMode mode() {
        return CheckerMode.REFERENCE;
    }

    @Override
    public Preparation prepare(CheckRequest request) {
        // a run of its own: it holds the interpreter's run started early
        return new Ready(new ReferenceChecker(limits), "the built-in reference interpreter");
    }

    @Override
    public CheckReport check(CheckJob job) {
        return ReferenceCheck.run(job, limits, Optional.ofNullable(started));
    }

    @Override
    public Optional<String> toolVersion() {
        return Optional.empty();
    }

    /**
     * Starts the interpreter in the check's child process, beside torch's run there; in this JVM
     * (no child) it runs when {@link #check} asks.
     */
    @Override
    public void inputsKnown(
            CheckRequest request,
            TensorBundle inputs,
            Supplier<Path> files,
            Path work,
            Optional<TorchProcess> child) {
        if (child.isPresent()) {
            started = ReferenceCheck.start(request.nnefModel(), inputs, files, work, child, limits);
        }
    }

    /**
     * Extracts the model while torch runs in its child process. libtorch is not loaded here: when
     * torch runs in a child, so does the interpreter (isolated, under the same caps).
     */
    @Override
    public void warmUp(Supplier<Path> files) {
        try {
            files.get();
        } catch (RuntimeException | LinkageError e) {
            // check() meets it again and reports it
        }
    }
}
