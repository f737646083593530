package org.torch2nnef.export.spi;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.torch2nnef.export.ExportTimeValues;
import org.torch2nnef.export.NnefEmitter;
import org.torch2nnef.export.TractGate;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.export.ValueTypes;
import org.torch2nnef.graph.ModuleCall;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.TorchGraph;
import org.torch2nnef.graph.Value;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.torchscript.ScriptObject;
import org.torch2nnef.torchscript.TorchTensor;

/**
 * One call of a module handed to a {@link ModuleInfoExtractor}: the module's parameters, buffers
 * and attributes, the call's input and output values with their inferred shapes, the nodes it
 * traced into, and the NNEF graph builder ({@link #nnef()}) to emit operations, variables and
 * fragments with.
 */
public final class ModuleInvocation {

    /** Translates one node of the call with the op-by-op translators (for {@link #tensor}). */
    @FunctionalInterface
    public interface InnerNodes {
        /**
         * @param node a node of this call whose outputs are needed
         * @throws TranslationException if it has no translation
         */
        void translate(Node node) throws TranslationException;
    }

    private final TorchGraph graph;
    private final ModuleCall call;
    private final TranslationContext ctx;
    private final InnerNodes inner;
    private final Set<Node> nodes;

    /**
     * @param graph the whole graph (for the module's parameters as graph values)
     * @param call the call to extract
     * @param nnef the translation state
     * @param inner translates nodes of the call on demand
     */
    public ModuleInvocation(
            TorchGraph graph, ModuleCall call, TranslationContext nnef, InnerNodes inner) {
        this.graph = Objects.requireNonNull(graph, "graph");
        this.call = Objects.requireNonNull(call, "call");
        this.ctx = Objects.requireNonNull(nnef, "nnef");
        this.inner = Objects.requireNonNull(inner, "inner");
        this.nodes = new HashSet<>(call.allNodes());
    }

    /**
     * @return the module's attribute path, e.g. {@code encoder.rnn} ({@code ""} for the root)
     */
    public String path() {
        return call.scope().path();
    }

    /**
     * @return the module's torch class, unmangled, e.g. {@code torch.nn.modules.rnn.LSTM}
     */
    public String torchClass() {
        return call.scope().torchClass();
    }

    /**
     * @return the module object (attributes, parameters, buffers, submodules)
     */
    public ScriptObject module() {
        return call.scope().object();
    }

    /**
     * @param name an attribute of the module, e.g. {@code hidden_size}
     * @return its value as stored in the archive (Long, Double, Boolean, String, List, ...)
     */
    public Optional<Object> attribute(String name) {
        return module().attribute(name);
    }

    /**
     * @param name a parameter or buffer of the module (or of a submodule: {@code conv.weight})
     * @return its stored tensor (data streamed only when written)
     */
    public Optional<TorchTensor> storedTensor(String name) {
        return module().findTensor(name);
    }

    /**
     * The NNEF expression of a module parameter or buffer: a {@code variable} declared on first
     * use, its data streamed from the archive when written.
     *
     * @param name e.g. {@code weight_ih_l0}
     * @return its expression
     * @throws TranslationException if the module has no such tensor
     */
    public Expr variable(String name) throws TranslationException {
        String state = path().isEmpty() ? name : path() + "." + name;
        Optional<Value> v = graph.parameter(state);
        if (v.isEmpty()) {
            throw new TranslationException(
                    "module "
                            + call.scope().describe()
                            + " has no parameter or buffer '"
                            + name
                            + "' used by its graph");
        }
        return ctx.nnef().tensor(v.get());
    }

    /**
     * @return the call's arguments (without {@code self}); for a traced submodule, in the order the
     *     trace first used them, which may differ from {@code forward}'s parameter order
     */
    public List<Value> inputs() {
        return call.inputs();
    }

    /**
     * @return the call's results, a returned tuple flattened into its elements
     */
    public List<Value> outputs() {
        return call.outputs();
    }

    /**
     * @return every node the call traced into (nested calls included), in execution order
     */
    public List<Node> nodes() {
        return call.allNodes();
    }

    /**
     * @return the first node of the given kind inside the call, e.g. {@code aten::lstm}
     */
    public Optional<Node> firstNode(String kind) {
        return call.allNodes().stream().filter(n -> n.kind().equals(kind)).findFirst();
    }

    /**
     * @param v a value of the graph
     * @return its inferred shape
     * @throws TranslationException if it is not a typed tensor
     */
    public Shape shape(Value v) throws TranslationException {
        return ctx.types().shape(v);
    }

    /**
     * The NNEF expression of a value the call reads: an input of the call, or a value computed
     * inside the call, which is then translated op by op (with what it depends on).
     *
     * @param v a value
     * @return its expression
     * @throws TranslationException if it has none
     */
    public Expr tensor(Value v) throws TranslationException {
        ensure(v);
        return ctx.nnef().tensor(v);
    }

    /**
     * Makes sure a value computed inside the call is translated (or folded), e.g. before reading it
     * with {@link ExportTimeValues#listElements}.
     *
     * @param v a value
     * @throws TranslationException if its producer cannot be translated
     */
    public void ensure(Value v) throws TranslationException {
        Optional<Node> p = v.producer();
        if (ctx.nnef().isDefined(v)
                || p.isEmpty()
                || !nodes.contains(p.get())
                || ctx.values().known(v).isPresent()) {
            return;
        }
        for (Value in : p.get().inputs()) {
            ensure(in);
        }
        inner.translate(p.get());
    }

    /**
     * @return the NNEF graph builder: emit with {@code define}, {@code temp}, {@code fragment},
     *     {@code tractOp}
     */
    public NnefEmitter nnef() {
        return ctx.nnef();
    }

    /**
     * @return the values known at export time (the call's int, bool and list arguments)
     */
    public ExportTimeValues values() {
        return ctx.values();
    }

    /**
     * @return the inferred dtypes and shapes
     */
    public ValueTypes types() {
        return ctx.types();
    }

    /**
     * @return the tract extensions the export's target allows
     */
    public TractGate tract() {
        return ctx.tract();
    }

    /**
     * @return e.g. {@code encoder.rnn (torch.nn.modules.rnn.LSTM)}
     */
    public String describe() {
        return call.scope().describe();
    }
}
