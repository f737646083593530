package org.torch2nnef.graph.shapes;

import java.util.Optional;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.ValueType;

/** Integer (or float) arithmetic between non-tensor operands, for the element-wise rules. */
final class ScalarShapes {
    private ScalarShapes() {}

    /**
     * Integer (or float) arithmetic between non-tensor operands: {@code aten::add.int} and friends.
     *
     * @param n  the node
     * @param op the operation's name ({@code add}, {@code sub}, {@code mul}, {@code floordiv},
     *           {@code remainder}, {@code div}; see {@link KnownArithmetic})
     */
    static void arithmetic(NodeTypes n, String op) {
        boolean ints = KnownArithmetic.isIntegral(n.input(0)) && KnownArithmetic.isIntegral(n.input(1))
                && !op.equals("div");
        n.output(0, ints ? ValueType.INT : ValueType.FLOAT);
        if (ints) {
            Optional<Dim> a = n.knownDim(0);
            Optional<Dim> b = n.knownDim(1);
            if (a.isPresent() && b.isPresent()) {
                KnownArithmetic.ints(op, a.get(), b.get()).ifPresent(d -> n.known(0, d));
            }
            return;
        }
        Optional<Double> a = n.input(0).knownDouble();
        Optional<Double> b = n.input(1).knownDouble();
        if (a.isPresent() && b.isPresent()) {
            KnownArithmetic.floats(op, a.get(), b.get(), false).ifPresent(r -> n.known(0, r));
        }
    }
}
