package org.torch2nnef.graph.shapes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType;
import org.torch2nnef.graph.ValueType.TensorType;
import org.torch2nnef.torchscript.TorchDType;
import org.torch2nnef.torchscript.TorchTensor;

/**
 * A node seen by a {@link ShapeRule}: typed access to its inputs (by position, in schema order) and
 * setters for its outputs. Accessors throw {@link ShapeInferenceException} naming the argument when
 * an input is not what the op needs.
 */
public final class NodeTypes {
    private final Node node;
    private final SizeAssumptions sizes;

    /**
     * @param node the node to type, with no example sizes (sizes that may differ are refused)
     */
    public NodeTypes(Node node) {
        this(node, new SizeAssumptions(Map.of()));
    }

    NodeTypes(Node node, SizeAssumptions sizes) {
        this.node = node;
        this.sizes = sizes;
    }

    /** The run's example sizes and the assumptions made on them. */
    SizeAssumptions sizes() {
        return sizes;
    }

    /**
     * @return the node
     */
    public Node node() {
        return node;
    }

    /**
     * @return the number of inputs
     */
    public int inputCount() {
        return node.inputs().size();
    }

    /**
     * @param i an input position
     * @return the input value
     */
    public Value input(int i) {
        if (i >= node.inputs().size()) {
            throw new ShapeInferenceException(
                    node.kind()
                            + " needs at least "
                            + (i + 1)
                            + " inputs, has "
                            + node.inputs().size());
        }
        return node.input(i);
    }

    /**
     * Shape rules read arguments by their schema name: {@code n.integers(n.at("stride"))}.
     *
     * @param name a schema argument name, e.g. {@code stride}
     * @return its input position
     * @throws ShapeInferenceException if the node has no argument of that name
     */
    public int at(String name) {
        int i = node.argNames().indexOf(name);
        if (i < 0) {
            throw new ShapeInferenceException(
                    node.kind() + " has no argument '" + name + "'; it has " + node.argNames());
        }
        return i;
    }

    /**
     * @param name a schema argument name
     * @return whether the node has it
     */
    public boolean has(String name) {
        return node.argNames().contains(name);
    }

    private String arg(int i) {
        return node.kind()
                + " argument "
                + (i < node.argNames().size() ? "'" + node.argNames().get(i) + "'" : "#" + i)
                + " ("
                + input(i).name()
                + ")";
    }

    /**
     * @param i an input position
     * @return its tensor type
     */
    public TensorType tensor(int i) {
        return input(i).tensorType()
                .orElseThrow(
                        () ->
                                new ShapeInferenceException(
                                        arg(i)
                                                + " should be a typed tensor, is "
                                                + input(i).type().describe()));
    }

    /**
     * @return whether input {@code i} is a typed tensor
     */
    public boolean isTensor(int i) {
        return i < inputCount() && input(i).type() instanceof TensorType;
    }

    /**
     * @return whether input {@code i} is absent or None
     */
    public boolean isNone(int i) {
        return i >= inputCount()
                || input(i).isNone()
                || input(i).type() instanceof ValueType.NoneType;
    }

    /**
     * The known integer of an input: an int, a 0-d int tensor holding a size, or a one-element
     * integer constant tensor (read from the archive: one element only).
     *
     * @param i an input position
     * @return the value, possibly symbolic
     */
    public Optional<Dim> knownDim(int i) {
        return knownDim(input(i));
    }

    /**
     * @param v a value
     * @return its known integer (see {@link #knownDim(int)})
     */
    public static Optional<Dim> knownDim(Value v) {
        if (v.knownDim().isPresent()) {
            return v.knownDim();
        }
        Optional<TorchTensor> t = v.knownTensor();
        if (t.isPresent()
                && t.get().numel() == 1
                && !t.get().dtype().isFloatingPoint()
                && !t.get().dtype().isQuantized()) {
            try {
                return Optional.of(Dim.of(t.get().toLongArray()[0]));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read constant " + v.name(), e);
            }
        }
        if (v.known().orElse(null) instanceof Boolean b) {
            return Optional.of(Dim.of(b ? 1 : 0));
        }
        return Optional.empty();
    }

