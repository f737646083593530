package org.torch2nnef.export.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.torch2nnef.export.NnefEmitter.NestedTensor;
import org.torch2nnef.export.OpFamily;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType.TensorType;
import org.torch2nnef.graph.shapes.NodeTypes;
import org.torch2nnef.graph.shapes.ShapeInferenceException;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.torchscript.TorchDType;

/**
 * Attention, decomposed into the NNEF of the unfused path (projections, per-head reshape and
 * transpose, scaled matrix product, softmax, output projection):
 *
 * <ul>
 *   <li>{@code _native_multi_head_attention}: nn.MultiheadAttention's fused kernel, which torch
 *       1.13 traces under {@code no_grad} in eval mode (batch_first, even number of heads, no
 *       attn_mask). Its mask (key padding {@code [B, S]} for mask_type 1, {@code [L, S]} for 0,
 *       broadcast otherwise) excludes the positions where it is non-zero: the kernel reads any mask
 *       as bool.
 *   <li>{@code _transformer_encoder_layer_fwd}: nn.TransformerEncoderLayer's fused kernel (layer
 *       norms before or after, relu or exact gelu feed-forward), on a tensor or a nested tensor.
 *   <li>{@code _nested_tensor_from_mask} and {@code to_padded_tensor}: nn.TransformerEncoder given
 *       a src_key_padding_mask under {@code no_grad} turns its input into a nested tensor (sequence
 *       {@code b} is the first {@code sum(mask[b])} positions), runs the layers on it and pads the
 *       result with zeros. The nested tensor is kept padded with the positions that hold items
 *       ({@link NnefEmitter#defineNested}); the layers attend to those positions only. torch pads
 *       to the longest sequence, the export to the input's length: the results are equal when one
 *       sequence of the batch fills the input (a batch padded to its longest sequence), and torch's
 *       result is shorter otherwise.
 *   <li>{@code scaled_dot_product_attention} (torch 2): a bool mask keeps the positions where it is
 *       true, a float mask is added to the scores, {@code is_causal} keeps key positions up to the
 *       query's; dropout must be 0.
 * </ul>
 */
public final class AttentionOps implements OpFamily {
    private static final org.slf4j.Logger LOG =
            org.slf4j.LoggerFactory.getLogger(AttentionOps.class);
    private static final Expr MINUS_INFINITY = Expr.of(Float.NEGATIVE_INFINITY);

    /**
     * Where a fused kernel's arguments are: the stacked query/key/value weight (then its bias, the
     * output projection's weight and bias), the mask and the mask type.
     */
    private record Layout(int qkvWeight, int mask, int maskType) {}

    private static final Layout MULTI_HEAD = new Layout(5, 9, 12);
    private static final Layout ENCODER_LAYER = new Layout(3, 18, 19);
    private static final List<String> ROLES = List.of("query", "key", "value");

    @Override
    public void register(OpRegistry r) {
        r.op(
                        "aten::_native_multi_head_attention(Tensor query, Tensor key, Tensor value, int embed_dim, int num_head, Tensor qkv_weight, Tensor qkv_bias, Tensor proj_weight, Tensor proj_bias, Tensor? mask=None, bool need_weights=True, bool average_attn_weights=True, int? mask_type=None) -> (Tensor, Tensor)")
                .shape(AttentionOps::multiHeadAttentionShape)
                .translate(AttentionOps::multiHeadAttention);
        r.op(
                        "aten::_transformer_encoder_layer_fwd(Tensor src, int embed_dim, int num_heads, Tensor qkv_weight, Tensor qkv_bias, Tensor proj_weight, Tensor proj_bias, bool use_gelu, bool norm_first, float eps, Tensor norm_weight_1, Tensor norm_bias_1, Tensor norm_weight_2, Tensor norm_bias_2, Tensor ffn_weight_1, Tensor ffn_bias_1, Tensor ffn_weight_2, Tensor ffn_bias_2, Tensor? mask=None, int? mask_type=None) -> Tensor")
                .shape(AttentionOps::encoderLayerShape)
                .translate(AttentionOps::encoderLayer)
                .tract("tract_core_erf"); // its gelu
        r.op(
                        "aten::_nested_tensor_from_mask(Tensor t, Tensor mask, bool mask_check=True) -> Tensor")
                .shape(AttentionOps::nestedFromMaskShape)
                .translate(AttentionOps::nestedFromMask);
        r.op(
                        "aten::to_padded_tensor(Tensor self, float padding, int[]? output_size=None) -> Tensor")
                .shape(AttentionOps::toPaddedShape)
                .translate(AttentionOps::toPadded);
        r.op(
                        "aten::scaled_dot_product_attention(Tensor query, Tensor key, Tensor value, Tensor? attn_mask=None, float dropout_p=0.0, bool is_causal=False, *, float? scale=None, bool enable_gqa=False) -> Tensor")
                .shape(AttentionOps::scaledDotProductShape)
                .translate(AttentionOps::scaledDotProduct);
    }

