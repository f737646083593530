package org.torch2nnef.graph.shapes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType;
import org.torch2nnef.torchscript.TorchTensor;

/**
 * Arithmetic on values known at export time, as torch computes it: integers are {@link Dim}s
 * (possibly symbolic sizes), floats are {@link Double}s rounded to the result's precision. Traced
 * code does its size arithmetic on 0-d tensors ({@code torch.mul(bsz, CONSTANTS.c0)}, {@code
 * torch.div(embed_dim, CONSTANTS.c0, rounding_mode="trunc")}) and on Python numbers; folding it
 * keeps the sizes a later {@code view} needs known, and symbolic where a dynamic axis makes them
 * so.
 *
 * <p>Operation names: {@code add}, {@code sub}, {@code rsub} ({@code b - a}), {@code mul}, {@code
 * div} (true division: floats only), {@code floor_divide} (also Python's {@code floordiv} and
 * {@code div} with {@code rounding_mode="floor"}), {@code div_trunc} ({@code
 * rounding_mode="trunc"}) and {@code remainder} (the sign of the divisor, as Python's {@code %}).
 */
public final class KnownArithmetic {
    private KnownArithmetic() {}

    /**
     * @param v a value
     * @return its known number: a {@link Dim} for ints, bools (0/1) and integer tensors holding one
     *     known item, a {@link Double} for floats and float tensors holding one known item
     */
    public static Optional<Object> number(Value v) {
        Optional<Dim> d = NodeTypes.knownDim(v);
        if (d.isPresent()) {
            return Optional.of(d.get());
        }
        Object k = v.known().orElse(null);
        if (k instanceof Double x) {
            return Optional.of(x);
        }
        if (k instanceof TorchTensor t && t.numel() == 1 && t.dtype().isFloatingPoint()) {
            try {
                return Optional.of(t.toDoubleArray()[0]);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read constant " + v.name(), e);
            }
        }
        return Optional.empty();
    }

    /**
     * @param v a value
     * @return whether it holds an integer or bool (a Python int/bool or an integer/bool tensor)
     */
    public static boolean isIntegral(Value v) {
        ValueType t = v.type();
        if (t instanceof ValueType.TensorType tt) {
            return !tt.dtype().isFloatingPoint();
        }
        return t instanceof ValueType.IntType || t instanceof ValueType.BoolType;
    }

    /**
     * Integer arithmetic on sizes. Divisions need a constant non-zero divisor (or one that divides
     * exactly); truncation of a symbolic quotient needs a numerator of known sign (sizes are never
     * negative).
     *
     * @param op the operation (see the class comment)
     * @param a first operand
     * @param b second operand
     * @return the result, or empty when it has no closed form here
     */
    public static Optional<Dim> ints(String op, Dim a, Dim b) {
        return switch (op) {
            case "add" -> Optional.of(a.plus(b));
            case "sub" -> Optional.of(a.minus(b));
            case "rsub" -> Optional.of(b.minus(a));
            case "mul" -> Optional.of(a.times(b));
            case "floor_divide", "floordiv", "div_trunc", "remainder" -> division(op, a, b);
            default -> Optional.empty();
        };
    }

    private static Optional<Dim> division(String op, Dim a, Dim b) {
        if (!b.isConstant()) {
            // by a symbolic size, only an exact quotient is known (and then the remainder is 0)
            return a.divideExactly(b).map(q -> op.equals("remainder") ? Dim.of(0) : q);
        }
        long d = b.constant();
        if (d == 0) {
            return Optional.empty();
        }
        return switch (op) {
            case "div_trunc" -> truncDivide(a, d);
            // the remainder takes the divisor's sign: a mod -d == -((-a) mod d)
            case "remainder" -> Optional.of(d > 0 ? a.mod(d) : a.times(-1).mod(-d).times(-1));
            // floor(a / -d) == floor(-a / d)
            default -> Optional.of(d > 0 ? a.floorDiv(d) : a.times(-1).floorDiv(-d));
        };
    }

    private static Optional<Dim> truncDivide(Dim a, long d) {
        Dim n = d > 0 ? a : a.times(-1);
        long divisor = Math.abs(d);
        if (n.isConstant()) {
            return Optional.of(Dim.of(n.constant() / divisor)); // Java's / truncates toward zero
        }
        if (n.isNonNegative()) {
            return Optional.of(n.floorDiv(divisor));
        }
        if (n.times(-1).isNonNegative()) {
            return Optional.of(n.times(-1).floorDiv(divisor).times(-1));
        }
        return Optional.empty();
    }

    /**
     * Floating-point arithmetic, in float32 when {@code single} (operands and result rounded to
     * float: a double operation on two floats rounded once gives float32's result), else in double.
     *
     * @param op the operation (see the class comment)
     * @param a first operand
     * @param b second operand
     * @param single whether torch computes in float32
     * @return the result, or empty for operations not folded
     */
    public static Optional<Double> floats(String op, double a, double b, boolean single) {
        double x = single ? (float) a : a;
        double y = single ? (float) b : b;
        Double r =
                switch (op) {
                    case "add" -> x + y;
                    case "sub" -> x - y;
                    case "rsub" -> y - x;
                    case "mul" -> x * y;
                    case "div" -> x / y;
                    case "floor_divide", "floordiv" -> floorDivide(x, y);
                    case "div_trunc" -> trunc(x / y);
                    case "remainder" -> remainder(x, y);
                    default -> null;
                };
        if (r == null) {
            return Optional.empty();
        }
        return Optional.of(single ? (double) (float) r.doubleValue() : r);
    }

    private static double trunc(double q) {
        return q < 0 ? Math.ceil(q) : Math.floor(q);
    }

    /**
     * c10's {@code div_floor_floating}: Python's {@code //} on floats, exact where {@code floor(a /
     * b)} rounds wrongly.
     */
    private static double floorDivide(double a, double b) {
        if (b == 0) {
            return a / b;
        }
        double mod = a % b;
        double div = (a - mod) / b;
        if (mod != 0 && (b < 0) != (mod < 0)) {
            div -= 1;
        }
        if (div == 0) {
            return Math.copySign(0, a / b);
        }
        double floor = Math.floor(div);
        return div - floor > 0.5 ? floor + 1 : floor;
    }

    /**
     * Python's {@code %} on floats (torch's {@code remainder}): the result has the divisor's sign.
     */
    private static double remainder(double a, double b) {
        double mod = a % b;
        return mod != 0 && (b < 0) != (mod < 0) ? mod + b : mod;
    }
}
