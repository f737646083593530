package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType;
import org.torch2nnef.nnef.contract.DType;
import org.torch2nnef.nnef.contract.HostTensor;

/**
 * Attention as torch 1.13 traces it under no_grad in eval mode (fused {@code
 * _native_multi_head_attention} and {@code _transformer_encoder_layer_fwd}, nested tensors of
 * nn.TransformerEncoder given a padding mask), and the unfused path's masks ({@code baddbmm});
 * models of make_attention_models.py, compared with torch at the traced shapes and with a dynamic
 * batch and sequence at two sizes of each (reference interpreter, and tract when found). A bool
 * input is a key padding mask whose row {@code b} pads its last {@code min(b, T - 1)} positions
 * (FamilyNumerics).
 */
class AttentionNumericTest {
    private static final List<Map<String, Long>> SIZES =
            List.of(Map.of("B", 1L, "S", 7L), Map.of("B", 4L, "S", 2L));

    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "mha_fused",
                "mha_fused_padding",
                "mha_fused_float_padding",
                "mha_kernel_distinct_inputs",
                "mha_kernel_full_mask",
                "encoder_layer_fused",
                "encoder_layer_fused_gelu_norm_first",
                "encoder_layer_fused_padding",
                "encoder_nested",
                "mha_unfused_padding",
                "baddbmm",
                "nested_round_trip"
            })
    void matchesTorch(String model) throws Exception {
        FamilyNumerics.exportAndCheck(model, tmp);
    }

    /** Every input's axes 0 and 1 (sequences [B, S, E], masks [B, S]) are the symbols B and S. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "mha_fused",
                "mha_fused_padding",
                "mha_fused_float_padding",
                "mha_kernel_distinct_inputs",
                "mha_kernel_full_mask",
                "encoder_layer_fused",
                "encoder_layer_fused_gelu_norm_first",
                "encoder_layer_fused_padding",
                "encoder_nested",
                "mha_unfused_padding",
                "nested_round_trip"
            })
    void matchesTorchWithDynamicBatchAndSequence(String model) throws Exception {
        List<String> axes = new ArrayList<>();
        for (int i = 0; i < FamilyNumerics.inputs(model).size(); i++) {
            axes.add("in" + i + ":0=B,1=S");
        }
        ExportResult r = FamilyNumerics.exportDynamicAndCheck(model, tmp, axes, SIZES);
        assertEquals(Set.of("B", "S"), r.symbols());
    }

    /**
     * torch 2's {@code scaled_dot_product_attention} (bool and float masks, is_causal with a scale,
     * rank 3 with target and source lengths apart, nn.MultiheadAttention as torch 2 computes it),
     * in archives written by libtorch 2.x (make_torch2_attention_models.py); at the traced shapes,
     * then with the axes given dynamic at two sizes of each.
     */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "sdpa_bool_mask | in0:0=B,2=S; in1:0=B,2=S; in2:0=B,2=S; in3:0=S,1=S",
                "sdpa_causal_scale | in0:0=B,2=S; in1:0=B,2=S; in2:0=B,2=S",
                "sdpa_float_mask | in0:0=B,1=L; in1:0=B,1=S; in2:0=B,1=S; in3:0=B,1=S",
                "mha_torch2_unfused | in0:0=S,1=B"
            })
    void matchesTorch2(String model, String axes) throws Exception {
        FamilyNumerics.exportAndCheck(model, tmp);
        List<Map<String, Long>> sizes =
                List.of(Map.of("B", 1L, "S", 7L, "L", 3L), Map.of("B", 4L, "S", 2L, "L", 6L));
        FamilyNumerics.exportDynamicAndCheck(model, tmp, List.of(axes.split("; ")), sizes);
    }

    /**
     * torch's nested tensor holds the first {@code sum(not padding[b])} positions of sequence
     * {@code b}, whether the mask is left-aligned or not; row 0 is whole, so torch pads the result
     * back to the input's length.
     */
    @Test
    void nestedSequencesAreTheFirstPositionsCountedByTheMask() throws Exception {
        ExportResult r =
                FamilyNumerics.exportDynamicAndCheck(
                        "encoder_nested", tmp, List.of("in0:0=B,1=S", "in1:0=B,1=S"), List.of());
        byte[] padding = {0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1, 0, 1, 1};
        List<HostTensor> inputs =
                new ArrayList<>(FamilyNumerics.values(FamilyNumerics.inputs("encoder_nested"), 7));
        inputs.set(
                1, HostTensor.of("in1", DType.BOOL, new long[] {3, 5}, ByteBuffer.wrap(padding)));
        FamilyNumerics.check("encoder_nested", r.output(), inputs, tmp.resolve("unaligned"));
    }

    /** A nested tensor read by an op other than the encoder layer's kernel and to_padded_tensor. */
    @Test
    void nestedTensorsReachOnlyTheKernelsThatReadThem() {
        ExportException e =
                assertThrows(
                        ExportException.class,
                        () -> FamilyNumerics.exportAndCheck("nested_relu", tmp));
        assertTrue(
                e.getMessage().contains("aten::relu")
                        && e.getMessage().contains("is a nested tensor"),
                e.getMessage());
    }

    @Test
    void shapeInferenceRefusesWhatTheKernelsRefuse() {
        assertRefused(
                "mha_fused",
                List.of("f32[2,5,6]"),
                "embed_dim 8 in 4 heads does not fit the input [2,5,6]");
        assertRefused(
                "encoder_layer_fused",
                List.of("f32[5,8]"),
                "needs batched sequences [B, T, E] (batch_first)");
        assertRefused(
                "encoder_nested",
                List.of("f32[3,5,8]", "bool[3,6]"),
                "_nested_tensor_from_mask needs a bool mask [3,5] for its input [3,5,8], got bool[3,6]");
        assertRefused(
                "nested_padded_longer",
                List.of("f32[3,5,8]", "bool[3,5]"),
                "to_padded_tensor to output_size [3,6,8] other than the padded size [3,5,8]");
        assertRefused(
                "sdpa_causal_scale",
                List.of("f32[2,5,4]", "f32[2,2,5,4]", "f32[2,2,5,4]"),
                "scaled_dot_product_attention needs query, key and value of one rank >= 2");
    }

    private void assertRefused(String model, List<String> types, String expected) {
        List<InputDeclaration> declared = new ArrayList<>();
        for (String type : types) {
            ValueType.TensorType t = OpModel.parse(type);
            declared.add(
                    new InputDeclaration(
                            "in" + declared.size(), t.shape().toLongArray(), t.dtype()));
        }
        ExportOptions options =
                ExportOptions.builder(tmp.resolve(model + "-refused")).inputs(declared).build();
        ExportException e =
                assertThrows(
                        ExportException.class,
                        () -> new Exporter().export(OpModel.DIR.resolve(model + ".pt"), options));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /** Graphs torch itself refuses to make, typed by hand: the translators name the problem. */
    @Test
    void translatorsRefuseWhatTheKernelsRefuse() throws Exception {
        String mha = "aten::_native_multi_head_attention";
        try (HandTypedGraph g = new HandTypedGraph()) {
            Value x = g.input("x", "f32[2,5,8]");
            List<Value> out =
                    g.op(
                            mha,
                            multiHeadArgs(g, x, HandTypedGraph.NONE, false, HandTypedGraph.NONE),
                            "f32[2,5,8]",
                            "f32[0]");
            g.assertFails(out.get(1), mha, "need_weights=False does not compute them");
        }
        try (HandTypedGraph g = new HandTypedGraph()) {
            Value x = g.input("x", "f32[2,5,8]");
            Value mask = g.input("mask", "bool[2,5,5]");
            List<Value> out =
                    g.op(mha, multiHeadArgs(g, x, mask, true, 1L), "f32[2,5,8]", "f32[2,5,5]");
            g.assertFails(out.get(0), mha, "a mask of shape [2,5,5] with mask_type 1");
        }
        try (HandTypedGraph g = new HandTypedGraph()) {
            Value x = g.input("x", "f32[2,5,8]");
            g.assertFails(
                    g.op(
                                    "aten::to_padded_tensor",
                                    List.of(x, 0.0, HandTypedGraph.NONE),
                                    "f32[2,5,8]")
                            .get(0),
                    "aten::to_padded_tensor",
                    "which is not a nested tensor made by _nested_tensor_from_mask");
        }
        String layer = "aten::_transformer_encoder_layer_fwd";
        try (HandTypedGraph g = new HandTypedGraph()) {
            Value x = g.input("x", "f32[2,5,8]");
            Value valid = g.input("valid", "bool[2,5]");
            Value nested =
                    g.op("aten::_nested_tensor_from_mask", List.of(x, valid, true), "f32[2,5,8]")
                            .get(0);
            List<Object> args =
                    new ArrayList<>(
                            List.of(
                                    nested,
                                    8L,
                                    2L,
                                    g.input("w", "f32[24,8]"),
                                    g.input("b", "f32[24]"),
                                    g.input("pw", "f32[8,8]"),
                                    g.input("pb", "f32[8]"),
                                    false,
                                    false,
                                    1e-5));
            for (String type :
                    List.of(
                            "f32[8]",
                            "f32[8]",
                            "f32[8]",
                            "f32[8]",
                            "f32[16,8]",
                            "f32[16]",
                            "f32[8,16]",
                            "f32[8]")) {
                args.add(g.input("p" + args.size(), type));
            }
            args.add(g.input("mask", "bool[2,5]"));
            args.add(1L);
            g.assertFails(
                    g.op(layer, args, "f32[2,5,8]").get(0),
                    layer,
                    "a mask given with a nested tensor input");
        }
    }

    @Test
    void scaledDotProductAttentionRefusesWhatItCannotExport() throws Exception {
        String sdpa = "aten::scaled_dot_product_attention";
        try (HandTypedGraph g = new HandTypedGraph()) {
            Value x = g.input("x", "f32[1,2,5,8]");
            g.assertFails(
                    g.op(sdpa, List.of(x, x, x, HandTypedGraph.NONE, 0.1, false), "f32[1,2,5,8]")
                            .get(0),
                    sdpa,
                    "dropout_p=0.1: scaled_dot_product_attention drops out in eval mode too");
        }
        try (HandTypedGraph g = new HandTypedGraph()) {
            Value q = g.input("q", "f32[1,4,5,8]");
            Value kv = g.input("kv", "f32[1,2,5,8]");
            g.assertFails(
                    g.op(
                                    sdpa,
                                    List.of(
                                            q,
                                            kv,
                                            kv,
                                            HandTypedGraph.NONE,
                                            0.0,
                                            false,
                                            HandTypedGraph.NONE,
                                            true),
                                    "f32[1,4,5,8]")
                            .get(0),
                    sdpa,
                    "enable_gqa with 2 key heads for 4 query heads is not supported");
        }
        try (HandTypedGraph g = new HandTypedGraph()) {
            Value x = g.input("x", "f32[5,8]");
            Value mask = g.input("mask", "bool[1,5,5]");
            g.assertFails(
                    g.op(sdpa, List.of(x, x, x, mask), "f32[5,8]").get(0),
                    sdpa,
                    "an attn_mask [1,5,5] of higher rank than the query [5,8]");
        }
        try (HandTypedGraph g = new HandTypedGraph()) {
            Value x = g.input("x", "f32[1,2,5,E]");
            g.assertFails(
                    g.op(sdpa, List.of(x, x, x), "f32[1,2,5,E]").get(0),
                    sdpa,
                    "the default scale of a query of dynamic size E");
        }
    }

    /**
     * The arguments of {@code _native_multi_head_attention(x, x, x, 8, 4, ...)} with new parameter
     * inputs.
     */
    private static List<Object> multiHeadArgs(
            HandTypedGraph g, Value x, Object mask, boolean needWeights, Object maskType) {
        return List.of(
                x,
                x,
                x,
                8L,
                4L,
                g.input("w", "f32[24,8]"),
                g.input("b", "f32[24]"),
                g.input("pw", "f32[8,8]"),
                g.input("pb", "f32[8]"),
                mask,
                needWeights,
                true,
                maskType);
    }
}