    /**
     * Query {@code [B, L, E]}, key and value {@code [B, S, E]}: the output is the query's shape;
     * the weights {@code [B, L, S]} averaged over heads, {@code [B, H, L, S]} per head, or an empty
     * tensor when not asked for (torch returns an undefined one).
     */
    private static void multiHeadAttentionShape(NodeTypes n) {
        TensorType query = batchedSequence(n, n.at("query"));
        TensorType key = batchedSequence(n, n.at("key"));
        batchedSequence(n, n.at("value"));
        long heads = headCount(n, query, n.at("embed_dim"), n.at("num_head"));
        n.output(0, query);
        int needWeightsArg = n.at("need_weights");
        int averageArg = n.at("average_attn_weights");
        boolean needWeights = n.isNone(needWeightsArg) || n.bool(needWeightsArg);
        boolean average = n.isNone(averageArg) || n.bool(averageArg);
        Dim b = query.shape().dim(0);
        Dim l = query.shape().dim(1);
        Dim s = key.shape().dim(1);
        Shape weights =
                !needWeights
                        ? Shape.of(0)
                        : average ? Shape.of(b, l, s) : Shape.of(b, Dim.of(heads), l, s);
        n.output(1, query.dtype(), weights);
    }

    private static void encoderLayerShape(NodeTypes n) {
        TensorType src = batchedSequence(n, n.at("src"));
        headCount(n, src, n.at("embed_dim"), n.at("num_heads"));
        n.output(0, src);
    }

    /**
     * {@code [B, T, D]} and a bool mask {@code [B, T]}; the nested tensor is typed as its padded
     * layout.
     */
    private static void nestedFromMaskShape(NodeTypes n) {
        TensorType t = batchedSequence(n, n.at("t"));
        TensorType mask = n.tensor(n.at("mask"));
        Shape expected = new Shape(t.shape().dims().subList(0, 2));
        if (mask.dtype() != TorchDType.BOOL || !mask.shape().equals(expected)) {
            throw new ShapeInferenceException(
                    "_nested_tensor_from_mask needs a bool mask "
                            + expected
                            + " for its input "
                            + t.shape()
                            + ", got "
                            + mask.dtype().torchName()
                            + mask.shape());
        }
        n.output(0, t);
    }

    /**
     * The padded layout the nested tensor was made from: torch pads to the longest sequence, which
     * is that length whenever one sequence fills it (see {@link #toPadded}).
     */
    private static void toPaddedShape(NodeTypes n) {
        TensorType t = n.tensor(0);
        int sizeArg = n.at("output_size");
        if (!n.isNone(sizeArg) && !n.dims(sizeArg).equals(t.shape().dims())) {
            throw new ShapeInferenceException(
                    "to_padded_tensor to output_size "
                            + new Shape(n.dims(sizeArg))
                            + " other than the padded size "
                            + t.shape());
        }
        n.output(0, t);
    }

    /** {@code [..., L, E]}, {@code [..., S, E]}, {@code [..., S, Ev]}: {@code [..., L, Ev]}. */
    private static void scaledDotProductShape(NodeTypes n) {
        TensorType query = n.tensor(n.at("query"));
        TensorType key = n.tensor(n.at("key"));
        TensorType value = n.tensor(n.at("value"));
        if (query.rank() < 2 || key.rank() != query.rank() || value.rank() != query.rank()) {
            throw new ShapeInferenceException(
                    "scaled_dot_product_attention needs query, key and value of one rank >= 2, got "
                            + query.shape()
                            + ", "
                            + key.shape()
                            + ", "
                            + value.shape());
        }
        List<Dim> out = new ArrayList<>(query.shape().dims());
        out.set(out.size() - 1, value.shape().dim(-1));
        n.output(0, query.dtype(), new Shape(out));
    }

