package org.torch2nnef.graph;

/** Normalises the callees of traced code to op kinds. */
final class OpNames {
    private OpNames() {}

    /**
     * @param callee e.g. {@code torch.relu}, {@code torch._convolution}, {@code
     *     ops.prim.NumToTensor}, {@code ops.quantized.linear_dynamic}, {@code
     *     torch.nn.functional.relu}
     * @return e.g. {@code aten::relu}, {@code prim::NumToTensor}, {@code quantized::linear_dynamic}
     */
    static String kindOf(String callee) {
        if (callee.startsWith("ops.")) {
            String rest = callee.substring("ops.".length());
            int dot = rest.indexOf('.');
            return dot < 0
                    ? "aten::" + rest
                    : rest.substring(0, dot) + "::" + rest.substring(dot + 1);
        }
        String rest = callee.substring("torch.".length());
        return "aten::" + rest.substring(rest.lastIndexOf('.') + 1);
    }
}
