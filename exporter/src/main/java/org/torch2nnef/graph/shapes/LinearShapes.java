package org.torch2nnef.graph.shapes;

import java.util.ArrayList;
import java.util.List;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.ValueType.TensorType;
import org.torch2nnef.torchscript.ScriptObject;
import org.torch2nnef.torchscript.TorchDType;
import org.torch2nnef.torchscript.TorchTensor;

/** Matrix products: {@code linear}, {@code matmul}, {@code mm}, {@code bmm}, {@code addmm}, {@code baddbmm}, {@code t}, dynamic quantized linear. */
final class LinearShapes {
    private LinearShapes() {}

    static void register(ShapeRules r) {
        r.register(LinearShapes::linear, "aten::linear");
        r.register(n -> n.output(0, Broadcast.resultType(List.of(n.tensor(0), n.tensor(1))),
                matmul(n.tensor(0).shape(), n.tensor(1).shape())), "aten::matmul");
        r.register(n -> {
            requireRank(n.tensor(0), 2, "mm");
            requireRank(n.tensor(1), 2, "mm");
            n.output(0, n.tensor(0).dtype(), matmul(n.tensor(0).shape(), n.tensor(1).shape()));
        }, "aten::mm");
        r.register(n -> {
            requireRank(n.tensor(0), 3, "bmm");
            requireRank(n.tensor(1), 3, "bmm");
            n.output(0, n.tensor(0).dtype(), matmul(n.tensor(0).shape(), n.tensor(1).shape()));
        }, "aten::bmm");
        r.register(n -> {
            Shape product = matmul(n.tensor(1).shape(), n.tensor(2).shape());
            n.output(0, n.tensor(1).dtype(), Broadcast.shapes(n.tensor(0).shape(), product));
        }, "aten::addmm", "aten::baddbmm");
        r.register(LinearShapes::linearDynamic, "quantized::linear_dynamic");
    }

    private static void requireRank(TensorType t, int rank, String op) {
        if (t.rank() != rank) {
            throw new ShapeInferenceException(op + " needs rank-" + rank + " operands, got " + t.shape());
        }
    }

    private static void linear(NodeTypes n) {
        TensorType x = n.tensor(0);
        Shape w = n.tensor(1).shape();
        if (x.rank() < 1) {
            throw new ShapeInferenceException("linear of a 0-d input");
        }
        Dim features = x.shape().dims().get(x.rank() - 1);
        Dim expected = w.dims().get(w.rank() - 1);
        if (features.minus(expected).isConstant() && !features.equals(expected)) {
            throw new ShapeInferenceException("input " + x.shape() + " has " + features + " features, weight " + w
                    + " expects " + expected);
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
    static Shape matmul(Shape a, Shape b) {
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
        Shape batch = Broadcast.shapes(new Shape(left.subList(0, left.size() - 2)),
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

    /** The packed parameters hold the quantized weight [out, in]; the result is float32. */
    private static void linearDynamic(NodeTypes n) {
        TensorType x = n.tensor(0);
        Object packed = n.input(1).known().orElse(null);
        TorchTensor weight = packed instanceof ScriptObject o ? firstMatrix(o.state().orElse(null)) : null;
        if (weight == null) {
            throw new ShapeInferenceException("packed parameters " + n.input(1).name() + " hold no weight matrix");
        }
        List<Dim> out = new ArrayList<>(x.shape().dims().subList(0, x.rank() - 1));
        out.add(Dim.of(weight.shape()[0]));
        n.output(0, TorchDType.FLOAT32, new Shape(out));
    }

    private static TorchTensor firstMatrix(Object state) {
        if (state instanceof TorchTensor t && t.rank() == 2) {
            return t;
        }
        if (state instanceof List<?> list) {
            for (Object o : list) {
                TorchTensor t = firstMatrix(o);
                if (t != null) {
                    return t;
                }
            }
        }
        return null;
    }
}