    private static TensorType batchedSequence(NodeTypes n, int i) {
        TensorType t = n.tensor(i);
        if (t.rank() != 3) {
            throw new ShapeInferenceException(
                    n.node().kind()
                            + " needs batched sequences [B, T, E] (batch_first), got "
                            + t.shape()
                            + " as argument "
                            + i);
        }
        return t;
    }

    /** The number of heads, checked against the embedding size of {@code input}. */
    private static long headCount(NodeTypes n, TensorType input, int embedArg, int headsArg) {
        long embed = n.integer(embedArg);
        long heads = n.integer(headsArg);
        Dim last = input.shape().dim(-1);
        if (heads <= 0 || embed % heads != 0 || !last.equals(Dim.of(embed))) {
            throw new ShapeInferenceException(
                    n.node().kind()
                            + ": embed_dim "
                            + embed
                            + " in "
                            + heads
                            + " heads does not fit the input "
                            + input.shape());
        }
        return heads;
    }

    /** The head split of one attention: {@code embed = heads * size}. */
    private record Heads(long embed, long heads) {
        long size() {
            return embed / heads;
        }
    }

    private static void multiHeadAttention(Node node, TranslationContext ctx)
            throws TranslationException {
        Value query = node.input(0);
        Value key = Args.get(node, "key", 1);
        Value value = Args.get(node, "value", 2);
        Heads heads = heads(node, ctx, 3, 4);
        boolean needWeights = flag(node, ctx, "need_weights", 10, true);
        boolean average = flag(node, ctx, "average_attn_weights", 11, true);
        Optional<Expr> blocked = blockedPositions(node, ctx, MULTI_HEAD);
        Shape q = ctx.types().shape(query);
        Dim sources = ctx.types().shape(key).dim(1);
        Expr[] qkv =
                query == key && key == value
                        ? projectSelf(ctx, ctx.nnef().tensor(query), node, MULTI_HEAD, heads)
                        : project(
                                ctx,
                                new Expr[] {
                                    ctx.nnef().tensor(query),
                                    ctx.nnef().tensor(key),
                                    ctx.nnef().tensor(value)
                                },
                                node,
                                heads);
        Expr probabilities = attend(ctx, qkv, q.dim(0), q.dim(1), sources, heads, blocked);
        Expr context = merge(ctx, probabilities, qkv[2], q.dim(0), q.dim(1), sources, heads);
        ctx.nnef().define(node.output(0), outputProjection(ctx, node, MULTI_HEAD, context));
        Value weights = node.output(1);
        if (!ctx.nnef().isNeeded(weights)) {
            return;
        }
        if (!needWeights) {
            throw new TranslationException(
                    "the attention weights are used, but need_weights=False does not compute them");
        }
        if (!average) {
            ctx.nnef().bindExpr(weights, probabilities);
            return;
        }
        // the kernel sums the heads' weights, then divides by their number
        Expr sum =
                ctx.nnef()
                        .temp(
                                "weights_sum",
                                Invocation.builder("sum_reduce")
                                        .arg(probabilities)
                                        .arg("axes", Expr.ints(1))
                                        .build());
        Expr squeezed =
                ctx.nnef()
                        .temp(
                                "weights_sum",
                                Invocation.builder("squeeze")
                                        .arg(sum)
                                        .arg("axes", Expr.ints(1))
                                        .build());
        ctx.nnef().define(weights, Invocation.of("div", squeezed, Expr.of((float) heads.heads())));
    }

