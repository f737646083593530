package org.torch2nnef.check.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.OutputQuantization;
import org.torch2nnef.nnef.contract.TensorBundle;

/** Compares tensors the way tract's {@code Tensor::close_enough} does, and reports the figures. */
public final class TensorComparator {
    private TensorComparator() {}

    /**
     * Compares {@code actual} with {@code expected} at {@code level}. A shape or element type
     * difference fails without comparing values.
     */
    public static OutputComparison compare(
            HostTensor expected, HostTensor actual, Approximation level) {
        Tolerance tol = level.tolerance(expected.dtype());
        String name = expected.name();
        List<Long> es = boxed(expected.shape());
        List<Long> as = boxed(actual.shape());
        String ed = expected.dtype().label();
        String ad = actual.dtype().label();
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            return new OutputComparison(
                    name,
                    ed,
                    ad,
                    es,
                    as,
                    Double.NaN,
                    Double.NaN,
                    -1,
                    0,
                    tol,
                    false,
                    "shape mismatch: expected "
                            + expected.shapeText()
                            + ", got "
                            + actual.shapeText());
        }
        if (expected.dtype() != actual.dtype()) {
            return new OutputComparison(
                    name,
                    ed,
                    ad,
                    es,
                    as,
                    Double.NaN,
                    Double.NaN,
                    -1,
                    0,
                    tol,
                    false,
                    "element type mismatch: expected " + ed + ", got " + ad);
        }
        // tract compares in f32, with f32 arithmetic.
        float atol = (float) tol.atol();
        float rtol = (float) tol.rtol();
        int n = expected.elementCount();
        double maxAbs = 0;
        double maxRel = 0;
        long outliers = 0;
        int firstOutlier = -1;
        for (int i = 0; i < n; i++) {
            float a = (float) expected.getDouble(i);
            float b = (float) actual.getDouble(i);
            if ((Float.isNaN(a) && Float.isNaN(b))
                    || (Float.isInfinite(a)
                            && Float.isInfinite(b)
                            && Math.signum(a) == Math.signum(b))) {
                continue;
            }
            float diff = Math.abs(a - b);
            if (!(diff <= atol + rtol * Math.abs(b))) {
                outliers++;
                if (firstOutlier < 0) {
                    firstOutlier = i;
                }
            }
            // NaN against a number counts as an infinite error.
            double d = Float.isNaN(diff) ? Double.POSITIVE_INFINITY : diff;
            maxAbs = Math.max(maxAbs, d);
            if (a != 0) {
                maxRel = Math.max(maxRel, d / Math.abs(a));
            }
        }
        boolean passed = n == 0 || (double) outliers / n <= tol.outlierRatio();
        String reason = "";
        if (!passed) {
            reason =
                    String.format(
                            "%d of %d elements outside %s (%s); first at %s: expected %s, got %s",
                            outliers,
                            n,
                            level,
                            tol.describe(),
                            indexText(expected.shape(), firstOutlier),
                            (float) expected.getDouble(firstOutlier),
                            (float) actual.getDouble(firstOutlier));
        }
        return new OutputComparison(
                name, ed, ad, es, as, maxAbs, maxRel, outliers, n, tol, passed, reason);
    }

    /**
     * Compares {@code actual} with {@code expected} in quantization steps of {@code step}: the
     * verdict is {@code tolerance}'s on the step counts; a shape or element type difference fails
     * as in {@link #compare(HostTensor, HostTensor, Approximation)}.
     */
    public static OutputComparison compareInSteps(
            HostTensor expected,
            HostTensor actual,
            OutputQuantization.Step step,
            StepTolerance tolerance) {
        OutputComparison plain = compare(expected, actual, Approximation.EXACT);
        if (plain.outliers() < 0) {
            return plain; // shape or element type mismatch: no values compared
        }
        // the float reading of the step tolerance, for readers of the tolerance field alone
        Tolerance asFloat =
                new Tolerance(step.scale() * (tolerance.maxSteps() + 0.5), 0, tolerance.fraction());
        int n = expected.elementCount();
        long maxSteps = 0;
        long offByOne = 0;
        long offByMore = 0;
        int worst = -1;
        for (int i = 0; i < n; i++) {
            double a = expected.getDouble(i);
            double b = actual.getDouble(i);
            if (a == b || (Double.isNaN(a) && Double.isNaN(b))) {
                continue;
            }
            double steps = Math.rint(Math.abs(a - b) / step.scale());
            long s = Double.isNaN(steps) ? Long.MAX_VALUE : (long) Math.min(steps, Long.MAX_VALUE);
            if (s == 1) {
                offByOne++;
            } else if (s > 1) {
                offByMore++;
            }
            if (s > maxSteps) {
                maxSteps = s;
                worst = i;
            }
        }
        StepCounts counts =
                new StepCounts(
                        step.scale(),
                        step.zeroPoint(),
                        maxSteps == Long.MAX_VALUE ? -1 : maxSteps,
                        offByOne,
                        offByMore,
                        n,
                        tolerance);
        boolean passed = counts.passed();
        String reason =
                passed
                        ? ""
                        : counts.describe()
                                + "; worst at "
                                + indexText(expected.shape(), worst)
                                + ": expected "
                                + (float) expected.getDouble(worst)
                                + ", got "
                                + (float) actual.getDouble(worst);
        return new OutputComparison(
                plain.name(),
                plain.expectedDtype(),
                plain.actualDtype(),
                plain.expectedShape(),
                plain.actualShape(),
                plain.maxAbsError(),
                plain.maxRelError(),
                offByOne + offByMore,
                n,
                asFloat,
                passed,
                reason,
                counts);
    }

    /**
     * Compares each named output of {@code actual} with the same name in {@code expected}; an
     * output missing from {@code actual} fails with that reason.
     */
    public static List<OutputComparison> compareOutputs(
            TensorBundle expected,
            TensorBundle actual,
            List<String> outputNames,
            Approximation level) {
        return compareOutputs(
                expected, actual, outputNames, level, Map.of(), StepTolerance.DEFAULT);
    }

    /**
     * As {@link #compareOutputs(TensorBundle, TensorBundle, List, Approximation)}, comparing the
     * outputs named in {@code steps} in their quantization steps at {@code stepTolerance} and the
     * others at {@code level}.
     */
    public static List<OutputComparison> compareOutputs(
            TensorBundle expected,
            TensorBundle actual,
            List<String> outputNames,
            Approximation level,
            Map<String, OutputQuantization.Step> steps,
            StepTolerance stepTolerance) {
        List<OutputComparison> result = new ArrayList<>();
        for (String name : outputNames) {
            HostTensor exp = expected.get(name);
            var got = actual.find(name);
            if (got.isEmpty()) {
                result.add(
                        new OutputComparison(
                                name,
                                exp.dtype().label(),
                                null,
                                boxed(exp.shape()),
                                null,
                                Double.NaN,
                                Double.NaN,
                                -1,
                                0,
                                level.tolerance(exp.dtype()),
                                false,
                                "output missing from "
                                        + actual.source()
                                        + " (has "
                                        + actual.names()
                                        + ")"));
            } else if (steps.containsKey(name)) {
                result.add(compareInSteps(exp, got.get(), steps.get(name), stepTolerance));
            } else {
                result.add(compare(exp, got.get(), level));
            }
        }
        return result;
    }

    private static String indexText(long[] shape, int flat) {
        long[] idx = new long[shape.length];
        long rest = flat;
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = rest % shape[d];
            rest /= shape[d];
        }
        return Arrays.toString(idx);
    }

    private static List<Long> boxed(long[] shape) {
        return Arrays.stream(shape).boxed().toList();
    }
}
