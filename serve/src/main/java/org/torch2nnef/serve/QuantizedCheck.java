package org.torch2nnef.serve;

import org.torch2nnef.check.CheckRequest;
import org.torch2nnef.check.compare.StepTolerance;
import org.torch2nnef.check.torch.TorchReferenceRequest;

/**
 * The check options for quantized models that both job kinds take, as the CLI's {@code
 * --quantized-engine}, {@code --max-steps} and {@code --max-step-fraction}: torch's quantized
 * engine (null for libtorch's default) and the step tolerance of outputs dequantized from 8-bit
 * codes.
 */
final class QuantizedCheck {
    private QuantizedCheck() {}

    /** {@code --max-steps}: the CLI's default when absent. */
    static long maxSteps(Long given) {
        return given == null ? StepTolerance.DEFAULT.maxSteps() : given;
    }

    /** {@code --max-step-fraction}: the CLI's default when absent. */
    static double maxStepFraction(Double given) {
        return given == null ? StepTolerance.DEFAULT.fraction() : given;
    }

    /** {@code --quantized-engine}, trimmed; null when absent. */
    static String engine(String given) {
        return given == null ? null : given.trim();
    }

    /**
     * Checks the three as the CLI's converters do.
     *
     * @throws IllegalArgumentException naming the bad option
     */
    static void validate(String engine, long maxSteps, double maxStepFraction) {
        if (engine != null && !TorchReferenceRequest.QUANTIZED_ENGINES.contains(engine)) {
            throw new IllegalArgumentException(
                    "quantizedEngine '"
                            + engine
                            + "' is not one of "
                            + String.join(", ", TorchReferenceRequest.QUANTIZED_ENGINES));
        }
        if (maxSteps < 0) {
            throw new IllegalArgumentException("maxSteps " + maxSteps + " is negative");
        }
        if (!(maxStepFraction >= 0 && maxStepFraction <= 1)) {
            throw new IllegalArgumentException(
                    "maxStepFraction " + maxStepFraction + " is not between 0 and 1");
        }
    }

    /** Sets them on a check request. */
    static CheckRequest.Builder apply(
            CheckRequest.Builder b, String engine, long maxSteps, double maxStepFraction) {
        b.stepTolerance(new StepTolerance(maxSteps, maxStepFraction));
        if (engine != null) {
            b.quantizedEngine(engine);
        }
        return b;
    }
}