    /**
     * {@code norm_first}: {@code x + ffn(norm2(y))} with {@code y = x + attention(norm1(x))};
     * otherwise {@code norm2(y + ffn(y))} with {@code y = norm1(x + attention(x))}. The
     * feed-forward block is {@code linear2(relu|gelu(linear1(.)))}.
     */
    private static void encoderLayer(Node node, TranslationContext ctx)
            throws TranslationException {
        Value src = node.input(0);
        Heads heads = heads(node, ctx, 1, 2);
        boolean gelu = ctx.values().boolArg(Args.get(node, "use_gelu", 7));
        boolean normFirst = ctx.values().boolArg(Args.get(node, "norm_first", 8));
        double eps = ctx.values().doubleArg(Args.get(node, "eps", 9));
        Optional<NestedTensor> nested = ctx.nnef().nested(src);
        Optional<Expr> blocked;
        if (nested.isPresent()) {
            if (present(node, ctx, "mask", ENCODER_LAYER.mask()).isPresent()) {
                throw new TranslationException(
                        "a mask given with a nested tensor input (torch refuses it too)");
            }
            Expr valid = nested.get().valid();
            // computed once for every layer reading the same nested sequences
            blocked =
                    Optional.of(
                            ctx.nnef()
                                    .derived(
                                            List.of("key_padding", valid),
                                            () ->
                                                    keyPadding(
                                                            ctx,
                                                            ctx.nnef()
                                                                    .temp(
                                                                            "padding",
                                                                            Invocation.of(
                                                                                    "not",
                                                                                    valid)))));
        } else {
            blocked = blockedPositions(node, ctx, ENCODER_LAYER);
        }
        Shape shape = ctx.types().shape(src);
        Expr x = nested.isPresent() ? nested.get().padded() : ctx.nnef().tensor(src);
        Expr attentionInput = normFirst ? ctx.nnef().temp("norm1", norm(ctx, node, x, eps, 1)) : x;
        Expr[] qkv = projectSelf(ctx, attentionInput, node, ENCODER_LAYER, heads);
        Expr probabilities =
                attend(ctx, qkv, shape.dim(0), shape.dim(1), shape.dim(1), heads, blocked);
        Expr context =
                merge(ctx, probabilities, qkv[2], shape.dim(0), shape.dim(1), shape.dim(1), heads);
        Expr attended =
                ctx.nnef().temp("attended", outputProjection(ctx, node, ENCODER_LAYER, context));
        Expr residual = ctx.nnef().temp("residual", Invocation.of("add", attended, x));
        Expr y = normFirst ? residual : ctx.nnef().temp("norm1", norm(ctx, node, residual, eps, 1));
        Expr ffnInput = normFirst ? ctx.nnef().temp("norm2", norm(ctx, node, y, eps, 2)) : y;
        Expr hidden =
                ctx.nnef()
                        .temp(
                                "ffn_hidden",
                                LinearOps.projection(
                                        ctx,
                                        ffnInput,
                                        3,
                                        Operands.toRank(ctx, Args.get(node, "ffn_weight_1", 14), 3),
                                        () ->
                                                Operands.toRank(
                                                        ctx, Args.get(node, "ffn_bias_1", 15), 3)));
        Expr activated =
                ctx.nnef()
                        .temp(
                                "ffn_activated",
                                gelu
                                        ? ActivationOps.geluErf(ctx, hidden)
                                        : Invocation.of("relu", hidden));
        Expr ffn =
                ctx.nnef()
                        .temp(
                                "ffn",
                                LinearOps.projection(
                                        ctx,
                                        activated,
                                        3,
                                        Operands.toRank(ctx, Args.get(node, "ffn_weight_2", 16), 3),
                                        () ->
                                                Operands.toRank(
                                                        ctx, Args.get(node, "ffn_bias_2", 17), 3)));
        Invocation sum = Invocation.of("add", ffn, y);
        Invocation out =
                normFirst ? sum : norm(ctx, node, ctx.nnef().temp("ffn_residual", sum), eps, 2);
        if (nested.isPresent()) {
            ctx.nnef()
                    .defineNested(
                            node.output(0),
                            new NestedTensor(ctx.nnef().temp("out", out), nested.get().valid()));
        } else {
            ctx.nnef().define(node.output(0), out);
        }
    }

    /** The encoder layer's layer norm {@code which} (1 or 2). */
    private static Invocation norm(TranslationContext ctx, Node node, Expr x, double eps, int which)
            throws TranslationException {
        int weightArg = which == 1 ? 10 : 12;
        return NormalizationOps.lastAxisLayerNorm(
                ctx,
                x,
                3,
                eps,
                Args.get(node, "norm_weight_" + which, weightArg),
                Args.get(node, "norm_bias_" + which, weightArg + 1));
    }

