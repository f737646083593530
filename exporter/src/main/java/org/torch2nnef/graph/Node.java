package org.torch2nnef.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One operation of the graph: a TorchScript op such as {@code aten::_convolution} or {@code
 * prim::ListConstruct}, its inputs in the op's SCHEMA order, its outputs, and where it came from
 * (module scope and source location).
 *
 * <p>When the op is in the schema table ({@link OpSchemas}), {@link #inputs()} has one value per
 * schema argument, keyword arguments placed and missing defaults filled in as literal values, and
 * {@link #argNames()} names them. For other ops the inputs are the positional arguments followed by
 * the keyword ones in code order, {@link #schemaApplied()} is false, and positional names are
 * {@code #0}, {@code #1}, ....
 */
public final class Node {
    private final String kind;
    private final String codeName;
    private final List<Value> inputs;
    private final List<String> argNames;
    private final boolean schemaApplied;
    private final List<Value> outputs = new ArrayList<>();
    private final ModuleScope scope;
    private final SourceLocation location;
    private final OpSchema schema;
    private int index = -1;

    /**
     * @param kind the normalised op, e.g. {@code aten::relu}, {@code prim::NumToTensor}
     * @param codeName the callee as written in the code, e.g. {@code torch.relu}, {@code int}
     * @param inputs the inputs (schema order when {@code schemaApplied})
     * @param argNames one name per input
     * @param schemaApplied whether the inputs follow the op's schema
     * @param scope the module the code belongs to
     * @param location where the call is in the code
     */
    public Node(
            String kind,
            String codeName,
            List<Value> inputs,
            List<String> argNames,
            boolean schemaApplied,
            ModuleScope scope,
            SourceLocation location) {
        this(kind, codeName, inputs, argNames, null, scope, location, schemaApplied);
    }

    /**
     * A node whose inputs were placed by {@code schema}.
     *
     * @param codeName the callee as written in the code
     * @param inputs one input per schema argument
     * @param schema the overload the call resolved to
     * @param scope the module the code belongs to
     * @param location where the call is in the code
     */
    public Node(
            String codeName,
            List<Value> inputs,
            OpSchema schema,
            ModuleScope scope,
            SourceLocation location) {
        this(
                schema.kind(),
                codeName,
                inputs,
                schema.args().stream().map(OpSchema.Arg::name).toList(),
                schema,
                scope,
                location,
                true);
    }

    private Node(
            String kind,
            String codeName,
            List<Value> inputs,
            List<String> argNames,
            OpSchema schema,
            ModuleScope scope,
            SourceLocation location,
            boolean schemaApplied) {
        this.schema = schema;
        this.kind = Objects.requireNonNull(kind, "kind");
        this.codeName = Objects.requireNonNull(codeName, "codeName");
        this.inputs = List.copyOf(inputs);
        this.argNames = List.copyOf(argNames);
        if (this.inputs.size() != this.argNames.size()) {
            throw new IllegalArgumentException(
                    kind + ": " + inputs.size() + " inputs but " + argNames.size() + " names");
        }
        this.schemaApplied = schemaApplied;
        this.scope = Objects.requireNonNull(scope, "scope");
        this.location = Objects.requireNonNull(location, "location");
    }

    /**
     * Creates and records the next output of this node.
     *
     * @param name a unique value name
     * @param type its type (possibly untyped before inference)
     * @return the output value
     */
    public Value addOutput(String name, ValueType type) {
        Value v = new Value(name, Value.Origin.NODE_OUTPUT, this, null, type, null);
        outputs.add(v);
        return v;
    }

    void setIndex(int index) {
        this.index = index;
    }

    /**
     * @return the position in the graph's execution order ({@link TorchGraph#nodes()})
     */
    public int index() {
        return index;
    }

    /**
     * @return the normalised op, e.g. {@code aten::_convolution}
     */
    public String kind() {
        return kind;
    }

    /**
     * @return the callee as written in the code, e.g. {@code torch._convolution}
     */
    public String codeName() {
        return codeName;
    }

    /**
     * @return the inputs (see the class comment for their order)
     */
    public List<Value> inputs() {
        return inputs;
    }

    /**
     * @param index an input position
     * @return that input
     */
    public Value input(int index) {
        return inputs.get(index);
    }

    /**
     * @param argName a schema argument name such as {@code keepdim}
     * @return the input given for it
     */
    public Optional<Value> input(String argName) {
        int i = argNames.indexOf(argName);
        return i < 0 ? Optional.empty() : Optional.of(inputs.get(i));
    }

    /**
     * @return one name per input: schema argument names, or {@code #i} / keyword names
     */
    public List<String> argNames() {
        return argNames;
    }

    /**
     * @return whether the inputs were placed by the op's schema
     */
    public boolean schemaApplied() {
        return schemaApplied;
    }

    /**
     * @return the overload the inputs were placed by, when {@link #schemaApplied()} and known
     */
    public Optional<OpSchema> schema() {
        return Optional.ofNullable(schema);
    }

    /**
     * @return the outputs
     */
    public List<Value> outputs() {
        return Collections.unmodifiableList(outputs);
    }

    /**
     * @param index an output position
     * @return that output
     */
    public Value output(int index) {
        return outputs.get(index);
    }

    /**
     * @return the module whose code contains the call
     */
    public ModuleScope scope() {
        return scope;
    }

    /**
     * @return where the call is
     */
    public SourceLocation location() {
        return location;
    }

    /**
     * @return e.g. {@code aten::relu(x) -> _0}
     */
    @Override
    public String toString() {
        return kind + inputs + " -> " + outputs;
    }
}
