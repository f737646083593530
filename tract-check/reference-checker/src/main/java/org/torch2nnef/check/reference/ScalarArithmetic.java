package org.torch2nnef.check.reference;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.torch2nnef.nnef.model.Expr.BinaryOp;

/**
 * NNEF operators on compile-time values (integers, scalars, logicals, strings, arrays): integer
 * arithmetic stays integer (division floors), mixed arithmetic is real, {@code +} concatenates
 * arrays and strings, {@code array * n} repeats, comparisons and {@code in}; subscripts and slices
 * of arrays, tuples and strings.
 */
final class ScalarArithmetic {
    private ScalarArithmetic() {}

    /** {@code l op r} for values that are not tensors. */
    static Value binary(BinaryOp op, Value l, Value r) {
        switch (op) {
            case AND, OR -> {
                boolean a = Values.toBoolean(l, () -> "left of " + op.symbol());
                boolean b = Values.toBoolean(r, () -> "right of " + op.symbol());
                return new Value.Bool(op == BinaryOp.AND ? a && b : a || b);
            }
            case IN -> {
                if (!(r instanceof Value.Array a)) {
                    throw new NnefExecutionException(
                            "right of 'in' must be an array, got " + Value.describe(r));
                }
                return new Value.Bool(a.items().contains(l));
            }
            case EQ -> {
                return new Value.Bool(sameValue(l, r));
            }
            case NE -> {
                return new Value.Bool(!sameValue(l, r));
            }
            default -> {}
        }
        if (l instanceof Value.Array a) {
            if (op == BinaryOp.ADD && r instanceof Value.Array b) {
                List<Value> out = new ArrayList<>(a.items());
                out.addAll(b.items());
                return new Value.Array(out);
            }
            if (op == BinaryOp.MUL && r instanceof Value.Int n) {
                List<Value> out = new ArrayList<>();
                for (long i = 0; i < n.value(); i++) {
                    out.addAll(a.items());
                }
                return new Value.Array(out);
            }
        }
        if (l instanceof Value.Str a && r instanceof Value.Str b && op == BinaryOp.ADD) {
            return new Value.Str(a.value() + b.value());
        }
        if (l instanceof Value.Int a && r instanceof Value.Int b) {
            long x = a.value();
            long y = b.value();
            return switch (op) {
                case ADD -> new Value.Int(x + y);
                case SUB -> new Value.Int(x - y);
                case MUL -> new Value.Int(x * y);
                case DIV -> {
                    if (y == 0) {
                        throw new NnefExecutionException("integer division by zero");
                    }
                    yield new Value.Int(Math.floorDiv(x, y));
                }
                case POW -> new Value.Int(ipow(x, y));
                case LT -> new Value.Bool(x < y);
                case LE -> new Value.Bool(x <= y);
                case GT -> new Value.Bool(x > y);
                case GE -> new Value.Bool(x >= y);
                default -> throw new IllegalStateException(op.toString());
            };
        }
        if ((l instanceof Value.Int || l instanceof Value.Real)
                && (r instanceof Value.Int || r instanceof Value.Real)) {
            double x = Values.toDouble(l, () -> "left of " + op.symbol());
            double y = Values.toDouble(r, () -> "right of " + op.symbol());
            return switch (op) {
                case ADD -> new Value.Real(x + y);
                case SUB -> new Value.Real(x - y);
                case MUL -> new Value.Real(x * y);
                case DIV -> new Value.Real(x / y);
                case POW -> new Value.Real(Math.pow(x, y));
                case LT -> new Value.Bool(x < y);
                case LE -> new Value.Bool(x <= y);
                case GT -> new Value.Bool(x > y);
                case GE -> new Value.Bool(x >= y);
                default -> throw new IllegalStateException(op.toString());
            };
        }
        throw new NnefExecutionException(
                "operator '"
                        + op.symbol()
                        + "' does not apply to "
                        + Value.describe(l)
                        + " and "
                        + Value.describe(r));
    }

    private static boolean sameValue(Value l, Value r) {
        if ((l instanceof Value.Int || l instanceof Value.Real)
                && (r instanceof Value.Int || r instanceof Value.Real)) {
            return Values.toDouble(l, () -> "") == Values.toDouble(r, () -> "");
        }
        return l.equals(r);
    }

    private static long ipow(long base, long exp) {
        if (exp < 0) {
            throw new NnefExecutionException("negative integer exponent " + exp);
        }
        long r = 1;
        for (long i = 0; i < exp; i++) {
            r = Math.multiplyExact(r, base);
        }
        return r;
    }

    static Value subscript(Value target, Value index) {
        List<Value> items;
        if (target instanceof Value.Array a) {
            items = a.items();
        } else if (target instanceof Value.Tuple t) {
            items = t.items();
        } else if (target instanceof Value.Str s) {
            int i = checkIndex(Values.toLong(index, () -> "string index"), s.value().length());
            return new Value.Str(s.value().substring(i, i + 1));
        } else {
            throw new NnefExecutionException("cannot subscript " + Value.describe(target));
        }
        return items.get(checkIndex(Values.toLong(index, () -> "subscript"), items.size()));
    }

    private static int checkIndex(long i, int size) {
        if (i < 0 || i >= size) {
            throw new NnefExecutionException("index " + i + " out of range for " + size + " items");
        }
        return (int) i;
    }

    static Value slice(Value target, Optional<Value> begin, Optional<Value> end) {
        int size;
        if (target instanceof Value.Array a) {
            size = a.items().size();
        } else if (target instanceof Value.Str s) {
            size = s.value().length();
        } else {
            throw new NnefExecutionException("cannot slice " + Value.describe(target));
        }
        int b =
                (int)
                        Math.max(
                                0,
                                Math.min(
                                        size,
                                        begin.map(v -> Values.toLong(v, () -> "slice begin"))
                                                .orElse(0L)));
        int e =
                (int)
                        Math.max(
                                b,
                                Math.min(
                                        size,
                                        end.map(v -> Values.toLong(v, () -> "slice end"))
                                                .orElse((long) size)));
        if (target instanceof Value.Str s) {
            return new Value.Str(s.value().substring(b, e));
        }
        return new Value.Array(((Value.Array) target).items().subList(b, e));
    }
}