    /**
     * Sequence {@code b} of the nested tensor is the first {@code sum(mask[b])} positions of {@code
     * t[b]} (torch counts the mask's true items, whether they are left-aligned or not).
     */
    private static void nestedFromMask(Node node, TranslationContext ctx)
            throws TranslationException {
        Value t = node.input(0);
        Value mask = Args.get(node, "mask", 1);
        Expr ones =
                ctx.nnef()
                        .temp(
                                "items",
                                Invocation.of(
                                        "select",
                                        ctx.nnef().tensor(mask),
                                        Expr.of(1.0f),
                                        Expr.of(0.0f)));
        Expr lengths =
                ctx.nnef()
                        .temp(
                                "lengths",
                                Invocation.builder("sum_reduce")
                                        .arg(ones)
                                        .arg("axes", Expr.ints(1))
                                        .build());
        Expr positions =
                ctx.nnef()
                        .temp(
                                "positions",
                                Invocation.builder("unsqueeze")
                                        .arg(positions(ctx, ctx.types().shape(t).dim(1)))
                                        .arg("axes", Expr.ints(0))
                                        .build());
        Expr valid = ctx.nnef().temp("valid", Invocation.of("lt", positions, lengths));
        ctx.nnef().defineNested(node.output(0), new NestedTensor(ctx.nnef().tensor(t), valid));
    }

    /** The padded layout with {@code padding} past each sequence's end. */
    private static void toPadded(Node node, TranslationContext ctx) throws TranslationException {
        Value self = node.input(0);
        NestedTensor nested =
                ctx.nnef()
                        .nested(self)
                        .orElseThrow(
                                () ->
                                        new TranslationException(
                                                "to_padded_tensor of "
                                                        + self.describe()
                                                        + ", which is not a nested tensor made by _nested_tensor_from_mask"));
        int rank = ctx.types().rank(self);
        double padding = ctx.values().doubleArg(Args.get(node, "padding", 1));
        TorchDType dtype = ctx.types().dtype(self);
        Expr fill =
                dtype == TorchDType.FLOAT32
                        ? Expr.of((float) padding)
                        : Operands.item(ctx, padding, dtype, rank);
        Expr valid =
                ctx.nnef()
                        .temp(
                                "valid",
                                Invocation.builder("unsqueeze")
                                        .arg(nested.valid())
                                        .arg("axes", Axes.range(2, rank))
                                        .build());
        ctx.nnef().define(node.output(0), Invocation.of("select", valid, nested.padded(), fill));
        if (present(node, ctx, "output_size", 2).isEmpty()) {
            LOG.warn(
                    "{} ({}): torch pads the nested sequences to the longest one, the export to the input's length {};"
                            + " the results are equal when a sequence of the batch fills the input",
                    node.kind(),
                    node.location(),
                    ctx.types().shape(self).dim(1));
        }
    }

    private static void scaledDotProduct(Node node, TranslationContext ctx)
            throws TranslationException {
        Value query = node.input(0);
        Value key = Args.get(node, "key", 1);
        Value value = Args.get(node, "value", 2);
        Shape q = ctx.types().shape(query);
        Shape k = ctx.types().shape(key);
        int rank = q.rank();
        Optional<Value> dropout = present(node, ctx, "dropout_p", 4);
        if (dropout.isPresent() && ctx.values().doubleArg(dropout.get()) != 0) {
            throw new TranslationException(
                    "dropout_p="
                            + ctx.values().doubleArg(dropout.get())
                            + ": scaled_dot_product_attention"
                            + " drops out in eval mode too; trace with dropout_p=0");
        }
        if (flag(node, ctx, "enable_gqa", 7, false) && rank >= 3 && !q.dim(-3).equals(k.dim(-3))) {
            throw new TranslationException(
                    "enable_gqa with "
                            + k.dim(-3)
                            + " key heads for "
                            + q.dim(-3)
                            + " query heads is not supported");
        }
        Optional<Value> scaleArg = present(node, ctx, "scale", 6);
        double scale;
        if (scaleArg.isPresent()) {
            scale = ctx.values().doubleArg(scaleArg.get());
        } else if (q.dim(-1).isConstant()) {
            scale = 1 / Math.sqrt(q.dim(-1).constant());
        } else {
            throw new TranslationException(
                    "the default scale of a query of dynamic size " + q.dim(-1));
        }
        Expr scaled =
                ctx.nnef()
                        .temp(
                                "query_scaled",
                                Invocation.of(
                                        "mul", ctx.nnef().tensor(query), Expr.of((float) scale)));
        Expr scores =
                ctx.nnef()
                        .temp(
                                "scores",
                                Invocation.builder("matmul")
                                        .arg(scaled)
                                        .arg(ctx.nnef().tensor(key))
                                        .arg("transposeB", true)
                                        .build());
        if (flag(node, ctx, "is_causal", 5, false)) {
            // key position <= query position; both of rank 2, since NNEF broadcasts unequal ranks
            // otherwise than torch
            Expr rows =
                    ctx.nnef()
                            .temp(
                                    "rows",
                                    Invocation.builder("unsqueeze")
                                            .arg(positions(ctx, q.dim(-2)))
                                            .arg("axes", Expr.ints(1))
                                            .build());
            Expr columns =
                    ctx.nnef()
                            .temp(
                                    "columns",
                                    Invocation.builder("unsqueeze")
                                            .arg(positions(ctx, k.dim(-2)))
                                            .arg("axes", Expr.ints(0))
                                            .build());
            Expr causal = ctx.nnef().temp("causal", Invocation.of("le", columns, rows));
            scores =
                    ctx.nnef()
                            .temp(
                                    "scores",
                                    Invocation.of(
                                            "select",
                                            Operands.toRank(ctx, causal, 2, rank),
                                            scores,
                                            MINUS_INFINITY));
        }
        Optional<Value> mask = present(node, ctx, "attn_mask", 3);
        if (mask.isPresent()) {
            if (ctx.types().rank(mask.get()) > rank) {
                throw new TranslationException(
                        "an attn_mask "
                                + ctx.types().shape(mask.get())
                                + " of higher rank than the query "
                                + q);
            }
            Expr m = Operands.toRank(ctx, mask.get(), rank);
            scores =
                    ctx.nnef()
                            .temp(
                                    "scores",
                                    ctx.types().dtype(mask.get()) == TorchDType.BOOL
                                            ? Invocation.of("select", m, scores, MINUS_INFINITY)
                                            : Invocation.of("add", scores, m));
        }
        Expr probabilities =
                ctx.nnef()
                        .temp(
                                "weights",
                                Invocation.builder("softmax")
                                        .arg(scores)
                                        .arg("axes", Expr.ints(rank - 1))
                                        .build());
        ctx.nnef()
                .define(
                        node.output(0),
                        Invocation.of("matmul", probabilities, ctx.nnef().tensor(value)));
    }

