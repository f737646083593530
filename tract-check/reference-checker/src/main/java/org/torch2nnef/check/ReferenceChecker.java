package org.torch2nnef.check;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.torch.Limits;

/**
 * The reference interpreter's {@link Checker} ({@link ReferenceCheck}): always ready, it ships with
 * us. An untrusted model runs in a child process under the caps of {@link Limits}.
 */
public final class ReferenceChecker implements Checker, Checker.Run {
    private final Supplier<Limits> limits;

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
        return new Ready(this, "the built-in reference interpreter");
    }

    @Override
    public CheckReport check(CheckJob job) {
        return ReferenceCheck.run(job, limits);
    }

    @Override
    public Optional<String> toolVersion() {
        return Optional.empty();
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
