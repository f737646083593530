package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guards against emitting NNEF ops that tract declares but cannot load ({@code constant}, {@code
 * rcp}, {@code copy}, ...): every test model under {@code src/test/resources/ops/} is exported and
 * every op invoked in its graph.nnef must be a fragment of the model, a tract extension ({@code
 * tract_*}) or a standard op tract 0.20.22, 0.21.17 and 0.22.3 register.
 */
class TractOpCoverageTest {

    /**
     * The standard NNEF ops tract 0.20.22, 0.21.17 and 0.22.3 (identical lists) load, from
     * sonos/tract {@code nnef/src/ops/nnef/mod.rs}, {@code tract_nnef()}: the {@code
     * primitive(...)}, {@code register_binary}, {@code register_unit_element_wise} and {@code
     * register_element_wise} ids plus the comparisons loop; then the fragments of {@code
     * nnef/stdlib.nnef} that have a body (registered as fragments), less those whose body calls an
     * op tract lacks ({@code add_n}: constant; {@code nearest_upsample}: debox; {@code
     * avg_roi_align}, {@code max_roi_align}: roi_resample). Deliberately absent although declared
     * in stdlib.nnef: {@code constant}, {@code copy}, {@code rcp}, {@code split}, {@code update},
     * {@code sample}, {@code debox}, ...
     */
    static final Set<String> TRACT_STANDARD_OPS =
            Set.of(
                    // primitives and element-wise registrations
                    "abs",
                    "acos",
                    "acosh",
                    "add",
                    "and",
                    "argmax_reduce",
                    "argmin_reduce",
                    "asin",
                    "asinh",
                    "atan",
                    "atanh",
                    "box",
                    "ceil",
                    "concat",
                    "conv",
                    "cos",
                    "cosh",
                    "deconv",
                    "div",
                    "exp",
                    "external",
                    "floor",
                    "log",
                    "matmul",
                    "max",
                    "max_pool_with_index",
                    "max_reduce",
                    "min",
                    "min_reduce",
                    "mul",
                    "neg",
                    "not",
                    "or",
                    "pad",
                    "pow",
                    "recip",
                    "reshape",
                    "round",
                    "rsqrt",
                    "select",
                    "sigmoid",
                    "sign",
                    "sin",
                    "sinh",
                    "slice",
                    "softmax",
                    "sqrt",
                    "square",
                    "squeeze",
                    "stack",
                    "sub",
                    "sum_reduce",
                    "tan",
                    "tanh",
                    "tile",
                    "transpose",
                    "unsqueeze",
                    "unstack",
                    "variable",
                    "leaky_relu",
                    "eq",
                    "ne",
                    "ge",
                    "gt",
                    "le",
                    "lt",
                    // stdlib.nnef fragments with a body
                    "area_downsample",
                    "avg_pool",
                    "batch_normalization",
                    "clamp",
                    "copy_n",
                    "elu",
                    "l1_normalization",
                    "l2_normalization",
                    "linear",
                    "linear_quantize",
                    "local_contrast_normalization",
                    "local_mean_normalization",
                    "local_response_normalization",
                    "local_variance_normalization",
                    "log2",
                    "logarithmic_quantize",
                    "max_pool",
                    "mean_reduce",
                    "min_max_linear_quantize",
                    "moments",
                    "nearest_downsample",
                    "prelu",
                    "relu",
                    "rms_pool",
                    "rsqr",
                    "separable_conv",
                    "separable_deconv",
                    "softabs",
                    "softplus",
                    "sqr",
                    "zero_point_linear_quantize");

    /**
     * Models the tests expect not to export (ReductionNumericTest, PoolingNumericTest,
     * ExporterTest, MiscOpsNumericTest, AttentionNumericTest, QuantizedRefusalTest).
     */
    private static final Set<String> NOT_EXPORTED =
            Set.of(
                    "sum_dtype",
                    "norm_p3",
                    "max_pool2d_indices_used",
                    "unsupported",
                    "bitwise_int",
                    "cast_bfloat16",
                    "nested_relu",
                    "nested_padded_longer",
                    "quantized_schemes",
                    "quantized_lstm_fp16",
                    "quantized_fx",
                    "quantized_cells");

