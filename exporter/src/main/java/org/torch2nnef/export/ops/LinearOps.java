package org.torch2nnef.export.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.torch2nnef.export.OpFamily;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType.TensorType;
import org.torch2nnef.graph.shapes.Broadcast;
import org.torch2nnef.graph.shapes.NodeTypes;
import org.torch2nnef.graph.shapes.ShapeInferenceException;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;

/**
 * Matrix products: {@code linear} (NNEF {@code linear} for 2-d inputs, else {@code matmul} with
 * {@code transposeB}), {@code matmul}, {@code mm}, {@code bmm}, {@code addmm}, {@code baddbmm}.
 * Operands of unequal rank get leading unit axes (tract's {@code matmul} wants equal ranks); 1-d
 * operands are made matrices and the added axis squeezed away, as torch does.
 */
public final class LinearOps implements OpFamily {

    @Override
    public void register(OpRegistry r) {
        r.op("aten::linear(Tensor input, Tensor weight, Tensor? bias=None) -> Tensor")
                .shape(LinearOps::linearShape)
                .translate(LinearOps::linear);
        r.op("aten::matmul(Tensor self, Tensor other) -> Tensor")
                .shape(
                        n ->
                                n.output(
                                        0,
                                        Broadcast.resultType(
                                                List.of(n.tensor(0), n.tensor(n.at("other")))),
                                        matmulShape(
                                                n.tensor(0).shape(),
                                                n.tensor(n.at("other")).shape())))
                .translate(LinearOps::matmul);
        r.op("aten::mm(Tensor self, Tensor mat2) -> Tensor")
                .shape(n -> matrixProduct(n, 2, "mm"))
                .translate(LinearOps::matmul);
        r.op("aten::bmm(Tensor self, Tensor mat2) -> Tensor")
                .shape(n -> matrixProduct(n, 3, "bmm"))
                .translate(LinearOps::matmul);
        r.op(
                        "aten::addmm(Tensor self, Tensor mat1, Tensor mat2, *, Scalar beta=1, Scalar alpha=1) -> Tensor")
                .shape(n -> addmmShape(n, "mat1", "mat2"))
                .translate(LinearOps::addmm);
        r.op(
                        "aten::baddbmm(Tensor self, Tensor batch1, Tensor batch2, *, Scalar beta=1, Scalar alpha=1) -> Tensor")
                .shape(n -> addmmShape(n, "batch1", "batch2"))
                .translate(LinearOps::addmm);
    }

    /** {@code mm} and {@code bmm}: operands of one rank, no broadcasting. */
    private static void matrixProduct(NodeTypes n, int rank, String op) {
        TensorType a = n.tensor(0);
        TensorType b = n.tensor(n.at("mat2"));
        requireRank(a, rank, op);
        requireRank(b, rank, op);
        n.output(0, a.dtype(), matmulShape(a.shape(), b.shape()));
    }

    private static void addmmShape(NodeTypes n, String left, String right) {
        Shape product = matmulShape(n.tensor(n.at(left)).shape(), n.tensor(n.at(right)).shape());
        n.output(0, n.tensor(n.at(left)).dtype(), Broadcast.shapes(n.tensor(0).shape(), product));
    }

    private static void requireRank(TensorType t, int rank, String op) {
        if (t.rank() != rank) {
            throw new ShapeInferenceException(
                    op + " needs rank-" + rank + " operands, got " + t.shape());
        }
    }

    private static void linearShape(NodeTypes n) {
        TensorType x = n.tensor(n.at("input"));
        Shape w = n.tensor(n.at("weight")).shape();
        if (x.rank() < 1) {
            throw new ShapeInferenceException("linear of a 0-d input");
        }
        Dim features = x.shape().dims().get(x.rank() - 1);
        Dim expected = w.dims().get(w.rank() - 1);
        if (features.minus(expected).isConstant() && !features.equals(expected)) {
            throw new ShapeInferenceException(
                    "input "
                            + x.shape()
                            + " has "
                            + features
                            + " features, weight "
                            + w
                            + " expects "
                            + expected);
        }
        List<Dim> out = new ArrayList<>(x.shape().dims().subList(0, x.rank() - 1));
        if (w.rank() == 2) {
            out.add(w.dims().get(0));
        }
        n.output(0, x.dtype(), new Shape(out));
    }

