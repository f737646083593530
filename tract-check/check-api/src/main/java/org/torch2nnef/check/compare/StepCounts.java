package org.torch2nnef.check.compare;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * How far an output torch dequantized from 8-bit codes is from torch's, counted in its quantization
 * steps ({@code round(|expected - actual| / scale)} per element).
 *
 * @param scale the output's quantization step
 * @param zeroPoint its zero point
 * @param maxSteps the largest difference, in steps (-1 when an element is NaN against a number)
 * @param offByOne elements one step away
 * @param offByMore elements more than one step away
 * @param elementCount elements compared
 * @param tolerance the step tolerance applied
 */
@JsonIgnoreProperties(
        value = {"offByOneFraction", "offByMoreFraction"},
        allowGetters = true)
public record StepCounts(
        double scale,
        long zeroPoint,
        long maxSteps,
        long offByOne,
        long offByMore,
        long elementCount,
        StepTolerance tolerance) {

    /** Share of elements off by one step. */
    @JsonProperty
    public double offByOneFraction() {
        return elementCount == 0 ? 0 : (double) offByOne / elementCount;
    }

    /** Share of elements off by more than one step. */
    @JsonProperty
    public double offByMoreFraction() {
        return elementCount == 0 ? 0 : (double) offByMore / elementCount;
    }

    /** Whether the counts are within the tolerance. */
    @JsonIgnore
    public boolean passed() {
        return maxSteps >= 0
                && maxSteps <= tolerance.maxSteps()
                && (elementCount == 0
                        || (double) (offByOne + offByMore) / elementCount <= tolerance.fraction());
    }

    /**
     * One line for people, e.g. {@code steps of 0.00679: max 1, off by 1: 130/1000 (13%), by >1: 0
     * (allowed <=1 step on <=1% of elements)}.
     */
    @JsonIgnore
    public String describe() {
        return String.format(
                Locale.ROOT,
                "steps of %.3g (zero point %d): max %s, off by 1: %d/%d (%s%%), by >1: %d/%d (%s%%);"
                        + " allowed %s",
                scale,
                zeroPoint,
                maxSteps < 0 ? "NaN" : Long.toString(maxSteps),
                offByOne,
                elementCount,
                StepTolerance.percent(offByOneFraction()),
                offByMore,
                elementCount,
                StepTolerance.percent(offByMoreFraction()),
                tolerance.describe());
    }
}