    /**
     * @param i an input position
     * @return its known integer
     * @throws ShapeInferenceException if not known
     */
    public Dim dim(int i) {
        return knownDim(i)
                .orElseThrow(
                        () ->
                                new ShapeInferenceException(
                                        arg(i)
                                                + " should be a known int, is "
                                                + input(i).describe()));
    }

    /**
     * @param i an input position
     * @return its known constant integer
     */
    public long integer(int i) {
        Dim d = dim(i);
        if (!d.isConstant()) {
            throw new ShapeInferenceException(
                    arg(i) + " should be a constant int, is the symbolic " + d);
        }
        return d.constant();
    }

    /**
     * @param i an input position
     * @return its known integer list (a single int counts as a one-element list)
     */
    public List<Dim> dims(int i) {
        Value v = input(i);
        Optional<Dim> single = v.knownDim();
        if (single.isPresent()) {
            return List.of(single.get());
        }
        List<Object> list =
                v.knownList()
                        .orElseThrow(
                                () ->
                                        new ShapeInferenceException(
                                                arg(i)
                                                        + " should be a known int list, is "
                                                        + v.describe()));
        List<Dim> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!(o instanceof Dim d)) {
                throw new ShapeInferenceException(
                        arg(i) + " should be a known int list, has element " + o);
            }
            out.add(d);
        }
        return out;
    }

    /**
     * @param i an input position
     * @return its known constant integer list
     */
    public long[] integers(int i) {
        List<Dim> d = dims(i);
        long[] out = new long[d.size()];
        for (int k = 0; k < out.length; k++) {
            if (!d.get(k).isConstant()) {
                throw new ShapeInferenceException(
                        arg(i) + " should be constant ints, has the symbolic " + d.get(k));
            }
            out[k] = d.get(k).constant();
        }
        return out;
    }

    /**
     * @param i an input position
     * @return its known bool
     */
    public boolean bool(int i) {
        return input(i).knownBoolean()
                .orElseThrow(
                        () ->
                                new ShapeInferenceException(
                                        arg(i)
                                                + " should be a known bool, is "
                                                + input(i).describe()));
    }

    /**
     * @param i an input position
     * @return its known number (ints widened)
     */
    public double number(int i) {
        return input(i).knownDouble()
                .orElseThrow(
                        () ->
                                new ShapeInferenceException(
                                        arg(i)
                                                + " should be a known number, is "
                                                + input(i).describe()));
    }

    /**
     * @param i an input position
     * @return the values of a list input: the inputs of its {@code prim::ListConstruct}
     */
    public List<Value> listElements(int i) {
        Value v = input(i);
        Optional<Node> producer = v.producer();
        if (producer.isPresent() && producer.get().kind().equals("prim::ListConstruct")) {
            return producer.get().inputs();
        }
        throw new ShapeInferenceException(
                arg(i)
                        + " should be a list built in the code (prim::ListConstruct), is "
                        + v.describe());
    }

    /**
     * @param i an input position holding an optional ScalarType code
     * @return the dtype, or empty for None
     */
    public Optional<TorchDType> dtype(int i) {
        if (isNone(i)) {
            return Optional.empty();
        }
        return Optional.of(ScalarTypes.fromCode(integer(i)));
    }

    /**
     * @param i an output position
     * @param type its type
     */
    public void output(int i, ValueType type) {
        if (i >= node.outputs().size()) {
            throw new ShapeInferenceException(
                    node.kind()
                            + " produces "
                            + (i + 1)
                            + " outputs here but the code unpacks "
                            + node.outputs().size());
        }
        node.output(i).setType(type);
    }

    /**
     * @param i an output position
     * @param dtype its dtype
     * @param shape its shape
     */
    public void output(int i, TorchDType dtype, Shape shape) {
        output(i, new TensorType(dtype, shape));
    }

    /**
     * @param i an output position
     * @param known its known value (see {@link Value})
     */
    public void known(int i, Object known) {
        node.output(i).setKnown(known);
    }

    /**
     * @return the number of outputs
     */
    public int outputCount() {
        return node.outputs().size();
    }
}
