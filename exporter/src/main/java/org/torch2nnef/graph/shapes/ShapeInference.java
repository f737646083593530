package org.torch2nnef.graph.shapes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.OpSchema;
import org.torch2nnef.graph.OpSchemas;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.TorchGraph;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType;
import org.torch2nnef.graph.ValueType.TensorType;
import org.torch2nnef.torchscript.TorchTensor;

/**
 * Propagates dtypes, shapes (symbolic where inputs have dynamic axes) and known integer values
 * through a graph, from the declared input types, in execution order.
 */
public final class ShapeInference {
    private final ShapeRules rules;
    private final OpSchemas schemas;

    /**
     * @param rules the rules to apply
     * @param schemas the signatures the graph was built with (named in errors)
     */
    public ShapeInference(ShapeRules rules, OpSchemas schemas) {
        this.rules = rules;
        this.schemas = schemas;
    }

    /**
     * Types the graph in place with no example sizes (see {@link #run(TorchGraph, Map, Map)}).
     *
     * @param graph the graph to type in place
     * @param inputTypes a type for every graph input, by input name
     */
    public void run(TorchGraph graph, Map<String, TensorType> inputTypes) {
        run(graph, inputTypes, Map.<String, Long>of());
    }

    /**
     * Types the graph in place; running it again with other input types replaces all types and
     * known values.
     *
     * @param graph the graph to type in place
     * @param inputTypes a type for every graph input, by input name
     * @param exampleSizes the example value of each symbol (empty: sizes that may differ are
     *     refused)
     * @return the assumptions made on the example sizes, once per pair of sizes
     */
    public List<SizeAssumption> run(
            TorchGraph graph, Map<String, TensorType> inputTypes, Map<String, Long> exampleSizes) {
        return run(graph, inputTypes, exampleSizes, Map.of());
    }

    /**
     * Types the graph in place as {@link #run(TorchGraph, Map, Map)} does, with the sizes each
     * symbol may take: two sizes equal at every point of those ranges are proven equal
     * (torch.export records a range per dynamic dim).
     *
     * @param graph the graph to type in place
     * @param inputTypes a type for every graph input, by input name
     * @param exampleSizes the example value of each symbol
     * @param ranges {@code [min, max]} of some symbols
     * @return the assumptions made on the example sizes, once per pair of sizes
     */
    public List<SizeAssumption> run(
            TorchGraph graph,
            Map<String, TensorType> inputTypes,
            Map<String, Long> exampleSizes,
            Map<String, long[]> ranges) {
        SizeAssumptions sizes = new SizeAssumptions(exampleSizes, ranges);
        Map<String, TensorType> remaining = new LinkedHashMap<>(inputTypes);
        List<String> missing = new ArrayList<>();
        for (Value input : graph.inputs()) {
            TensorType t = remaining.remove(input.name());
            if (t == null) {
                missing.add(input.name());
            } else {
                input.setType(t);
            }
        }
        if (!missing.isEmpty() || !remaining.isEmpty()) {
            throw new ShapeInferenceException(
                    "input declarations do not match the model's inputs "
                            + graph.inputs().stream().map(Value::name).toList()
                            + (missing.isEmpty() ? "" : ": no declaration for " + missing)
                            + (remaining.isEmpty()
                                    ? ""
                                    : ": the model has no input " + remaining.keySet()));
        }
        for (Value p : graph.parameters()) {
            if (p.known().orElse(null) instanceof TorchTensor t) {
                p.setType(new TensorType(t.dtype(), Shape.of(t.shape())));
            }
        }
        requireRules(graph);
        for (Node node : graph.nodes()) {
            if (!node.schemaApplied() && !schemas.overloads(node.kind()).isEmpty()) {
                throw new ShapeInferenceException(
                        where(node)
                                + ": its arguments "
                                + node.inputs().stream().map(v -> v.type().describe()).toList()
                                + " fit none of the overloads "
                                + schemas.overloads(node.kind()).stream()
                                        .map(OpSchema::qualifiedName)
                                        .toList());
            }
            node.outputs()
                    .forEach(v -> v.setKnown(null)); // a graph may be typed again with other inputs
            try {
                rules.rule(node.kind()).orElseThrow().infer(new NodeTypes(node, sizes));
            } catch (ShapeInferenceException
                    | IllegalArgumentException
                    | IllegalStateException
                    | IndexOutOfBoundsException
                    | ArithmeticException e) {
                throw new ShapeInferenceException(where(node) + ": " + e.getMessage(), e);
            }
            for (Value out : node.outputs()) {
                if (out.type() instanceof ValueType.UntypedTensor) {
                    throw new ShapeInferenceException(
                            where(node)
                                    + ": the shape rule of "
                                    + node.kind()
                                    + " left output "
                                    + out.name()
                                    + " untyped");
                }
            }
        }
        return List.copyOf(sizes.made());
    }

    private void requireRules(TorchGraph graph) {
        StringBuilder sb = new StringBuilder();
        Map<String, Integer> count = new LinkedHashMap<>();
        for (Node node : graph.nodes()) {
            if (rules.rule(node.kind()).isEmpty()) {
                count.merge(node.kind(), 1, Integer::sum);
                sb.append("\n  ")
                        .append(node.kind())
                        .append(" (")
                        .append(node.codeName())
                        .append(") at ")
                        .append(node.location())
                        .append(" in module ")
                        .append(node.scope().describe());
            }
        }
        if (!count.isEmpty()) {
            throw new ShapeInferenceException(
                    "no shape rule for "
                            + count.size()
                            + " op"
                            + (count.size() == 1 ? "" : "s")
                            + " "
                            + count.keySet()
                            + ":"
                            + sb);
        }
    }

    /**
     * @return e.g. {@code code/__torch__.py:12:5 (model.py:40) in module features.0
     *     (torch.nn...Conv2d)}
     */
    static String where(Node node) {
        return node.kind() + " at " + node.location() + " in module " + node.scope().describe();
    }
}
