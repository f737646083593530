package org.torch2nnef.graph.shapes;

import java.util.ArrayList;
import java.util.List;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType;
import org.torch2nnef.graph.ValueType.TensorType;
import org.torch2nnef.torchscript.TorchDType;

/** Numpy-style broadcasting of shapes and torch's result-type rule for mixed operands. */
public final class Broadcast {
    private Broadcast() {}

    /**
     * @param a a shape
     * @param b another
     * @return the broadcast shape
     * @throws ShapeInferenceException if sizes differ and neither is 1
     */
    public static Shape shapes(Shape a, Shape b) {
        return shapes(null, a, b);
    }

    /**
     * The broadcast of an element-wise op's operands, where two symbolic sizes torch checks only at
     * run time may be equal for every value of their symbols or at the example sizes only (then an
     * assumption is recorded). The result takes the first operand's size then; the translation
     * makes the other operand's size match it.
     *
     * @param n the op, with the run's example sizes ({@code null}: sizes must be structurally
     *     equal)
     * @param a a shape
     * @param b another
     * @return the broadcast shape
     * @throws ShapeInferenceException if sizes differ and neither is 1
     */
    public static Shape shapes(NodeTypes n, Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        List<Dim> out = new ArrayList<>(rank);
        for (int i = 0; i < rank; i++) {
            int ia = i - (rank - a.rank());
            int ib = i - (rank - b.rank());
            Dim da = ia < 0 ? Dim.of(1) : a.dims().get(ia);
            Dim db = ib < 0 ? Dim.of(1) : b.dims().get(ib);
            out.add(dim(n, da, db, a, b));
        }
        return new Shape(out);
    }

    private static Dim dim(NodeTypes n, Dim a, Dim b, Shape sa, Shape sb) {
        if (a.equals(b) || b.equals(Dim.of(1))) {
            return a;
        }
        if (a.equals(Dim.of(1))) {
            return b;
        }
        String fail = "shapes " + sa + " and " + sb + " do not broadcast: ";
        if (n != null) {
            try {
                if (n.sizes().agree(a, b, n.node())) {
                    return a;
                }
            } catch (ShapeInferenceException e) {
                throw new ShapeInferenceException(fail + e.getMessage(), e);
            }
        }
        throw new ShapeInferenceException(fail + a + " vs " + b);
    }

    /**
     * {@link #resultType} of graph values as the TorchScript interpreter sees them: a 0-d traced
     * constant used directly ({@code torch.add(i, CONSTANTS.c0)}, the {@code 0.5} of {@code i +
     * 0.5}) is a wrapped number there, promoting like a Python number ({@code int64 + 0.5} is
     * float32), whereas a 0-d tensor computed in the graph promotes as a 0-d tensor.
     *
     * @param operands the operands
     * @return the result dtype
     */
    static TorchDType resultTypeOf(List<Value> operands) {
        List<ValueType> types = new ArrayList<>(operands.size());
        for (Value v : operands) {
            types.add(promotionType(v));
        }
        return resultType(types);
    }

    private static ValueType promotionType(Value v) {
        if (v.origin() == Value.Origin.CONSTANT
                && v.type() instanceof TensorType t
                && t.rank() == 0) {
            return switch (t.dtype().kind()) {
                case FLOAT -> ValueType.FLOAT;
                case BOOL -> ValueType.BOOL;
                case INT, UNSIGNED -> ValueType.INT;
                default -> t;
            };
        }
        return v.type();
    }

    /**
     * {@code torch.result_type} of operands: tensors with dimensions take precedence over 0-d
     * tensors, which take precedence over Python numbers, unless a lower-precedence operand is of a
     * higher category (bool &lt; int &lt; float), in which case it decides (numbers then give the
     * default dtypes float32 / int64).
     *
     * @param operands the operand types (tensors, ints, floats, bools)
     * @return the result dtype
     */
    public static TorchDType resultType(List<ValueType> operands) {
        TorchDType dimensioned = null;
        TorchDType zeroDim = null;
        int scalarCategory = -1;
        for (ValueType t : operands) {
            if (t instanceof TensorType tt) {
                if (tt.rank() > 0) {
                    dimensioned =
                            dimensioned == null
                                    ? tt.dtype()
                                    : ScalarTypes.promote(dimensioned, tt.dtype());
                } else {
                    zeroDim =
                            zeroDim == null ? tt.dtype() : ScalarTypes.promote(zeroDim, tt.dtype());
                }
            } else if (t instanceof ValueType.FloatType) {
                scalarCategory = Math.max(scalarCategory, 2);
            } else if (t instanceof ValueType.IntType) {
                scalarCategory = Math.max(scalarCategory, 1);
            } else if (t instanceof ValueType.BoolType) {
                scalarCategory = Math.max(scalarCategory, 0);
            }
        }
        TorchDType result = dimensioned;
        if (zeroDim != null
                && (result == null
                        || ScalarTypes.category(zeroDim) > ScalarTypes.category(result))) {
            result = zeroDim;
        }
        if (scalarCategory >= 0
                && (result == null || scalarCategory > ScalarTypes.category(result))) {
            result =
                    switch (scalarCategory) {
                        case 2 -> TorchDType.FLOAT32;
                        case 1 -> TorchDType.INT64;
                        default -> TorchDType.BOOL;
                    };
        }
        if (result == null) {
            throw new ShapeInferenceException("no tensor or number operand among " + operands);
        }
        return result;
    }
}
