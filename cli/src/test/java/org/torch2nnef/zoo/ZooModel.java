package org.torch2nnef.zoo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.torch2nnef.check.compare.StepTolerance;
import org.torch2nnef.check.torch.InputSpec;
import org.torch2nnef.export.DynamicAxes;
import org.torch2nnef.export.InputDeclaration;

/**
 * One entry of the zoo manifest ({@code samples/zoo/zoo.json}), as torch recorded it.
 *
 * @param name model name, a lower-case identifier
 * @param family {@code audio}, {@code embedded}, {@code sequence}, {@code vision}, {@code public}
 * @param description one line on the architecture
 * @param archive the traced TorchScript archive (absolute)
 * @param committed whether the archive is committed (otherwise generated into the cache)
 * @param parameterCount parameters counted by torch
 * @param inputs {@code forward}'s arguments in order, at their trace shapes
 * @param dynamicAxes the axes whose size varies
 * @param outputs output names in return order
 * @param checks the shapes to check at: one per test length (trace shapes without dynamic axes)
 * @param ops the op census of the traced graph: op kind to number of nodes
 * @param recurrentModules the torch recurrent module classes used, simple names ({@code LSTM})
 * @param wholeModuleOps the ops torch recorded for whole recurrent modules ({@code aten::lstm}),
 *     which only a module extractor can export
 * @param quantization for a quantized sample (samples/quantized), the torch engine and step
 *     tolerance its checks use; null for float models
 */
public record ZooModel(
        String name,
        String family,
        String description,
        Path archive,
        boolean committed,
        long parameterCount,
        List<Input> inputs,
        List<Axis> dynamicAxes,
        List<String> outputs,
        List<Check> checks,
        SortedMap<String, Integer> ops,
        List<String> recurrentModules,
        List<String> wholeModuleOps,
        Quantization quantization) {

    /**
     * How a quantized sample is checked.
     *
     * @param engine libtorch's quantized engine for the torch runs
     * @param steps the tolerance of outputs compared in quantization steps
     * @param reason why the sample needs more than the default step tolerance; empty when it does
     *     not
     */
    public record Quantization(String engine, StepTolerance steps, String reason) {}

    /** The same model checked with {@code q}. */
    public ZooModel withQuantization(Quantization q) {
        return new ZooModel(
                name,
                family,
                description,
                archive,
                committed,
                parameterCount,
                inputs,
                dynamicAxes,
                outputs,
                checks,
                ops,
                recurrentModules,
                wholeModuleOps,
                q);
    }

    /** Canonical constructor; copies the collections. */
    public ZooModel {
        inputs = List.copyOf(inputs);
        dynamicAxes = List.copyOf(dynamicAxes);
        outputs = List.copyOf(outputs);
        checks = List.copyOf(checks);
        ops = new TreeMap<>(ops);
        recurrentModules = List.copyOf(recurrentModules);
        wholeModuleOps = List.copyOf(wholeModuleOps);
    }

    /**
     * A {@code forward} argument.
     *
     * @param name argument name (also the NNEF input name)
     * @param shape trace shape
     * @param dtype torch dtype name, e.g. {@code float32}, {@code int64}
     * @param valueRange {@code [low, high)} of an integer input (token ids), null for floats
     */
    public record Input(String name, List<Long> shape, String dtype, long[] valueRange) {
        /** Canonical constructor; copies the shape and range. */
        public Input {
            shape = List.copyOf(shape);
            valueRange = valueRange == null ? null : valueRange.clone();
        }

        @Override
        public long[] valueRange() {
            return valueRange == null ? null : valueRange.clone();
        }
    }

    /**
     * A dynamic axis.
     *
     * @param input the input it belongs to
     * @param axis the axis, from 0
     * @param symbol the manifest's name for its size, e.g. {@code time}; inputs sharing a symbol
     *     share the size
     * @param testLengths the two sizes to check at
     */
    public record Axis(String input, int axis, String symbol, List<Long> testLengths) {
        /** Canonical constructor; copies the lengths. */
        public Axis {
            testLengths = List.copyOf(testLengths);
        }

        /**
         * The tract symbol: tract wants single letters, so {@code time} becomes {@code T}. The
         * manifest reader refuses two symbols of one model with the same letter.
         */
        public String tractSymbol() {
            return symbol.substring(0, 1).toUpperCase(Locale.ROOT);
        }
    }

    /**
     * One set of input shapes to check at.
     *
     * @param lengths the size of each dynamic-axis symbol (empty without dynamic axes)
     * @param inputShapes the shape of each input by name
     */
    public record Check(Map<String, Long> lengths, Map<String, List<Long>> inputShapes) {
        /** Canonical constructor; copies the maps, keeping their order. */
        public Check {
            lengths = Collections.unmodifiableMap(new LinkedHashMap<>(lengths));
            Map<String, List<Long>> shapes = new LinkedHashMap<>();
            inputShapes.forEach((k, v) -> shapes.put(k, List.copyOf(v)));
            inputShapes = Collections.unmodifiableMap(shapes);
        }

        /** E.g. {@code time=64}, {@code batch=3 seq=17}, or {@code trace shapes}. */
        public String describe() {
            if (lengths.isEmpty()) {
                return "trace shapes";
            }
            List<String> parts = new ArrayList<>();
            lengths.forEach((k, v) -> parts.add(k + "=" + v));
            return String.join(" ", parts);
        }
    }

    /** The inputs as the exporter takes them: trace shapes, names and dtypes. */
    public List<InputDeclaration> declarations() {
        return inputs.stream()
                .map(
                        i ->
                                InputDeclaration.parse(
                                        i.name() + "=" + dims(i.shape()) + ":" + i.dtype()))
                .toList();
    }

    /** The dynamic axes as the exporter takes them, one declaration per input, tract symbols. */
    public List<DynamicAxes> dynamicAxesDeclarations() {
        Map<String, Map<Integer, String>> byInput = new LinkedHashMap<>();
        for (Axis a : dynamicAxes) {
            byInput.computeIfAbsent(a.input(), k -> new TreeMap<>()).put(a.axis(), a.tractSymbol());
        }
        List<DynamicAxes> out = new ArrayList<>();
        byInput.forEach((input, axes) -> out.add(new DynamicAxes(input, axes)));
        return out;
    }

    /** The concrete inputs of {@code check}, as the check workflow takes them. */
    public List<InputSpec> inputSpecs(Check check) {
        return inputs.stream()
                .map(
                        i ->
                                InputSpec.parse(
                                        i.name()
                                                + "="
                                                + dims(check.inputShapes().get(i.name()))
                                                + ":"
                                                + checkDtype(i.dtype())))
                .toList();
    }

    /** The aten ops of the census (prim ops are graph plumbing), sorted. */
    public List<String> atenOps() {
        return ops.keySet().stream().filter(k -> k.startsWith("aten::")).toList();
    }

    private static String dims(List<Long> shape) {
        return String.join(",", shape.stream().map(String::valueOf).toList());
    }

    /** The check workflow's dtype labels ({@code f32}) for torch's names ({@code float32}). */
    private String checkDtype(String torchName) {
        return switch (torchName) {
            case "float32" -> "f32";
            case "float64" -> "f64";
            case "float16" -> "f16";
            case "int64" -> "i64";
            case "int32" -> "i32";
            case "bool" -> "bool";
            default ->
                    throw new IllegalArgumentException(
                            "zoo model "
                                    + name
                                    + ": input dtype "
                                    + torchName
                                    + " has no check-workflow label");
        };
    }
}