    /**
     * {@code torch.matmul}: 1-d operands gain then lose an axis; batch axes broadcast.
     *
     * @param a left shape
     * @param b right shape
     * @return the product's shape
     */
    private static Shape matmulShape(Shape a, Shape b) {
        if (a.rank() == 0 || b.rank() == 0) {
            throw new ShapeInferenceException("matmul of a 0-d operand: " + a + " @ " + b);
        }
        List<Dim> left = new ArrayList<>(a.dims());
        List<Dim> right = new ArrayList<>(b.dims());
        boolean vecLeft = left.size() == 1;
        boolean vecRight = right.size() == 1;
        if (vecLeft) {
            left.add(0, Dim.of(1));
        }
        if (vecRight) {
            right.add(Dim.of(1));
        }
        Dim k1 = left.get(left.size() - 1);
        Dim k2 = right.get(right.size() - 2);
        if (!k1.equals(k2)) {
            throw new ShapeInferenceException("matmul inner sizes differ: " + a + " @ " + b);
        }
        Shape batch =
                Broadcast.shapes(
                        new Shape(left.subList(0, left.size() - 2)),
                        new Shape(right.subList(0, right.size() - 2)));
        List<Dim> out = new ArrayList<>(batch.dims());
        if (!vecLeft) {
            out.add(left.get(left.size() - 2));
        }
        if (!vecRight) {
            out.add(right.get(right.size() - 1));
        }
        return new Shape(out);
    }

    private static void linear(Node node, TranslationContext ctx) throws TranslationException {
        Value x = node.input(0);
        Value w = Args.get(node, "weight", 1);
        Optional<Value> bias = Args.optional(node, "bias", 2).filter(b -> !ctx.values().isNone(b));
        int rank = ctx.types().rank(x);
        if (rank == 2) {
            Expr input = ctx.nnef().tensor(x);
            Expr weight = ctx.nnef().tensor(w);
            Expr b =
                    bias.isPresent()
                            ? ctx.nnef()
                                    .temp(
                                            "bias",
                                            Invocation.builder("unsqueeze")
                                                    .arg(ctx.nnef().tensor(bias.get()))
                                                    .arg("axes", Expr.ints(0))
                                                    .build())
                            : Expr.of(0.0f);
            ctx.nnef().define(node.output(0), Invocation.of("linear", input, weight, b));
            return;
        }
        if (rank == 0) {
            throw new TranslationException("linear on a 0-d input");
        }
        if (rank == 1) {
            // a vector is one row: linear on [1, in], then the row axis dropped
            Expr row =
                    ctx.nnef()
                            .temp(
                                    "row",
                                    Invocation.builder("unsqueeze")
                                            .arg(ctx.nnef().tensor(x))
                                            .arg("axes", Expr.ints(0))
                                            .build());
            Expr b =
                    bias.isPresent()
                            ? ctx.nnef()
                                    .temp(
                                            "bias",
                                            Invocation.builder("unsqueeze")
                                                    .arg(ctx.nnef().tensor(bias.get()))
                                                    .arg("axes", Expr.ints(0))
                                                    .build())
                            : Expr.of(0.0f);
            Expr product =
                    ctx.nnef()
                            .temp("linear", Invocation.of("linear", row, ctx.nnef().tensor(w), b));
            ctx.nnef()
                    .define(
                            node.output(0),
                            Invocation.builder("squeeze")
                                    .arg(product)
                                    .arg("axes", Expr.ints(0))
                                    .build());
            return;
        }
        Expr weight = Operands.toRank(ctx, w, rank);
        ctx.nnef()
                .define(
                        node.output(0),
                        projection(
                                ctx,
                                ctx.nnef().tensor(x),
                                rank,
                                weight,
                                bias.isPresent()
                                        ? () -> Operands.toRank(ctx, bias.get(), rank)
                                        : null));
    }

    /** A bias operand emitted on demand (after the product it is added to). */
    @FunctionalInterface
    interface Bias {
        /**
         * @return the bias, of the product's rank
         * @throws TranslationException if it has no tensor
         */
        Expr emit() throws TranslationException;
    }

