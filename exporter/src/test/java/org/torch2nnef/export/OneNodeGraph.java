package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.ModuleCall;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.OutputStructure;
import org.torch2nnef.graph.TorchGraph;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType;

/**
 * A graph of one op on one tensor input with literal arguments, typed by hand, for translator
 * error paths that tracing cannot produce (torch would raise first).
 */
final class OneNodeGraph {
    /** An argument that is an int whose value is not known at export time. */
    static final Object UNKNOWN_INT = new Object();

    private OneNodeGraph() {
    }

    /**
     * Translates {@code kind(x, args...)} and asserts the translation fails naming the problem.
     *
     * @param input  the type of {@code x}, e.g. {@code f32[3,5]}
     * @param output the type of the result
     * @param args   literal arguments: {@code Long} (int), {@code List<Long>} (int list), {@code Boolean},
     *               {@link #UNKNOWN_INT}; {@code "x"} passes the input again
     * @param expected text the error must contain
     */
    static void assertFails(String kind, String input, String output, List<Object> args, String expected) throws Exception {
        try (OpModel m = OpModel.open("arithmetic")) {
            Node site = m.graph.nodes().get(0); // a real module scope and source location
            Value x = new Value("x", Value.Origin.INPUT, null, null, OpModel.parse(input), null);
            List<Value> inputs = new ArrayList<>(List.of(x));
            for (int i = 0; i < args.size(); i++) {
                inputs.add("x".equals(args.get(i)) ? x : literal("a" + i, args.get(i)));
            }
            List<String> names = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                names.add("#" + i);
            }
            Node node = new Node(kind, kind, inputs, names, false, site.scope(), site.location());
            Value y = node.addOutput("y", OpModel.parse(output));
            TorchGraph g = new TorchGraph(m.archive, List.of(x), List.of(y), new OutputStructure.Single(0), List.of(node),
                    new ModuleCall(site.scope(), "forward", List.of(x)), List.of());
            ExportException e = assertThrows(ExportException.class,
                    () -> new GraphTranslator(OpRegistry.standard(), TranslationOptions.defaults()).translate(g));
            assertTrue(e.getMessage().contains(expected) && e.getMessage().contains(kind), e.getMessage());
        }
    }

    private static Value literal(String name, Object v) {
        if (v == UNKNOWN_INT) {
            return new Value(name, Value.Origin.LITERAL, null, null, ValueType.INT, null);
        }
        if (v instanceof Long l) {
            return new Value(name, Value.Origin.LITERAL, null, null, ValueType.INT, Dim.of(l));
        }
        if (v instanceof Boolean b) {
            return new Value(name, Value.Origin.LITERAL, null, null, ValueType.BOOL, b);
        }
        List<Object> dims = new ArrayList<>();
        for (Object o : (List<?>) v) {
            dims.add(Dim.of((Long) o));
        }
        return new Value(name, Value.Origin.LITERAL, null, null, new ValueType.ListType(ValueType.INT), dims);
    }
}