    /**
     * An invocation: an identifier, optional generic argument ({@code <scalar>}: a type name, so
     * that a comparison {@code x < 0.0} followed by a later {@code -> (} is no call), then {@code
     * (}.
     */
    private static final Pattern INVOCATION =
            Pattern.compile("\\b([A-Za-z_][A-Za-z0-9_]*)\\s*(?:<\\s*[A-Za-z_]\\w*\\s*>)?\\s*\\(");

    /** Names a graph or fragment declaration gives (so {@code graph g(} is no call). */
    private static final Pattern FRAGMENT =
            Pattern.compile("\\b(?:fragment|graph)\\s+([A-Za-z_][A-Za-z0-9_]*)");

    private static final Pattern STRING = Pattern.compile("\"[^\"]*\"|'[^']*'");
    private static final Pattern COMMENT = Pattern.compile("#[^\\n]*");

    @Test
    void everyTestModelUsesOnlyOpsTractLoads(@TempDir Path tmp) throws Exception {
        List<String> models;
        try (Stream<Path> files = Files.list(OpModel.DIR)) {
            models =
                    files.map(p -> p.getFileName().toString())
                            .filter(n -> n.endsWith(".json"))
                            .map(n -> n.substring(0, n.length() - ".json".length()))
                            .filter(
                                    n ->
                                            Files.exists(OpModel.DIR.resolve(n + ".pt"))
                                                    && !NOT_EXPORTED.contains(n))
                            .sorted()
                            .toList();
        }
        assertFalse(
                models.size() < 50,
                "expected the op test models in " + OpModel.DIR + ", found " + models);
        TreeMap<String, Set<String>> unloadable = new TreeMap<>();
        List<String> exportFailures = new ArrayList<>();
        for (String model : models) {
            Path out = tmp.resolve(model);
            try {
                ExportOptions options =
                        ExportOptions.builder(out)
                                .inputs(FamilyNumerics.declarations(FamilyNumerics.inputs(model)))
                                .build();
                new Exporter().export(OpModel.DIR.resolve(model + ".pt"), options);
            } catch (ExportException e) {
                exportFailures.add(model + ": " + e.getMessage());
                continue;
            }
            Set<String> bad = unloadableOps(Files.readString(out.resolve("graph.nnef")));
            if (!bad.isEmpty()) {
                unloadable.put(model, bad);
            }
        }
        assertEquals(List.of(), exportFailures, "models that did not export");
        assertEquals(new TreeMap<>(), unloadable, "ops tract does not load, per model");
    }

    @Test
    void theCheckRejectsOpsTractLacks() {
        String text =
                """
                version 1.0;
                fragment f( x: tensor<scalar> ) -> ( y: tensor<scalar> ) { y = select(x < 0.0, recip(x), x); }
                graph g( a ) -> ( b, c, d )
                {
                    a = external<scalar>(shape = [1]);  # rcp(a) in a comment is no call
                    k = constant<scalar>(shape = [1, 3], value = [1.0, 2.0, 3.0]);
                    b = rcp(f(a));
                    c = copy(tract_core_cast(a, to = 'f16'));
                    d = pad(a, padding = [(0, 0)], border = 'constant(');
                }
                """;
        assertEquals(new TreeSet<>(List.of("constant", "copy", "rcp")), unloadableOps(text));
    }

    /**
     * The invoked op names of an NNEF text that are neither its fragments, tract extensions nor
     * loaded by tract.
     */
    static Set<String> unloadableOps(String graphNnef) {
        String code = COMMENT.matcher(STRING.matcher(graphNnef).replaceAll("''")).replaceAll("");
        Set<String> declared = new TreeSet<>();
        Matcher f = FRAGMENT.matcher(code);
        while (f.find()) {
            declared.add(f.group(1));
        }
        Set<String> bad = new TreeSet<>();
        Matcher m = INVOCATION.matcher(code);
        while (m.find()) {
            String name = m.group(1);
            if (!declared.contains(name)
                    && !name.startsWith("tract_")
                    && !TRACT_STANDARD_OPS.contains(name)) {
                bad.add(name);
            }
        }
        return bad;
    }
}
