package org.torch2nnef.graph;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.torch2nnef.torchscript.TorchTensor;

/**
 * Renders a graph as text for {@code torch2nnef inspect}: inputs, nodes, outputs, module call tree.
 */
public final class GraphPrinter {
    private GraphPrinter() {}

    /**
     * @param graph a graph, typed or not
     * @return the listing, one node per line
     */
    public static String print(TorchGraph graph) {
        StringBuilder sb = new StringBuilder();
        sb.append("inputs:\n");
        for (Value v : graph.inputs()) {
            sb.append("  ").append(v.describe()).append('\n');
        }
        sb.append("nodes:\n");
        for (Node n : graph.nodes()) {
            sb.append("  ")
                    .append(n.kind())
                    .append('(')
                    .append(
                            n.inputs().stream()
                                    .map(GraphPrinter::operand)
                                    .collect(Collectors.joining(", ")))
                    .append(") -> ")
                    .append(
                            n.outputs().stream()
                                    .map(Value::describe)
                                    .collect(Collectors.joining(", ")));
            if (!n.schemaApplied()
                    && !n.kind().startsWith("prim::")) { // prim:: structure ops have no schema
                sb.append("  [no schema: arguments in code order]");
            }
            sb.append("\n      in ")
                    .append(n.scope().describe())
                    .append(" at ")
                    .append(n.location())
                    .append('\n');
        }
        sb.append("outputs:\n");
        for (Value v : graph.outputs()) {
            sb.append("  ").append(v.describe()).append('\n');
        }
        sb.append("module calls:\n");
        printCall(graph.rootCall(), 1, sb);
        return sb.toString();
    }

    /** An input as shown in a node line: literals by value, tensors by name and type. */
    private static String operand(Value v) {
        if (v.origin() == Value.Origin.LITERAL && v.known().isPresent()) {
            return v.describe().substring(v.describe().indexOf(" = ") + 3);
        }
        String type = v.type().describe();
        String origin =
                v.known().orElse(null) instanceof TorchTensor t
                                && v.type() instanceof ValueType.UntypedTensor
                        ? t.dtype().torchName() + Arrays.toString(t.shape()).replace(" ", "")
                        : type;
        return v.name() + ": " + origin;
    }

    private static void printCall(ModuleCall call, int depth, StringBuilder sb) {
        sb.append("  ".repeat(depth))
                .append(call.scope().describe())
                .append('.')
                .append(call.method())
                .append('(')
                .append(names(call.inputs()))
                .append(") -> ")
                .append(names(call.outputs()))
                .append("  [")
                .append(call.nodes().size())
                .append(" nodes]\n");
        call.children().forEach(c -> printCall(c, depth + 1, sb));
    }

    private static String names(List<Value> values) {
        return values.stream().map(Value::name).collect(Collectors.joining(", "));
    }
}
