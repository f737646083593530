package org.torch2nnef.pt2;

import java.util.Map;

/**
 * A program node's {@code target} as the op table names it: {@code torch.ops.aten.conv1d.default}
 * is {@code aten::conv1d} (overload {@code ""}), {@code torch.ops.aten.add.Tensor} is {@code
 * aten::add.Tensor}, the size arithmetic of {@code _operator} is aten's int overloads, and {@code
 * aten.sym_size.int} is {@code aten::size.int}.
 *
 * @param kind e.g. {@code aten::conv1d}
 * @param overload e.g. {@code Tensor}, or {@code ""} for {@code default}
 */
record OpTarget(String kind, String overload) {
    private static final String OPS = "torch.ops.";

    /** Python's operators on SymInts, and the aten op of the same meaning on ints. */
    private static final Map<String, String> OPERATORS =
            Map.of(
                    "_operator.mul", "aten::mul",
                    "_operator.add", "aten::add",
                    "_operator.sub", "aten::sub",
                    "_operator.floordiv", "aten::floordiv",
                    "_operator.neg", "aten::neg");

    static OpTarget of(String target) {
        String operator = OPERATORS.get(target);
        if (operator != null) {
            return new OpTarget(operator, "int");
        }
        if (target.startsWith(OPS)) {
            String[] parts = target.substring(OPS.length()).split("\\.", -1);
            if (parts.length == 3 && !parts[0].isEmpty() && !parts[1].isEmpty()) {
                String kind = parts[0] + "::" + parts[1];
                String overload = parts[2].equals("default") ? "" : parts[2];
                if (kind.equals("aten::sym_size")) {
                    return new OpTarget("aten::size", "int");
                }
                return new OpTarget(kind, overload);
            }
        }
        // not an op torch2nnef can name (a higher-order op, a Python callable): reported as such
        return new OpTarget(target.startsWith(OPS) ? target.substring(OPS.length()) : target, "");
    }

    /**
     * @return e.g. {@code aten::add.Tensor}
     */
    String qualifiedName() {
        return overload.isEmpty() ? kind : kind + "." + overload;
    }
}