    // ---- the steps of multi-head attention -------------------------------------------------

    private static Heads heads(Node node, TranslationContext ctx, int embedArg, int headsArg)
            throws TranslationException {
        long embed = ctx.values().intArg(node.input(embedArg));
        long heads = ctx.values().intArg(node.input(headsArg));
        if (heads <= 0 || embed % heads != 0) {
            throw new TranslationException(
                    "embed_dim " + embed + " does not split into " + heads + " heads");
        }
        return new Heads(embed, heads);
    }

    /**
     * Self-attention: one projection by the stacked {@code [3E, E]} weights, cut into query, key
     * and value.
     */
    private static Expr[] projectSelf(
            TranslationContext ctx, Expr x, Node node, Layout layout, Heads heads)
            throws TranslationException {
        Value weight = Args.get(node, "qkv_weight", layout.qkvWeight());
        Optional<Value> bias = present(node, ctx, "qkv_bias", layout.qkvWeight() + 1);
        Expr qkv =
                ctx.nnef()
                        .temp(
                                "qkv",
                                LinearOps.projection(
                                        ctx,
                                        x,
                                        3,
                                        Operands.toRank(ctx, weight, 3),
                                        bias.isPresent()
                                                ? () -> Operands.toRank(ctx, bias.get(), 3)
                                                : null));
        Expr[] out = new Expr[3];
        for (int i = 0; i < 3; i++) {
            out[i] = third(ctx, ROLES.get(i), qkv, 2, i, heads.embed());
        }
        return out;
    }

    /**
     * Query, key and value given apart (multi-head attention only): each projected by its third of
     * the stacked weights.
     */
    private static Expr[] project(TranslationContext ctx, Expr[] inputs, Node node, Heads heads)
            throws TranslationException {
        Expr weight = Operands.toRank(ctx, Args.get(node, "qkv_weight", MULTI_HEAD.qkvWeight()), 3);
        Optional<Value> bias = present(node, ctx, "qkv_bias", MULTI_HEAD.qkvWeight() + 1);
        Expr[] out = new Expr[3];
        for (int i = 0; i < 3; i++) {
            int part = i;
            Expr w = third(ctx, ROLES.get(i) + "_weight", weight, 1, part, heads.embed());
            out[i] =
                    ctx.nnef()
                            .temp(
                                    ROLES.get(i),
                                    LinearOps.projection(
                                            ctx,
                                            inputs[i],
                                            3,
                                            w,
                                            bias.isEmpty()
                                                    ? null
                                                    : () ->
                                                            third(
                                                                    ctx,
                                                                    ROLES.get(part) + "_bias",
                                                                    Operands.toRank(
                                                                            ctx, bias.get(), 3),
                                                                    2,
                                                                    part,
                                                                    heads.embed())));
        }
        return out;
    }

