package org.torch2nnef.check.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tract_core_einsum(inputs, expr, acc, output)}: Einstein summation over letter-indexed axes
 * ({@code "bmk,kn->bmn"}; without {@code ->} the output is the letters seen once, sorted). Operands
 * are contracted left to right, each pair as one batched matrix product; a letter repeated within
 * one operand (a diagonal) or {@code ...} is refused.
 */
final class EinsumOp {
    private EinsumOp() {}

    static void register(OpRegistry r) {
        r.add("tract_core_einsum", EinsumOp::einsum, "inputs", "expr", "acc", "output = ''");
    }

    /** A tensor with one letter per axis. */
    private record Term(NDArray array, String axes) {}

    private static Value einsum(OpCall c) {
        String expr = c.string("expr").replace(" ", "");
        if (expr.contains(".")) {
            throw new UnsupportedOpException(
                    c.op(), "op '" + c.op() + "': ellipsis in '" + expr + "' is not supported");
        }
        int arrow = expr.indexOf("->");
        String[] specs = (arrow < 0 ? expr : expr.substring(0, arrow)).split(",", -1);
        List<NDArray> inputs = c.tensors("inputs");
        if (specs.length != inputs.size()) {
            throw c.error(
                    "'"
                            + expr
                            + "' has "
                            + specs.length
                            + " operands, got "
                            + inputs.size()
                            + " inputs");
        }
        String output = arrow < 0 ? implicitOutput(specs) : expr.substring(arrow + 2);
        List<Term> terms = new ArrayList<>();
        for (int i = 0; i < specs.length; i++) {
            NDArray a = inputs.get(i);
            if (specs[i].length() != a.getShape().dimension()) {
                throw c.error(
                        "operand "
                                + i
                                + " '"
                                + specs[i]
                                + "' does not match shape "
                                + a.getShape());
            }
            for (int k = 0; k < specs[i].length(); k++) {
                if (specs[i].indexOf(specs[i].charAt(k)) != k) {
                    throw new UnsupportedOpException(
                            c.op(),
                            "op '"
                                    + c.op()
                                    + "': repeated index in '"
                                    + specs[i]
                                    + "' (diagonal) is not supported");
                }
            }
            terms.add(new Term(a, specs[i]));
        }
        Term acc = terms.get(0);
        for (int i = 1; i < terms.size(); i++) {
            StringBuilder needed = new StringBuilder(output);
            for (int j = i + 1; j < terms.size(); j++) {
                needed.append(terms.get(j).axes());
            }
            acc = contract(c, acc, terms.get(i), needed.toString());
        }
        acc = sumExcept(acc, output);
        int[] perm = new int[output.length()];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = acc.axes().indexOf(output.charAt(i));
            if (perm[i] < 0) {
                throw c.error(
                        "output letter '"
                                + output.charAt(i)
                                + "' appears in no operand of '"
                                + expr
                                + "'");
            }
        }
        return new Value.Tensor(perm.length == 0 ? acc.array() : acc.array().transpose(perm));
    }

    private static String implicitOutput(String[] specs) {
        Map<Character, Integer> counts = new HashMap<>();
        for (String s : specs) {
            for (char ch : s.toCharArray()) {
                counts.merge(ch, 1, Integer::sum);
            }
        }
        StringBuilder sb = new StringBuilder();
        counts.entrySet().stream()
                .filter(e -> e.getValue() == 1)
                .map(Map.Entry::getKey)
                .sorted()
                .forEach(sb::append);
        return sb.toString();
    }

    /** Sums away the axes whose letters are not in {@code keep}. */
    private static Term sumExcept(Term t, String keep) {
        StringBuilder axes = new StringBuilder();
        List<Integer> gone = new ArrayList<>();
        for (int i = 0; i < t.axes().length(); i++) {
            if (keep.indexOf(t.axes().charAt(i)) >= 0) {
                axes.append(t.axes().charAt(i));
            } else {
                gone.add(i);
            }
        }
        if (gone.isEmpty()) {
            return t;
        }
        return new Term(
                t.array().sum(gone.stream().mapToInt(Integer::intValue).toArray()),
                axes.toString());
    }

    /** Contracts two terms into one keeping the letters in {@code needed}, as a batched matmul. */
    private static Term contract(OpCall c, Term a, Term b, String needed) {
        a = sumExcept(a, needed + b.axes());
        b = sumExcept(b, needed + a.axes());
        StringBuilder batch = new StringBuilder();
        StringBuilder inner = new StringBuilder();
        StringBuilder aFree = new StringBuilder();
        StringBuilder bFree = new StringBuilder();
        for (char ch : a.axes().toCharArray()) {
            if (b.axes().indexOf(ch) >= 0) {
                (needed.indexOf(ch) >= 0 ? batch : inner).append(ch);
            } else {
                aFree.append(ch);
            }
        }
        for (char ch : b.axes().toCharArray()) {
            if (a.axes().indexOf(ch) < 0) {
                bFree.append(ch);
            }
        }
        for (char ch : (batch.toString() + inner).toCharArray()) {
            long da = a.array().getShape().get(a.axes().indexOf(ch));
            long db = b.array().getShape().get(b.axes().indexOf(ch));
            if (da != db) {
                throw c.error(
                        "index '"
                                + ch
                                + "' has size "
                                + da
                                + " in one operand and "
                                + db
                                + " in the other");
            }
        }
        NDArray left = grouped(a, batch + "|" + aFree + "|" + inner);
        NDArray right = grouped(b, batch + "|" + inner + "|" + bFree);
        NDArray product = left.matMul(right);
        String axes = batch.toString() + aFree + bFree;
        long[] shape = new long[axes.length()];
        for (int i = 0; i < shape.length; i++) {
            char ch = axes.charAt(i);
            shape[i] =
                    a.axes().indexOf(ch) >= 0
                            ? a.array().getShape().get(a.axes().indexOf(ch))
                            : b.array().getShape().get(b.axes().indexOf(ch));
        }
        return new Term(product.reshape(new Shape(shape)), axes);
    }

    /**
     * {@code t} permuted to the three letter groups of {@code layout} ("b|m|k") and reshaped to
     * 3-D.
     */
    private static NDArray grouped(Term t, String layout) {
        String[] groups = layout.split("\\|", -1);
        int[] perm = new int[t.axes().length()];
        long[] dims = {1, 1, 1};
        int k = 0;
        for (int g = 0; g < 3; g++) {
            for (char ch : groups[g].toCharArray()) {
                int axis = t.axes().indexOf(ch);
                perm[k++] = axis;
                dims[g] *= t.array().getShape().get(axis);
            }
        }
        NDArray x = perm.length == 0 ? t.array() : t.array().transpose(perm);
        return x.reshape(new Shape(dims));
    }
}
