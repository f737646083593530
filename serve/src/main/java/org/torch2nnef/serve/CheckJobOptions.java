package org.torch2nnef.serve;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.torch2nnef.check.CheckerMode;
import org.torch2nnef.check.compare.Approximation;
import org.torch2nnef.check.torch.InputSpec;
import org.torch2nnef.nnef.contract.TractRelease;

/**
 * The {@code options} part of {@code POST /v1/checks}: {@code torch2nnef check}'s flags.
 *
 * @param inputs {@code --input} lines keyed by the NNEF input name, e.g. {@code x=1,3,16}
 * @param checker {@code --checker}: auto, tract or reference
 * @param tractVersion {@code --tract-version}; null for the model's recorded one
 * @param approx {@code --approx}
 * @param seed {@code --seed}
 * @param quantizedEngine {@code --quantized-engine}; null for libtorch's default
 * @param maxSteps {@code --max-steps} (default 1)
 * @param maxStepFraction {@code --max-step-fraction} (default 0.01)
 */
public record CheckJobOptions(
        List<String> inputs,
        String checker,
        String tractVersion,
        String approx,
        long seed,
        String quantizedEngine,
        Long maxSteps,
        Double maxStepFraction) {

    @JsonCreator
    public CheckJobOptions(
            @JsonProperty("inputs") List<String> inputs,
            @JsonProperty("checker") String checker,
            @JsonProperty("tractVersion") String tractVersion,
            @JsonProperty("approx") String approx,
            @JsonProperty("seed") long seed,
            @JsonProperty("quantizedEngine") String quantizedEngine,
            @JsonProperty("maxSteps") Long maxSteps,
            @JsonProperty("maxStepFraction") Double maxStepFraction) {
        this.inputs = inputs == null ? List.of() : List.copyOf(inputs);
        this.checker = checker == null ? "auto" : checker.trim();
        this.tractVersion = tractVersion == null ? null : tractVersion.trim();
        this.approx = approx == null ? "approximate" : approx.trim();
        this.seed = seed;
        this.quantizedEngine = QuantizedCheck.engine(quantizedEngine);
        this.maxSteps = QuantizedCheck.maxSteps(maxSteps);
        this.maxStepFraction = QuantizedCheck.maxStepFraction(maxStepFraction);
    }

    /**
     * Parses every option, so that a bad one is refused at submission.
     *
     * @throws IllegalArgumentException naming it
     */
    void validate() {
        specs();
        mode();
        Approximation.parse(approx);
        QuantizedCheck.validate(quantizedEngine, maxSteps, maxStepFraction);
        if (tractVersion != null) {
            TractRelease.parseSupported(tractVersion);
        }
    }

    List<InputSpec> specs() {
        return inputs.stream().map(InputSpec::parse).toList();
    }

    CheckerMode mode() {
        return CheckerMode.parse(checker);
    }
}
