package org.torch2nnef.zoo;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.torch2nnef.check.CheckerMode;
import org.torch2nnef.check.compare.StepCounts;

/**
 * Everything one zoo model went through: its export and, when it exported, its checks by checker.
 *
 * @param model the manifest entry
 * @param export how it exported
 * @param checks the checks by checker, in the manifest's check order (none when the export failed)
 */
public record ZooOutcome(
        ZooModel model, ExportOutcome export, Map<CheckerMode, List<CheckOutcome>> checks) {
    /** The verdict of a model that passed everything. */
    public static final String PASS = "pass";

    /** The prefix of every other verdict; the rest is the reason. */
    public static final String FAIL = "fail: ";

    /** Canonical constructor; copies the checks. */
    public ZooOutcome {
        Map<CheckerMode, List<CheckOutcome>> copy = new EnumMap<>(CheckerMode.class);
        checks.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        checks = Collections.unmodifiableMap(copy);
    }

    /**
     * The verdict as expectations spell it: {@code pass}, or {@code fail: } and the first reason,
     * e.g. {@code fail: export: no translator for aten::batch_norm (20 nodes)} or {@code fail:
     * reference check at time=130: outputs differ: y: ...}.
     *
     * @throws IllegalStateException if the model exported but {@code checker} did not run
     */
    public String verdict(CheckerMode checker) {
        if (!export.exported()) {
            return FAIL + "export: " + export.failure();
        }
        List<CheckOutcome> ran = checks.get(checker);
        if (ran == null) {
            throw new IllegalStateException(
                    model.name() + ": the " + checker.cliName() + " check did not run");
        }
        return ran.stream()
                .filter(c -> !c.passed())
                .findFirst()
                .map(
                        c ->
                                FAIL
                                        + checker.cliName()
                                        + " check at "
                                        + c.at().describe()
                                        + ": "
                                        + c.failure())
                .orElse(PASS);
    }

    /** The largest absolute error of {@code checker} over every output and check; NaN if none. */
    public double maxAbsError(CheckerMode checker) {
        return checks.getOrDefault(checker, List.of()).stream()
                .mapToDouble(CheckOutcome::maxAbsError)
                .filter(d -> !Double.isNaN(d))
                .max()
                .orElse(Double.NaN);
    }

    /** The step counts of {@code checker}'s first check, for a quantized sample; null if none. */
    public StepCounts steps(CheckerMode checker) {
        return checks.getOrDefault(checker, List.of()).stream()
                .map(CheckOutcome::steps)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
    }
}
