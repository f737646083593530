package org.torch2nnef.check.compare;

import java.util.List;

/**
 * How one output compared with its expected value.
 *
 * @param name output name
 * @param expectedDtype expected element type label ({@code f32}), null when the output is missing
 * @param actualDtype actual element type label, null when the output is missing
 * @param expectedShape expected shape, null when unknown
 * @param actualShape actual shape, null when the output is missing
 * @param maxAbsError largest {@code |expected - actual|} (NaN when values were not compared)
 * @param maxRelError largest {@code |expected - actual| / |expected|} over elements whose expected
 *     value is non-zero (NaN when values were not compared)
 * @param outliers elements outside the tolerance (-1 when values were not compared)
 * @param elementCount elements compared
 * @param tolerance the tolerance applied
 * @param passed verdict
 * @param reason why it failed (first outlier, shape or type mismatch, missing output); empty when
 *     passed
 * @param steps for an output torch dequantized from 8-bit codes, the differences counted in its
 *     quantization steps, which decide the verdict; null for other outputs
 */
public record OutputComparison(
        String name,
        String expectedDtype,
        String actualDtype,
        List<Long> expectedShape,
        List<Long> actualShape,
        double maxAbsError,
        double maxRelError,
        long outliers,
        long elementCount,
        Tolerance tolerance,
        boolean passed,
        String reason,
        StepCounts steps) {

    /** A comparison at a float tolerance (no step counts). */
    public OutputComparison(
            String name,
            String expectedDtype,
            String actualDtype,
            List<Long> expectedShape,
            List<Long> actualShape,
            double maxAbsError,
            double maxRelError,
            long outliers,
            long elementCount,
            Tolerance tolerance,
            boolean passed,
            String reason) {
        this(
                name,
                expectedDtype,
                actualDtype,
                expectedShape,
                actualShape,
                maxAbsError,
                maxRelError,
                outliers,
                elementCount,
                tolerance,
                passed,
                reason,
                null);
    }
}
