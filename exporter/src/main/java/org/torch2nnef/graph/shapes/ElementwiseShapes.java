package org.torch2nnef.graph.shapes;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.ValueType;
import org.torch2nnef.graph.ValueType.TensorType;
import org.torch2nnef.torchscript.TorchDType;

/**
 * Elementwise ops: unary ops and activations keep the shape; binary ops and {@code where}
 * broadcast and promote dtypes; comparisons give bool; softmax keeps the shape. Known sizes held
 * in 0-d int tensors propagate through integer arithmetic.
 */
final class ElementwiseShapes {
    /** Unary ops whose result is the input's dtype and shape. */
    private static final String[] SAME = {
        "aten::relu", "aten::relu6", "aten::abs", "aten::neg", "aten::floor", "aten::ceil", "aten::round",
        "aten::sign", "aten::hardtanh", "aten::leaky_relu", "aten::clamp", "aten::clamp_min", "aten::clamp_max",
        "aten::bitwise_not", "aten::detach", "aten::contiguous", "aten::clone", "aten::dropout",
        "aten::feature_dropout", "aten::alpha_dropout", "aten::prelu",
    };
    /** Unary ops that compute in floating point: integer inputs give float32. */
    private static final String[] FLOATING = {
        "aten::sigmoid", "aten::tanh", "aten::exp", "aten::log", "aten::sqrt", "aten::rsqrt", "aten::sin",
        "aten::cos", "aten::erf", "aten::reciprocal", "aten::silu", "aten::mish", "aten::hardswish",
        "aten::hardsigmoid", "aten::softplus", "aten::gelu", "aten::elu",
    };
    private static final String[] ARITHMETIC = {
        "aten::add", "aten::sub", "aten::rsub", "aten::mul", "aten::div", "aten::floor_divide", "aten::floordiv",
        "aten::remainder", "aten::pow", "aten::maximum", "aten::minimum",
    };
    private static final String[] COMPARISON = {
        "aten::eq", "aten::ne", "aten::lt", "aten::le", "aten::gt", "aten::ge", "aten::logical_and",
        "aten::logical_or", "aten::logical_xor",
    };
    /** Bitwise ops: bool stays bool, integers promote as arithmetic does. */
    private static final String[] BITWISE = {
        "aten::bitwise_and", "aten::bitwise_or", "aten::bitwise_xor", "aten::__and__", "aten::__or__", "aten::__xor__",
    };

    private ElementwiseShapes() {}

    static void register(ShapeRules r) {
        r.register(ElementwiseShapes::same, SAME);
        r.register(ElementwiseShapes::floating, FLOATING);
        r.register(n -> n.output(0, TorchDType.BOOL, n.tensor(0).shape()), "aten::isnan", "aten::logical_not");
        r.register(ElementwiseShapes::arithmetic, ARITHMETIC);
        r.register(ElementwiseShapes::comparison, COMPARISON);
        r.register(n -> n.output(0, Broadcast.resultType(List.of(n.input(0).type(), n.input(1).type())), broadcastShape(n, 2)),
                BITWISE);
        r.register(ElementwiseShapes::where, "aten::where");
        r.register(n -> {
            n.tensor(1); // the mask must be a tensor
            n.output(0, n.tensor(0));
        }, "aten::masked_fill");
        r.register(ElementwiseShapes::softmax, "aten::softmax", "aten::log_softmax");
    }

    private static void same(NodeTypes n) {
        n.output(0, n.tensor(0));
        if (n.node().kind().equals("aten::neg")) {
            n.knownDim(0).ifPresent(d -> n.known(0, d.times(-1)));
        }
        if (n.node().kind().equals("aten::detach") || n.node().kind().equals("aten::clone")
                || n.node().kind().equals("aten::contiguous")) {
            n.knownDim(0).ifPresent(d -> n.known(0, d));
        }
    }

    private static void floating(NodeTypes n) {
        TensorType t = n.tensor(0);
        n.output(0, t.dtype().isFloatingPoint() ? t.dtype() : TorchDType.FLOAT32, t.shape());
    }

    private static void arithmetic(NodeTypes n) {
        String op = n.node().kind().substring("aten::".length());
        if (!n.isTensor(0) && !n.isTensor(1)) {
            ScalarShapes.arithmetic(n, op);
            return;
        }
        List<ValueType> operands = List.of(n.input(0).type(), n.input(1).type());
        TorchDType dtype = Broadcast.resultType(operands);
        if (op.equals("div") && !dtype.isFloatingPoint() && n.isNone(2)) {
            dtype = TorchDType.FLOAT32; // true division of integers
        }
        if (op.equals("pow") && !dtype.isFloatingPoint() && n.input(1).type() instanceof ValueType.FloatType) {
            dtype = TorchDType.FLOAT32;
        }
        n.output(0, dtype, broadcastShape(n, 2));
        if (!dtype.isFloatingPoint()) {
            Optional<Dim> a = n.knownDim(0);
            Optional<Dim> b = n.knownDim(1);
            boolean unitAlpha = n.inputCount() < 3 || !n.node().argNames().get(2).equals("alpha")
                    || n.knownDim(2).equals(Optional.of(Dim.of(1)));
            if (a.isPresent() && b.isPresent() && unitAlpha) {
                ScalarShapes.dimArithmetic(op, a.get(), b.get()).ifPresent(d -> n.known(0, d));
            }
        }
    }

    /** The broadcast of the shapes of the first {@code count} inputs that are tensors. */
    private static Shape broadcastShape(NodeTypes n, int count) {
        Shape shape = null;
        for (int i = 0; i < count && i < n.inputCount(); i++) {
            if (n.isTensor(i)) {
                Shape s = n.tensor(i).shape();
                shape = shape == null ? s : Broadcast.shapes(n, shape, s);
            }
        }
        if (shape == null) {
            throw new ShapeInferenceException(n.node().kind() + " has no tensor operand");
        }
        return shape;
    }

    private static void comparison(NodeTypes n) {
        n.output(0, TorchDType.BOOL, broadcastShape(n, 2));
    }

    private static void where(NodeTypes n) {
        List<ValueType> operands = new ArrayList<>();
        operands.add(n.input(1).type());
        operands.add(n.input(2).type());
        n.output(0, Broadcast.resultType(operands), broadcastShape(n, 3));
    }

    private static void softmax(NodeTypes n) {
        TensorType t = n.tensor(0);
        Shape.normalizeAxis(n.integer(1), Math.max(1, t.rank()));
        n.output(0, n.dtype(2).orElse(t.dtype()), t.shape());
    }
}
