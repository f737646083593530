package org.torch2nnef.serve;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.torch2nnef.check.CheckerMode;
import org.torch2nnef.check.compare.Approximation;
import org.torch2nnef.export.DynamicAxes;
import org.torch2nnef.export.ExportOptions;
import org.torch2nnef.export.InputDeclaration;
import org.torch2nnef.export.NamingScheme;
import org.torch2nnef.export.TractTarget;
import org.torch2nnef.nnef.contract.TractRelease;

/**
 * The {@code options} part of {@code POST /v1/exports}: the export flags, in the CLI's syntax.
 * Serialized with its defaults filled in, it is the canonical form the cache key hashes.
 *
 * @param inputs {@code --input} lines, e.g. {@code x=1,3,16:f32}
 * @param dynamicAxes {@code --dynamic-axes} lines, e.g. {@code x:2=S}
 * @param outputNames {@code --output-names}
 * @param tractVersion {@code --tract-version}
 * @param strict {@code --nnef-spec-strict}
 * @param check {@code --check} mode: none, auto, tract or reference
 * @param renamingScheme {@code --renaming-scheme}
 * @param approx {@code --approx} of the check
 * @param seed {@code --seed} of the check's generated inputs
 * @param quantizedEngine {@code --quantized-engine} of the check; null for libtorch's default
 * @param maxSteps {@code --max-steps} of the check (default 1)
 * @param maxStepFraction {@code --max-step-fraction} of the check (default 0.01)
 */
public record ExportJobOptions(
        List<String> inputs,
        List<String> dynamicAxes,
        List<String> outputNames,
        String tractVersion,
        boolean strict,
        String check,
        String renamingScheme,
        String approx,
        long seed,
        String quantizedEngine,
        Long maxSteps,
        Double maxStepFraction) {

    @JsonCreator
    public ExportJobOptions(
            @JsonProperty("inputs") List<String> inputs,
            @JsonProperty("dynamicAxes") List<String> dynamicAxes,
            @JsonProperty("outputNames") List<String> outputNames,
            @JsonProperty("tractVersion") String tractVersion,
            @JsonProperty("strict") boolean strict,
            @JsonProperty("check") String check,
            @JsonProperty("renamingScheme") String renamingScheme,
            @JsonProperty("approx") String approx,
            @JsonProperty("seed") long seed,
            @JsonProperty("quantizedEngine") String quantizedEngine,
            @JsonProperty("maxSteps") Long maxSteps,
            @JsonProperty("maxStepFraction") Double maxStepFraction) {
        this.inputs = inputs == null ? List.of() : List.copyOf(inputs);
        this.dynamicAxes = dynamicAxes == null ? List.of() : List.copyOf(dynamicAxes);
        this.outputNames = outputNames == null ? List.of() : List.copyOf(outputNames);
        this.tractVersion =
                tractVersion == null ? TractRelease.NEWEST_SUPPORTED_TEXT : tractVersion.trim();
        this.strict = strict;
        this.check = check == null ? "none" : check.trim();
        this.renamingScheme = renamingScheme == null ? "natural-verbose" : renamingScheme.trim();
        this.approx = approx == null ? "approximate" : approx.trim();
        this.seed = seed;
        this.quantizedEngine = QuantizedCheck.engine(quantizedEngine);
        this.maxSteps = QuantizedCheck.maxSteps(maxSteps);
        this.maxStepFraction = QuantizedCheck.maxStepFraction(maxStepFraction);
    }

    /**
     * The exporter's options, writing to {@code output}; the CLI's parsers read each flag.
     *
     * @throws IllegalArgumentException naming the bad option
     */
    public ExportOptions exportOptions(Path output) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException(
                    "options.inputs: declare each forward argument, e.g. [\"x=1,3,16\"]");
        }
        ExportOptions.Builder b =
                ExportOptions.builder(output)
                        .inputs(inputs.stream().map(InputDeclaration::parse).toList())
                        .dynamicAxes(dynamicAxes.stream().map(DynamicAxes::parse).toList())
                        .outputNames(outputNames)
                        .naming(NamingScheme.parse(renamingScheme))
                        .strict(strict)
                        .tract(TractTarget.parse(tractVersion));
        checkMode();
        Approximation.parse(approx);
        QuantizedCheck.validate(quantizedEngine, maxSteps, maxStepFraction);
        return b.build();
    }

    /** The check to run after the export, if any. */
    public Optional<CheckerMode> checkMode() {
        return "none".equals(check) ? Optional.empty() : Optional.of(CheckerMode.parse(check));
    }
}
