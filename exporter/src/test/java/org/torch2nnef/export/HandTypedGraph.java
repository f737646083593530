package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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
 * A graph of ops typed by hand (tensor inputs, literal arguments, positional as in traced code),
 * for translator error paths that tracing cannot produce (torch would raise first). Nodes take the
 * module scope and source location of a real traced op.
 */
final class HandTypedGraph implements AutoCloseable {
    /** An argument that is an int whose value is not known at export time. */
    static final Object UNKNOWN_INT = new Object();

    /** An argument that is {@code None}. */
    static final Object NONE = new Object();

    private final OpModel site;
    private final Node located;
    private final List<Value> inputs = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private int literals;

    HandTypedGraph() throws IOException {
        site = OpModel.open("arithmetic");
        located = site.graph.nodes().get(0);
    }

    /**
     * @param name the input's name
     * @param type its type, e.g. {@code f32[2,5,8]}
     * @return a new graph input
     */
    Value input(String name, String type) {
        Value v = new Value(name, Value.Origin.INPUT, null, null, OpModel.parse(type), null);
        inputs.add(v);
        return v;
    }

    /**
     * @param kind the op, e.g. {@code aten::relu}
     * @param args its arguments: graph values, or literals: {@code Long} (int), {@code Double}
     *     (float), {@code List} of {@code Long} or symbol name (int list), {@code Boolean}, {@link
     *     #UNKNOWN_INT}, {@link #NONE}
     * @param outputs the types of its outputs
     * @return its outputs
     */
    List<Value> op(String kind, List<Object> args, String... outputs) {
        List<Value> in = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Object a : args) {
            in.add(a instanceof Value v ? v : literal("a" + literals++, a));
            names.add("#" + names.size());
        }
        Node node = new Node(kind, kind, in, names, false, located.scope(), located.location());
        List<Value> out = new ArrayList<>();
        for (String type : outputs) {
            out.add(node.addOutput("y" + nodes.size() + "_" + out.size(), OpModel.parse(type)));
        }
        nodes.add(node);
        return out;
    }

    /**
     * Translates the graph returning {@code result} and asserts the translation fails naming the op
     * and the problem.
     *
     * @param result the graph output
     * @param kind the op that must be named
     * @param expected text the error must contain
     */
    void assertFails(Value result, String kind, String expected) {
        assertFails(result, kind, expected, TranslationOptions.defaults());
    }

    /**
     * {@link #assertFails(Value, String, String)} translating with {@code options} (e.g. an older
     * tract target).
     */
    void assertFails(Value result, String kind, String expected, TranslationOptions options) {
        TorchGraph g =
                new TorchGraph(
                        site.archive,
                        inputs,
                        List.of(result),
                        new OutputStructure.Single(0),
                        nodes,
                        new ModuleCall(located.scope(), "forward", inputs),
                        List.of());
        ExportException e =
                assertThrows(
                        ExportException.class,
                        () -> new GraphTranslator(OpRegistry.standard(), options).translate(g));
        assertTrue(
                e.getMessage().contains(expected) && e.getMessage().contains(kind), e.getMessage());
    }

    private static Value literal(String name, Object v) {
        if (v == UNKNOWN_INT) {
            return new Value(name, Value.Origin.LITERAL, null, null, ValueType.INT, null);
        }
        if (v == NONE) {
            return new Value(
                    name, Value.Origin.LITERAL, null, null, new ValueType.NoneType(), Value.NONE);
        }
        if (v instanceof Long l) {
            return new Value(name, Value.Origin.LITERAL, null, null, ValueType.INT, Dim.of(l));
        }
        if (v instanceof Double d) {
            return new Value(name, Value.Origin.LITERAL, null, null, new ValueType.FloatType(), d);
        }
        if (v instanceof Boolean b) {
            return new Value(name, Value.Origin.LITERAL, null, null, ValueType.BOOL, b);
        }
        List<Object> dims = new ArrayList<>();
        for (Object o : (List<?>) v) {
            dims.add(o instanceof String symbol ? Dim.symbol(symbol) : Dim.of((Long) o));
        }
        return new Value(
                name,
                Value.Origin.LITERAL,
                null,
                null,
                new ValueType.ListType(ValueType.INT),
                dims);
    }

    @Override
    public void close() throws IOException {
        site.close();
    }
}
