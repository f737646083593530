package org.torch2nnef.check;

import java.util.Optional;
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
                job.request().approximation(),
                job.request().stepTolerance());
    }

    @Override
    public Optional<String> toolVersion() {
        return Optional.empty();
    }
}