    /** Part {@code part} (0, 1, 2) of {@code size} items along {@code axis}. */
    private static Expr third(
            TranslationContext ctx, String role, Expr x, int axis, int part, long size) {
        return ctx.nnef()
                .temp(
                        role,
                        Invocation.builder("slice")
                                .arg(x)
                                .arg("axes", Expr.ints(axis))
                                .arg("begin", Expr.ints(part * size))
                                .arg("end", Expr.ints((part + 1) * size))
                                .build());
    }

    /**
     * {@code softmax(q k^T / sqrt(d))} per head, blocked positions at minus infinity: query and key
     * {@code [B, L|S, E]} split into {@code [B, H, L|S, d]}; the query scaled after its bias, as
     * the kernel does.
     *
     * @return the attention weights {@code [B, H, L, S]}
     */
    private static Expr attend(
            TranslationContext ctx,
            Expr[] qkv,
            Dim batch,
            Dim targets,
            Dim sources,
            Heads heads,
            Optional<Expr> blocked)
            throws TranslationException {
        Expr q = split(ctx, "query", qkv[0], batch, targets, heads);
        Expr k = split(ctx, "key", qkv[1], batch, sources, heads);
        Expr scaled =
                ctx.nnef()
                        .temp(
                                "query_scaled",
                                Invocation.of(
                                        "mul", q, Expr.of((float) (1 / Math.sqrt(heads.size())))));
        Expr scores =
                ctx.nnef()
                        .temp(
                                "scores",
                                Invocation.builder("matmul")
                                        .arg(scaled)
                                        .arg(k)
                                        .arg("transposeB", true)
                                        .build());
        if (blocked.isPresent()) {
            scores =
                    ctx.nnef()
                            .temp(
                                    "scores",
                                    Invocation.of("select", blocked.get(), MINUS_INFINITY, scores));
        }
        return ctx.nnef()
                .temp(
                        "weights",
                        Invocation.builder("softmax")
                                .arg(scores)
                                .arg("axes", Expr.ints(3))
                                .build());
    }

    /**
     * The weights {@code [B, H, L, S]} applied to the values {@code [B, S, E]}, heads merged back:
     * {@code [B, L, E]}.
     */
    private static Expr merge(
            TranslationContext ctx,
            Expr probabilities,
            Expr value,
            Dim batch,
            Dim targets,
            Dim sources,
            Heads heads)
            throws TranslationException {
        Expr v = split(ctx, "value", value, batch, sources, heads);
        Expr context = ctx.nnef().temp("context", Invocation.of("matmul", probabilities, v));
        Expr transposed =
                ctx.nnef()
                        .temp(
                                "context",
                                Invocation.builder("transpose")
                                        .arg(context)
                                        .arg("axes", Expr.ints(0, 2, 1, 3))
                                        .build());
        return ctx.nnef()
                .temp(
                        "context",
                        Invocation.builder("reshape")
                                .arg(transposed)
                                .arg(
                                        "shape",
                                        ctx.nnef()
                                                .dims(
                                                        List.of(
                                                                batch,
                                                                targets,
                                                                Dim.of(heads.embed()))))
                                .build());
    }

    /** {@code [B, T, E]} as {@code [B, H, T, d]}. */
    private static Expr split(
            TranslationContext ctx, String role, Expr x, Dim batch, Dim length, Heads heads)
            throws TranslationException {
        Expr viewed =
                ctx.nnef()
                        .temp(
                                role + "_heads",
                                Invocation.builder("reshape")
                                        .arg(x)
                                        .arg(
                                                "shape",
                                                ctx.nnef()
                                                        .dims(
                                                                List.of(
                                                                        batch,
                                                                        length,
                                                                        Dim.of(heads.heads()),
                                                                        Dim.of(heads.size()))))
                                        .build());
        return ctx.nnef()
                .temp(
                        role + "_heads",
                        Invocation.builder("transpose")
                                .arg(viewed)
                                .arg("axes", Expr.ints(0, 2, 1, 3))
                                .build());
    }