    /**
     * {@code x @ weight^T + bias} for {@code x} of rank 3 or more: the weight (and bias) already
     * unsqueezed to x's rank, since tract's {@code matmul} wants equal ranks.
     *
     * @param ctx the translation
     * @param x the input {@code [..., in]}
     * @param rank its rank
     * @param weight {@code [1, ..., out, in]}
     * @param bias {@code [1, ..., 1, out]}, or {@code null} for none
     * @return the last invocation, to define or emit as a temporary
     * @throws TranslationException from the bias
     */
    static Invocation projection(TranslationContext ctx, Expr x, int rank, Expr weight, Bias bias)
            throws TranslationException {
        if (AxisProjection.applies(ctx, rank)) {
            Expr b =
                    bias == null
                            ? Expr.of(0.0f)
                            : ctx.nnef()
                                    .temp(
                                            "bias",
                                            Invocation.builder("reshape")
                                                    .arg(bias.emit())
                                                    .arg("shape", Expr.ints(1, -1))
                                                    .build());
            return AxisProjection.along(
                    ctx, x, rank, rank - 1, AxisProjection.filter(ctx, weight, rank, false), b);
        }
        Invocation product =
                Invocation.builder("matmul").arg(x).arg(weight).arg("transposeB", true).build();
        if (bias == null) {
            return product;
        }
        Expr p = ctx.nnef().temp("matmul", product);
        return Invocation.of("add", p, bias.emit());
    }

    private static void matmul(Node node, TranslationContext ctx) throws TranslationException {
        ctx.nnef().define(node.output(0), product(ctx, node.input(0), node.input(1)));
    }

    /**
     * torch.matmul semantics: batch broadcasting by leading unit axes, 1-d operands as row/column
     * vectors.
     */
    private static Expr product(TranslationContext ctx, Value a, Value b)
            throws TranslationException {
        int ra = ctx.types().rank(a);
        int rb = ctx.types().rank(b);
        if (ra == 0 || rb == 0) {
            throw new TranslationException("matmul of a 0-d tensor");
        }
        Expr ea = ctx.nnef().tensor(a);
        Expr eb = ctx.nnef().tensor(b);
        if (ra == 1) {
            ea =
                    ctx.nnef()
                            .temp(
                                    "row",
                                    Invocation.builder("unsqueeze")
                                            .arg(ea)
                                            .arg("axes", Expr.ints(0))
                                            .build());
        }
        if (rb == 1) {
            eb =
                    ctx.nnef()
                            .temp(
                                    "column",
                                    Invocation.builder("unsqueeze")
                                            .arg(eb)
                                            .arg("axes", Expr.ints(1))
                                            .build());
        }
        int ma = Math.max(ra, 2);
        int mb = Math.max(rb, 2);
        int rank = Math.max(ma, mb);
        ea = Operands.toRank(ctx, ea, ma, rank);
        eb = Operands.toRank(ctx, eb, mb, rank);
        Invocation mm = Invocation.of("matmul", ea, eb);
        if (ra > 1 && rb > 1) {
            return mm;
        }
        Expr p = ctx.nnef().temp("matmul", mm);
        // drop the axes added to vectors: the row of a 1-d left operand, the column of a 1-d right
        // one
        long[] axes =
                ra == 1 && rb == 1
                        ? new long[] {rank - 2, rank - 1}
                        : ra == 1 ? new long[] {rank - 2} : new long[] {rank - 1};
        return Invocation.builder("squeeze").arg(p).arg("axes", Expr.ints(axes)).build();
    }

    /**
     * {@code beta * self + alpha * (mat1 @ mat2)}; {@code baddbmm} likewise with batches of
     * matrices (nn.MultiheadAttention adds its float mask so).
     */
    private static void addmm(Node node, TranslationContext ctx) throws TranslationException {
        Value self = node.input(0);
        boolean batched = node.kind().equals("aten::baddbmm");
        Value m1 = Args.get(node, batched ? "batch1" : "mat1", 1);
        Value m2 = Args.get(node, batched ? "batch2" : "mat2", 2);
        double beta =
                Args.optional(node, "beta", 3).isPresent()
                        ? ctx.values().doubleArg(Args.get(node, "beta", 3))
                        : 1.0;
        double alpha =
                Args.optional(node, "alpha", 4).isPresent()
                        ? ctx.values().doubleArg(Args.get(node, "alpha", 4))
                        : 1.0;
        Expr p =
                Operands.scaled(
                        ctx,
                        ctx.nnef()
                                .temp(
                                        "matmul",
                                        Invocation.of(
                                                "matmul",
                                                ctx.nnef().tensor(m1),
                                                ctx.nnef().tensor(m2))),
                        m1,
                        alpha);
        Expr s =
                Operands.isTensor(ctx, self)
                        ? Operands.scaled(
                                ctx, Operands.toRank(ctx, self, batched ? 3 : 2), self, beta)
                        : Expr.of((float) (beta * ctx.values().doubleArg(self)));
        ctx.nnef().define(node.output(0), Invocation.of("add", p, s));
    }
}
