package org.torch2nnef.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One inlined call of a module's method (usually {@code forward}): the boundary a {@code
 * ModuleInfoExtractor} can replace as a whole. Records the call's inputs and outputs as graph
 * values, the nodes its own code produced and the nested calls it made, in execution order.
 */
public final class ModuleCall {
    private final ModuleScope scope;
    private final String method;
    private final List<Value> inputs;
    private final List<Value> outputs = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<ModuleCall> children = new ArrayList<>();

    /**
     * @param scope the called module
     * @param method the method called, e.g. {@code forward}
     * @param inputs the argument values (without {@code self})
     */
    public ModuleCall(ModuleScope scope, String method, List<Value> inputs) {
        this.scope = Objects.requireNonNull(scope, "scope");
        this.method = Objects.requireNonNull(method, "method");
        this.inputs = List.copyOf(inputs);
    }

    void addNode(Node node) {
        nodes.add(node);
    }

    void addChild(ModuleCall child) {
        children.add(child);
    }

    void setOutputs(List<Value> values) {
        outputs.clear();
        outputs.addAll(values);
    }

    /**
     * @return the called module
     */
    public ModuleScope scope() {
        return scope;
    }

    /**
     * @return the called method, e.g. {@code forward}
     */
    public String method() {
        return method;
    }

    /**
     * @return the argument values (without {@code self})
     */
    public List<Value> inputs() {
        return inputs;
    }

    /**
     * @return the returned values (a returned tuple flattened into its elements)
     */
    public List<Value> outputs() {
        return Collections.unmodifiableList(outputs);
    }

    /**
     * @return the nodes this call's own code produced (not those of nested calls)
     */
    public List<Node> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    /**
     * @return the nested module calls, in call order
     */
    public List<ModuleCall> children() {
        return Collections.unmodifiableList(children);
    }

    /**
     * @return every node of this call and its nested calls, in execution order
     */
    public List<Node> allNodes() {
        List<Node> out = new ArrayList<>();
        collect(out);
        out.sort(Comparator.comparingInt(Node::index));
        return out;
    }

    private void collect(List<Node> out) {
        out.addAll(nodes);
        children.forEach(c -> c.collect(out));
    }

    /**
     * Visits this call and all nested calls, parents before children.
     *
     * @param visitor called once per call
     */
    public void forEachCall(Consumer<ModuleCall> visitor) {
        visitor.accept(this);
        children.forEach(c -> c.forEachCall(visitor));
    }

    @Override
    public String toString() {
        return scope.describe() + "." + method + inputs + " -> " + outputs;
    }
}