    private static Invocation outputProjection(
            TranslationContext ctx, Node node, Layout layout, Expr context)
            throws TranslationException {
        Value weight = Args.get(node, "proj_weight", layout.qkvWeight() + 2);
        Optional<Value> bias = present(node, ctx, "proj_bias", layout.qkvWeight() + 3);
        return LinearOps.projection(
                ctx,
                context,
                3,
                Operands.toRank(ctx, weight, 3),
                bias.isPresent() ? () -> Operands.toRank(ctx, bias.get(), 3) : null);
    }

    /**
     * The positions a kernel's mask excludes, as bool of rank 4 broadcasting against the scores
     * {@code [B, H, L, S]}: the kernel reads the mask as bool (non-zero excludes); mask_type 1 is a
     * key padding mask {@code [B, S]}, 0 a mask {@code [L, S]}, 2 or none one of the scores' shape.
     */
    private static Optional<Expr> blockedPositions(Node node, TranslationContext ctx, Layout layout)
            throws TranslationException {
        Optional<Value> mask = present(node, ctx, "mask", layout.mask());
        if (mask.isEmpty()) {
            return Optional.empty();
        }
        Value m = mask.get();
        Expr bool =
                ctx.types().dtype(m) == TorchDType.BOOL
                        ? ctx.nnef().tensor(m)
                        : ctx.nnef()
                                .temp(
                                        "mask",
                                        Invocation.of(
                                                "ne",
                                                ctx.nnef().tensor(m),
                                                ctx.types().isFloat(m)
                                                        ? Expr.of(0.0f)
                                                        : Expr.of(0L)));
        Optional<Value> typeArg = present(node, ctx, "mask_type", layout.maskType());
        long type = typeArg.isPresent() ? ctx.values().intArg(typeArg.get()) : 2;
        int rank = ctx.types().rank(m);
        if ((type == 0 || type == 1) && rank != 2 || rank > 4) {
            throw new TranslationException(
                    "a mask of shape "
                            + ctx.types().shape(m)
                            + " with mask_type "
                            + type
                            + " (1: [B, S], 0: [L, S], 2: [B, H, L, S])");
        }
        return Optional.of(type == 1 ? keyPadding(ctx, bool) : Operands.toRank(ctx, bool, rank, 4));
    }

    /** A key padding mask {@code [B, S]} as {@code [B, 1, 1, S]}. */
    private static Expr keyPadding(TranslationContext ctx, Expr mask) {
        return ctx.nnef()
                .temp(
                        "key_padding",
                        Invocation.builder("unsqueeze")
                                .arg(mask)
                                .arg("axes", Expr.ints(1, 2))
                                .build());
    }

    /**
     * {@code [0, 1, ..., n-1]} as floats: a variable for a known size, tract's range for a dynamic
     * one.
     */
    private static Expr positions(TranslationContext ctx, Dim n) throws TranslationException {
        if (n.isConstant()) {
            double[] items = new double[Math.toIntExact(n.constant())];
            for (int i = 0; i < items.length; i++) {
                items[i] = i;
            }
            return ctx.nnef()
                    .derived(
                            List.of("positions", n),
                            () ->
                                    ctx.nnef()
                                            .variable(
                                                    "positions",
                                                    ExportTimeTensors.of(
                                                            TorchDType.FLOAT32,
                                                            new long[] {items.length},
                                                            items)));
        }
        return ctx.nnef()
                .derived(
                        List.of("positions", n),
                        () ->
                                ctx.nnef()
                                        .temp(
                                                "positions",
                                                CastOps.cast(
                                                        ctx,
                                                        ctx.nnef()
                                                                .temp(
                                                                        "range",
                                                                        Invocation.of(
                                                                                ctx.tract()
                                                                                        .tractOp(
                                                                                                "tract_core_range"),
                                                                                Expr.of(0L),
                                                                                ctx.nnef().dim(n),
                                                                                Expr.of(1L))),
                                                        TorchDType.INT64,
                                                        TorchDType.FLOAT32)));
    }

    private static Optional<Value> present(
            Node node, TranslationContext ctx, String name, int position) {
        return Args.optional(node, name, position).filter(v -> !ctx.values().isNone(v));
    }

    private static boolean flag(
            Node node, TranslationContext ctx, String name, int position, boolean otherwise)
            throws TranslationException {
        Optional<Value> v = present(node, ctx, name, position);
        return v.isPresent() ? ctx.values().boolArg(v.get()) : otherwise;
    }
}
