package org.torch2nnef.graph.shapes;

/**
 * Identities of inference: {@code detach}, {@code contiguous}, {@code clone} and the dropouts keep
 * their input's type; the first three its known value too.
 */
final class ElementwiseShapes {
    /** Ops whose result is the input's dtype and shape. */
    private static final String[] SAME = {
        "aten::detach", "aten::contiguous", "aten::clone", "aten::dropout", "aten::feature_dropout", "aten::alpha_dropout",
    };

    private ElementwiseShapes() {}

    static void register(ShapeRules r) {
        r.register(ElementwiseShapes::same, SAME);
    }

    private static void same(NodeTypes n) {
        n.output(0, n.tensor(0));
        if (n.node().kind().equals("aten::detach") || n.node().kind().equals("aten::clone")
                || n.node().kind().equals("aten::contiguous")) {
            KnownArithmetic.number(n.input(0)).ifPresent(k -> n.known(0, k));
        }
    }
}
