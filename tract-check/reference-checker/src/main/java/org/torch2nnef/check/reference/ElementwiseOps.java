package org.torch2nnef.check.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * Element-wise ops: unary math, binary arithmetic and comparisons with NNEF broadcasting, {@code
 * select}, {@code clamp} and the activations. Literal operands take the type of the tensor operand,
 * as tract does for inline constants.
 */
final class ElementwiseOps {
    private ElementwiseOps() {}

    static void register(OpRegistry r) {
        unary(r, "copy", x -> x.duplicate());
        unary(r, "neg", NDArray::neg);
        unary(r, "exp", NDArray::exp);
        unary(r, "log", NDArray::log);
        unary(r, "log2", NDArray::log2);
        unary(r, "sin", NDArray::sin);
        unary(r, "cos", NDArray::cos);
        unary(r, "tan", NDArray::tan);
        unary(r, "asin", NDArray::asin);
        unary(r, "acos", NDArray::acos);
        unary(r, "atan", NDArray::atan);
        unary(r, "sinh", NDArray::sinh);
        unary(r, "cosh", NDArray::cosh);
        unary(r, "tanh", NDArray::tanh);
        unary(r, "asinh", NDArray::asinh);
        unary(r, "acosh", NDArray::acosh);
        unary(r, "atanh", NDArray::atanh);
        unary(r, "abs", NDArray::abs);
        unary(r, "sign", NDArray::sign);
        unary(r, "rcp", x -> Tensors.scalar(x.getManager(), 1, x.getDataType()).div(x));
        unary(r, "recip", x -> Tensors.scalar(x.getManager(), 1, x.getDataType()).div(x));
        unary(r, "floor", NDArray::floor);
        unary(r, "ceil", NDArray::ceil);
        unary(r, "round", Tensors::roundHalfAway);
        unary(r, "tract_core_round_even", NDArray::round);
        unary(r, "sqr", NDArray::square);
        unary(r, "square", NDArray::square);
        unary(r, "sqrt", NDArray::sqrt);
        unary(r, "rsqr", x -> x.square().pow(-1));
        unary(r, "rsqrt", x -> x.sqrt().pow(-1));
        unary(r, "not", NDArray::logicalNot);
        unary(r, "relu", x -> x.maximum(0));
        unary(r, "sigmoid", x -> x.getNDArrayInternal().sigmoid());
        unary(r, "softplus", x -> x.exp().add(1).log());
        unary(r, "tract_core_erf", NDArray::erf);
        unary(r, "tract_core_hard_swish", x -> x.mul(x.add(3).clip(0, 6)).div(6));
        unary(
                r,
                "tract_core_bitnot",
                x -> x.getDataType() == DataType.BOOLEAN ? x.logicalNot() : x.neg().sub(1));
        unary(r, "tract_core_silu", x -> x.mul(x.getNDArrayInternal().sigmoid()));
        r.add(
                "tract_core_gelu_approx",
                c -> {
                    // 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^n))), n = 2 for tract's
                    // fast_impl, else 3
                    NDArray x = c.tensor("input");
                    NDArray inner =
                            x.add(x.pow(c.logical("fast_impl") ? 2 : 3).mul(0.044715f))
                                    .mul((float) Math.sqrt(2 / Math.PI));
                    return t(x.mul(inner.tanh().add(1)).mul(0.5f));
                },
                "input",
                "fast_impl");
        r.add(
                "tract_core_pow_const",
                c -> {
                    NDArray x = c.tensor("input");
                    return t(
                            x.pow(
                                    Tensors.scalar(
                                            c.manager(), c.real("exponent"), x.getDataType())));
                },
                "input",
                "exponent");
        r.add(
                "tract_core_is_inf",
                c -> {
                    NDArray x = c.tensor("input");
                    boolean positive = c.logical("detect_positive");
                    boolean negative = c.logical("detect_negative");
                    return t(
                            positive && negative
                                    ? x.isInfinite()
                                    : positive
                                            ? x.eq(Double.POSITIVE_INFINITY)
                                            : negative
                                                    ? x.eq(Double.NEGATIVE_INFINITY)
                                                    : x.zerosLike()
                                                            .toType(DataType.BOOLEAN, false));
                },
                "input",
                "detect_positive = true",
                "detect_negative = true");
        r.add(
                "elu",
                c -> {
                    NDArray x = c.tensor("x");
                    return t(Tensors.where(x.lt(0), x.exp().sub(1).mul(c.real("alpha")), x));
                },
                "x",
                "alpha = 1.0");
        r.add(
                "selu",
                c -> {
                    NDArray x = c.tensor("x");
                    double alpha = c.real("alpha");
                    return t(
                            Tensors.where(x.lt(0), x.exp().sub(1).mul(alpha), x)
                                    .mul(c.real("lambda")));
                },
                "x",
                "alpha = 1.67326319",
                "lambda = 1.05070102");
        r.add("gelu", c -> t(c.tensor("x").getNDArrayInternal().gelu()), "x");
        r.add(
                "silu",
                c -> {
                    NDArray x = c.tensor("x");
                    return t(x.mul(x.getNDArrayInternal().sigmoid()));
                },
                "x");
        r.add(
                "leaky_relu",
                c -> {
                    NDArray x = c.tensor("x");
                    return t(Tensors.where(x.lt(0), x.mul(c.real("alpha")), x));
                },
                "x",
                "alpha");
        r.add(
                "prelu",
                c -> {
                    NDArray x = c.tensor("x");
                    NDArray alpha = c.tensor("alpha", x.getDataType());
                    NDArray scaled = broadcastPair(x, alpha, NDArray::mul);
                    return t(Tensors.where(x.lt(0), scaled, x));
                },
                "x",
                "alpha");
        r.add(
                "softabs",
                c -> {
                    NDArray x = c.tensor("x");
                    return t(x.square().add(c.real("epsilon")).sqrt());
                },
                "x",
                "epsilon");

        binary(r, "add", NDArray::add);
        binary(r, "sub", NDArray::sub);
        binary(r, "mul", NDArray::mul);
        binary(r, "div", ElementwiseOps::divide);
        binary(r, "pow", NDArray::pow);
        binary(r, "min", NDArray::minimum);
        binary(r, "max", NDArray::maximum);
        binary(r, "lt", NDArray::lt);
        binary(r, "gt", NDArray::gt);
        binary(r, "le", NDArray::lte);
        binary(r, "ge", NDArray::gte);
        binary(r, "eq", NDArray::eq);
        binary(r, "ne", NDArray::neq);
        binary(r, "and", NDArray::logicalAnd);
        binary(r, "or", NDArray::logicalOr);
        binary(r, "tract_core_xor", NDArray::logicalXor);
        binary(
                r,
                "tract_core_bitand",
                (a, b) ->
                        a.getDataType() == DataType.BOOLEAN ? a.logicalAnd(b) : bitwise("and", a));
        binary(
                r,
                "tract_core_bitor",
                (a, b) -> a.getDataType() == DataType.BOOLEAN ? a.logicalOr(b) : bitwise("or", a));
        binary(
                r,
                "tract_core_bitxor",
                (a, b) ->
                        a.getDataType() == DataType.BOOLEAN ? a.logicalXor(b) : bitwise("xor", a));

        r.add(
                "select",
                c -> {
                    NDArray cond = c.tensor("condition");
                    Value tv = c.value("true_value");
                    Value fv = c.value("false_value");
                    NDArray[] v = coerce(c, tv, fv);
                    int rank = Tensors.maxRank(cond, v[0], v[1]);
                    return t(
                            Tensors.where(
                                    Tensors.padRank(cond, rank),
                                    Tensors.padRank(v[0], rank),
                                    Tensors.padRank(v[1], rank)));
                },
                "condition",
                "true_value",
                "false_value");
        r.add(
                "clamp",
                c -> {
                    NDArray x = c.tensor("x");
                    NDArray a = c.tensor("a", x.getDataType());
                    NDArray b = c.tensor("b", x.getDataType());
                    return t(
                            broadcastPair(
                                    broadcastPair(x, b, NDArray::minimum), a, NDArray::maximum));
                },
                "x",
                "a",
                "b");
    }

