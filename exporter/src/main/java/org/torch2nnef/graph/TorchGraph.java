package org.torch2nnef.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.torch2nnef.torchscript.TorchScriptArchive;

/**
 * A traced TorchScript model as one flat graph: every submodule call inlined, nodes in execution
 * order, each tagged with its module scope and source location; the module call tree kept beside.
 *
 * <p>Built by {@link GraphBuilder}; typed by {@code shapes.ShapeInference}. Tensor data stays in
 * the archive, so keep it open while using the graph's tensors.
 */
public final class TorchGraph {
    private final TorchScriptArchive archive;
    private final List<Value> inputs;
    private final List<Value> outputs;
    private final OutputStructure outputStructure;
    private final List<Node> nodes;
    private final ModuleCall rootCall;
    private final List<Value> parameters;

    /**
     * @param archive the TorchScript archive the graph was read from, or null for a graph read
     *     otherwise (a torch.export program)
     * @param inputs the root {@code forward}'s parameters without {@code self}
     * @param outputs the returned values, tuples flattened
     * @param outputStructure how {@code outputs} nest in the returned value
     * @param nodes all nodes in execution order
     * @param rootCall the root module's {@code forward} call with its nested calls
     * @param parameters every parameter, buffer and constant tensor value used, in first-use order
     */
    public TorchGraph(
            TorchScriptArchive archive,
            List<Value> inputs,
            List<Value> outputs,
            OutputStructure outputStructure,
            List<Node> nodes,
            ModuleCall rootCall,
            List<Value> parameters) {
        this.archive = archive;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.outputStructure = Objects.requireNonNull(outputStructure, "outputStructure");
        this.nodes = List.copyOf(nodes);
        for (int i = 0; i < this.nodes.size(); i++) {
            this.nodes.get(i).setIndex(i);
        }
        this.rootCall = Objects.requireNonNull(rootCall, "rootCall");
        this.parameters = List.copyOf(parameters);
    }

    /**
     * A graph whose modules were inlined (a torch.export program): its module calls are recovered
     * from the module stack each node records ({@link InlinedCalls}), so an extractor can replace a
     * call as it does a traced one.
     *
     * @param inputs the user inputs
     * @param outputs the returned values
     * @param nodes all nodes in execution order
     * @param root the root module
     * @param parameters every parameter, buffer and constant tensor value used
     * @param stack each node's modules below the root, outermost first
     * @return the graph
     */
    public static TorchGraph inlined(
            List<Value> inputs,
            List<Value> outputs,
            List<Node> nodes,
            ModuleScope root,
            List<Value> parameters,
            Function<Node, List<ModuleScope>> stack) {
        ModuleCall call = InlinedCalls.build(root, inputs, outputs, nodes, stack);
        List<OutputStructure> singles = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            singles.add(new OutputStructure.Single(i));
        }
        OutputStructure structure =
                singles.size() == 1
                        ? singles.get(0)
                        : new OutputStructure.Group(OutputStructure.Kind.TUPLE, singles);
        return new TorchGraph(null, inputs, outputs, structure, nodes, call, parameters);
    }

    /**
     * @return the TorchScript archive the graph was read from; empty for a torch.export program
     */
    public Optional<TorchScriptArchive> archive() {
        return Optional.ofNullable(archive);
    }

    /**
     * @return the model inputs, named as in the code
     */
    public List<Value> inputs() {
        return inputs;
    }

    /**
     * @return the model outputs, returned tuples/lists flattened
     */
    public List<Value> outputs() {
        return outputs;
    }

    /**
     * @return how {@link #outputs()} nest in what {@code forward} returns
     */
    public OutputStructure outputStructure() {
        return outputStructure;
    }

    /**
     * @return every node, in execution order
     */
    public List<Node> nodes() {
        return nodes;
    }

    /**
     * @return the root module's call; its children are the nested module calls
     */
    public ModuleCall rootCall() {
        return rootCall;
    }

    /**
     * @return every parameter, buffer and constant tensor used by the graph
     */
    public List<Value> parameters() {
        return parameters;
    }

    /**
     * @param stateName a state-dict name such as {@code fc.weight}
     * @return the parameter or buffer value with that name
     */
    public Optional<Value> parameter(String stateName) {
        return parameters.stream()
                .filter(p -> p.stateName().filter(stateName::equals).isPresent())
                .findFirst();
    }

    /**
     * @param name a value name
     * @return the input, output of a node, or parameter with that name
     */
    public Optional<Value> value(String name) {
        for (Value v : inputs) {
            if (v.name().equals(name)) {
                return Optional.of(v);
            }
        }
        for (Value v : parameters) {
            if (v.name().equals(name)) {
                return Optional.of(v);
            }
        }
        for (Node n : nodes) {
            for (Value v : n.outputs()) {
                if (v.name().equals(name)) {
                    return Optional.of(v);
                }
            }
        }
        return Optional.empty();
    }
}
