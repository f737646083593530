package org.torch2nnef.graph.shapes;

import java.util.List;
import java.util.Optional;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.Value;
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
        "aten::bitwise_not", "aten::prelu",
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
        r.register(n -> n.output(0, Broadcast.resultTypeOf(List.of(n.input(0), n.input(1))), broadcastShape(n, 2)),
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
        Optional<Object> known = KnownArithmetic.number(n.input(0));
        if (n.node().kind().equals("aten::neg")) {
            known.ifPresent(k -> n.known(0, k instanceof Dim d ? d.times(-1) : -(Double) k));
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
        TorchDType dtype = Broadcast.resultTypeOf(List.of(n.input(0), n.input(1)));
        Optional<String> mode = op.equals("div") ? namedInput(n, "rounding_mode").flatMap(Value::knownString)
                : Optional.empty();
        if (op.equals("div") && !dtype.isFloatingPoint() && mode.isEmpty()) {
            dtype = TorchDType.FLOAT32; // true division of integers
        }
        if (op.equals("pow") && !dtype.isFloatingPoint() && n.input(1).type() instanceof ValueType.FloatType) {
            dtype = TorchDType.FLOAT32;
        }
        n.output(0, dtype, broadcastShape(n, 2));
        String known = mode.map(m -> m.equals("floor") ? "floor_divide" : m.equals("trunc") ? "div_trunc" : "?")
                .orElse(op);
        foldKnown(n, known, dtype);
    }

    /**
     * Folds an operation on 0-d tensors whose values are known (sizes from {@code NumToTensor},
     * constants) into the output's known value: a size for integer results, a number for float32
     * and float64 ones.
     */
    private static void foldKnown(NodeTypes n, String op, TorchDType dtype) {
        Optional<Object> a = KnownArithmetic.number(n.input(0));
        Optional<Object> b = KnownArithmetic.number(n.input(1));
        Optional<Value> alphaArg = namedInput(n, "alpha");
        Optional<Object> alpha = alphaArg.isPresent() ? KnownArithmetic.number(alphaArg.get()) : Optional.of(Dim.of(1));
        if (a.isEmpty() || b.isEmpty() || alpha.isEmpty() || dtype == TorchDType.BOOL) {
            return;
        }
        boolean scalesFirst = op.equals("rsub"); // rsub(self, other, alpha) = other - alpha * self
        if (!dtype.isFloatingPoint()) {
            if (a.get() instanceof Dim x && b.get() instanceof Dim y && alpha.get() instanceof Dim s) {
                KnownArithmetic.ints(op, scalesFirst ? x.times(s) : x, scalesFirst ? y : y.times(s))
                        .ifPresent(d -> n.known(0, d));
            }
            return;
        }
        if (dtype != TorchDType.FLOAT32 && dtype != TorchDType.FLOAT64) {
            return;
        }
        Optional<Double> x = asDouble(a.get());
        Optional<Double> y = asDouble(b.get());
        Optional<Double> s = asDouble(alpha.get());
        if (x.isPresent() && y.isPresent() && s.isPresent()) {
            double first = scalesFirst ? x.get() * s.get() : x.get();
            double second = scalesFirst ? y.get() : y.get() * s.get();
            KnownArithmetic.floats(op, first, second, dtype == TorchDType.FLOAT32).ifPresent(r -> n.known(0, r));
        }
    }

    private static Optional<Double> asDouble(Object number) {
        if (number instanceof Dim d) {
            return d.isConstant() ? Optional.of((double) d.constant()) : Optional.empty();
        }
        return Optional.of((Double) number);
    }

    /** The input given for the schema argument {@code name}, unless absent or None. */
    private static Optional<Value> namedInput(NodeTypes n, String name) {
        int i = n.node().argNames().indexOf(name);
        return i < 0 || n.isNone(i) ? Optional.empty() : Optional.of(n.input(i));
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
        n.output(0, Broadcast.resultTypeOf(List.of(n.input(1), n.input(2))), broadcastShape(n, 3));
    }

    private static void softmax(NodeTypes n) {
        TensorType t = n.tensor(0);
        Shape.normalizeAxis(n.integer(1), Math.max(1, t.rank()));
        n.output(0, n.dtype(2).orElse(t.dtype()), t.shape());
    }
}
