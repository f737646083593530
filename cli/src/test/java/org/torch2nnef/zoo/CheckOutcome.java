package org.torch2nnef.zoo;

import org.torch2nnef.check.CheckerMode;
import org.torch2nnef.check.compare.StepCounts;
import org.torch2nnef.check.report.ExitCode;

/**
 * One check of an exported zoo model at one set of input shapes.
 *
 * @param at the input shapes
 * @param checker the checker that ran
 * @param checkerVersion its version as the report gives it
 * @param verdict the report's verdict
 * @param maxAbsError the largest absolute error over all outputs (NaN when nothing was compared)
 * @param failure why it did not pass, one line; null when it passed
 * @param steps for a quantized sample, the step counts of its first output compared in quantization
 *     steps; null otherwise
 */
public record CheckOutcome(
        ZooModel.Check at,
        CheckerMode checker,
        String checkerVersion,
        ExitCode verdict,
        double maxAbsError,
        String failure,
        StepCounts steps) {
    /** A check without step counts. */
    public CheckOutcome(
            ZooModel.Check at,
            CheckerMode checker,
            String checkerVersion,
            ExitCode verdict,
            double maxAbsError,
            String failure) {
        this(at, checker, checkerVersion, verdict, maxAbsError, failure, null);
    }

    /** Whether every output was within tolerance. */
    public boolean passed() {
        return verdict == ExitCode.EQUAL;
    }
}
