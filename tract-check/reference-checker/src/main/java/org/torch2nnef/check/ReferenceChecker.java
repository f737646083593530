package org.torch2nnef.check;

import ai.djl.engine.Engine;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import org.torch2nnef.check.report.CheckReport;

/**
 * The reference interpreter's {@link Checker} ({@link ReferenceCheck}): always ready, it ships with
 * us.
 */
public final class ReferenceChecker implements Checker, Checker.Run {
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
        return ReferenceCheck.run(
                job.files().get(),
                job.request().nnefModel(),
                job.io(),
                job.signature(),
                job.request().approximation());
    }

    @Override
    public Optional<String> toolVersion() {
        return Optional.empty();
    }

    /**
     * Loads libtorch (a large part of a small check) and extracts the model while torch runs in its
     * child process.
     */
    @Override
    public void warmUp(Supplier<Path> files) {
        try {
            Engine.getEngine(ReferenceCheck.ENGINE);
            files.get();
        } catch (RuntimeException | LinkageError e) {
            // check() meets it again and reports it
        }
    }
}
