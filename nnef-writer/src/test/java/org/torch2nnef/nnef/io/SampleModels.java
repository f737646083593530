package org.torch2nnef.nnef.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.torch2nnef.nnef.model.Expr.add;
import static org.torch2nnef.nnef.model.Expr.id;
import static org.torch2nnef.nnef.model.Expr.ints;
import static org.torch2nnef.nnef.model.Expr.mul;
import static org.torch2nnef.nnef.model.Expr.of;
import static org.torch2nnef.nnef.model.Expr.sub;

import java.util.Locale;
import org.torch2nnef.nnef.model.Assignment;
import org.torch2nnef.nnef.model.ElementType;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Extension;
import org.torch2nnef.nnef.model.Fragment;
import org.torch2nnef.nnef.model.Graph;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.ItemType;
import org.torch2nnef.nnef.model.NnefModel;
import org.torch2nnef.nnef.model.Quantization;
import org.torch2nnef.nnef.model.TensorData;
import org.torch2nnef.nnef.model.TypeName;
import org.torch2nnef.nnef.model.TypeSpec;

/** Small models shared by the io tests. */
final class SampleModels {
    private SampleModels() {}

    /** A graph with a symbolic input, a weight, a bias, a fragment call and a quantized tensor. */
    static NnefModel linear() {
        Fragment scaleShift =
                Fragment.builder("scale_shift")
                        .param("x", TypeSpec.tensor(TypeName.SCALAR))
                        .param("scale", TypeSpec.SCALAR, of(1.0f))
                        .param("shift", TypeSpec.SCALAR, of(0.0f))
                        .result("y", TypeSpec.tensor(TypeName.SCALAR))
                        .assign(Assignment.of("y", add(mul(id("x"), id("scale")), id("shift"))))
                        .build();
        Graph g =
                Graph.builder("network")
                        .input("input")
                        .output("output")
                        .assign(
                                "input",
                                Invocation.external(
                                        ElementType.SCALAR,
                                        Expr.array(
                                                of(1), id("S"), sub(mul(id("S"), of(2)), of(1)))))
                        .assign(
                                "weight",
                                Invocation.variable(ElementType.SCALAR, ints(3, 2), "layer/weight"))
                        .assign(
                                "bias",
                                Invocation.variable(ElementType.SCALAR, ints(1, 3), "layer/bias"))
                        .assign(
                                "mm",
                                Invocation.builder("matmul")
                                        .arg(id("input"))
                                        .arg(id("weight"))
                                        .arg("transposeB", true)
                                        .build())
                        .assign(
                                "output",
                                Invocation.builder("scale_shift")
                                        .arg(add(id("mm"), id("bias")))
                                        .arg("scale", of(0.5f))
                                        .build())
                        .build();
        return NnefModel.builder(g)
                .extension(Extension.tractRegistry("tract_core"))
                .extension(Extension.tractSymbol("S"))
                .fragment(scaleShift)
                .tensor("layer/weight", TensorData.ofFloats(new long[] {3, 2}, 1, 2, 3, 4, 5, 6))
                .tensor("layer/bias", TensorData.ofFloats(new long[] {1, 3}, 0.5f, -0.5f, 0.25f))
                .quantization("weight", Quantization.ZeroPointLinear.of(3, 0.125f, 8, false))
                .build();
    }

    /** One tensor of every item type, labelled by the type name. */
    static NnefModel everyItemType() {
        Graph.Builder g = Graph.builder("types");
        NnefModel.Builder m = NnefModel.builder(null);
        for (ItemType t : ItemType.values()) {
            String label = t.name().toLowerCase(Locale.ROOT);
            long[] shape = {2, 3};
            byte[] payload = new byte[(int) t.payloadBytes(6)];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) (i * 37 + t.ordinal());
            }
            if (t == ItemType.BOOL) {
                payload[0] &= (byte) 0xFC; // only 6 of the 8 bits carry items; padding is zero
            }
            m.tensor(label, TensorData.ofPayload(t, shape, payload));
            g.assign(label, Invocation.variable(t.elementType(), ints(shape), label));
            g.output(label);
        }
        return m.graph(g.build()).build();
    }

    /** Asserts that the graph.nnef parts of two models are equal. */
    static void assertSameDocument(NnefModel expected, NnefModel actual) {
        assertEquals(expected.version(), actual.version());
        assertEquals(expected.extensions(), actual.extensions());
        assertEquals(expected.fragments(), actual.fragments());
        assertEquals(expected.graph(), actual.graph());
    }
}