    private static Value t(NDArray a) {
        return new Value.Tensor(a);
    }

    private static void unary(OpRegistry r, String name, UnaryOperator<NDArray> f) {
        r.add(name, c -> t(f.apply(c.tensor("x"))), "x");
    }

    private static void binary(OpRegistry r, String name, BinaryOperator<NDArray> f) {
        r.add(
                name,
                c -> {
                    NDArray[] v = coerce(c, c.value("x"), c.value("y"));
                    return t(broadcastPair(v[0], v[1], f));
                },
                "x",
                "y");
    }

    /**
     * Both operands as tensors of one type: a literal takes the type of the tensor operand, two
     * tensors of different types meet at the wider one.
     */
    static NDArray[] coerce(OpCall c, Value x, Value y) {
        NDArray a;
        NDArray b;
        if (!(x instanceof Value.Tensor) && y instanceof Value.Tensor ty) {
            b = ty.array();
            a = Tensors.toArray(x, c.manager(), b.getDataType(), () -> c.op() + " x");
        } else if (x instanceof Value.Tensor tx && !(y instanceof Value.Tensor)) {
            a = tx.array();
            b = Tensors.toArray(y, c.manager(), a.getDataType(), () -> c.op() + " y");
        } else {
            a = Tensors.toArray(x, c.manager(), null, () -> c.op() + " x");
            b = Tensors.toArray(y, c.manager(), null, () -> c.op() + " y");
        }
        if (a.getDataType() != b.getDataType()) {
            DataType common = Tensors.common(List.of(a, b));
            a = a.toType(common, false);
            b = b.toType(common, false);
        }
        return new NDArray[] {a, b};
    }

    /** {@code f(a, b)} after NNEF rank alignment (trailing singleton axes on the lower rank). */
    static NDArray broadcastPair(NDArray a, NDArray b, BinaryOperator<NDArray> f) {
        int rank = Tensors.maxRank(a, b);
        return f.apply(Tensors.padRank(a, rank), Tensors.padRank(b, rank));
    }

    /** Division; integer tensors divide truncating toward zero as tract's integer division does. */
    private static NDArray divide(NDArray a, NDArray b) {
        DataType t = a.getDataType();
        if (t.isFloating()) {
            return a.div(b);
        }
        return a.toType(DataType.FLOAT64, false)
                .div(b.toType(DataType.FLOAT64, false))
                .toType(t, false);
    }

    private static NDArray bitwise(String op, NDArray a) {
        throw new UnsupportedOpException(
                "tract_core_bit" + op,
                "bitwise "
                        + op
                        + " on "
                        + a.getDataType()
                        + " tensors is not supported by the reference interpreter (only on logical tensors)");
    }
}
