package org.torch2nnef.graph;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import org.torch2nnef.graph.shapes.ShapeInference;
import org.torch2nnef.torchscript.OriginalSource;
import org.torch2nnef.torchscript.ScriptObject;
import org.torch2nnef.torchscript.TorchScriptArchive;
import org.torch2nnef.torchscript.TorchTensor;
import org.torch2nnef.torchscript.code.ClassDef;
import org.torch2nnef.torchscript.code.FunctionDef;
import org.torch2nnef.torchscript.code.QualifiedName;
import org.torch2nnef.torchscript.code.ScriptCodeIndex;
import org.torch2nnef.torchscript.code.SourcePos;
import org.torch2nnef.torchscript.code.TorchScriptSyntaxException;

/**
 * Turns a traced archive into one {@link TorchGraph}: starting at the root module's {@code
 * forward}, submodule method calls ({@code (conv).forward(x, )}, {@code getattr(self, "0")}),
 * helper methods and code functions are inlined; {@code self.weight} becomes the parameter's value
 * and {@code CONSTANTS.cN} the constant's; literals become known values; every op call becomes a
 * {@link Node} with inputs in schema order ({@link OpSchemas}).
 *
 * <p>Values are untyped except literals; run {@link ShapeInference} for dtypes and shapes. Scripted
 * control flow and constructs traced code never contains are refused with a {@link
 * GraphBuildException} naming the code line and module.
 */
public final class GraphBuilder {
    private final TorchScriptArchive archive;
    private final ScriptCodeIndex index;
    private final OpSchemas schemas;
    private final List<Node> nodes = new ArrayList<>();
    private final List<Value> parameters = new ArrayList<>();
    private final Map<TorchTensor, Value> tensorValues = new IdentityHashMap<>();
    private final Map<ScriptObject, Value> objectValues = new IdentityHashMap<>();
    private final Map<Integer, Value> constantValues = new HashMap<>();
    private final Set<String> usedNames = new HashSet<>();
    private final Map<String, Integer> nameCounters = new HashMap<>();
    private final DebugInfoLocator locator;

    private GraphBuilder(TorchScriptArchive archive, OpSchemas schemas) {
        this.archive = archive;
        this.index = new ScriptCodeIndex(archive::readCodeFile);
        this.schemas = schemas;
        this.locator = new DebugInfoLocator(archive);
    }

    /**
     * Builds the graph of the root module's {@code forward}.
     *
     * @param archive an open traced archive (keep it open while using the graph's tensors and
     *     source locations)
     * @param schemas the op signatures (the exporter's {@code OpRegistry.schemas()})
     * @return the untyped graph
     * @throws GraphBuildException if the code cannot be turned into a graph
     */
    public static TorchGraph build(TorchScriptArchive archive, OpSchemas schemas) {
        return new GraphBuilder(archive, schemas).buildRoot();
    }

    private TorchGraph buildRoot() {
        ScriptObject root = archive.root();
        ModuleScope scope = ModuleScope.of(root, "");
        ClassDef cls = classOf(root, scope, null);
        FunctionDef forward =
                cls.method("forward")
                        .orElseThrow(
                                () ->
                                        new GraphBuildException(
                                                "root module "
                                                        + scope.describe()
                                                        + " has no forward method (its class defines "
                                                        + cls.methods().stream()
                                                                .map(FunctionDef::name)
                                                                .toList()
                                                        + ")",
                                                cls.pos(),
                                                "",
                                                null));
        List<Value> inputs = new ArrayList<>();
        List<Binding> args = new ArrayList<>();
        for (FunctionDef.Param p :
                forward.params()
                        .subList(Math.min(1, forward.params().size()), forward.params().size())) {
            ValueType type =
                    p.type().map(TypeMapping::toValueType).orElse(ValueType.UNTYPED_TENSOR);
            Value v = new Value(uniqueName(p.name()), Value.Origin.INPUT, null, null, type, null);
            inputs.add(v);
            args.add(new Binding.Of(v));
        }
        ModuleCall rootCall = new ModuleCall(scope, "forward", inputs);
        Binding result =
                new FunctionInliner(this, scope, rootCall, forward)
                        .run(new Binding.Module(root, ""), args, Map.of());
        List<Value> outputs = new ArrayList<>();
        OutputStructure structure = flatten(result, outputs, forward.pos(), scope);
        rootCall.setOutputs(outputs);
        return new TorchGraph(archive, inputs, outputs, structure, nodes, rootCall, parameters);
    }

    /**
     * Flattens a returned binding into values, following tuples and list/tuple constructions.
     *
     * @return the nesting of the flattened values
     */
    OutputStructure flatten(Binding b, List<Value> out, SourcePos pos, ModuleScope scope) {
        if (b instanceof Binding.Tuple t) {
            List<OutputStructure> elements = new ArrayList<>();
            t.elements().forEach(e -> elements.add(flatten(e, out, pos, scope)));
            return new OutputStructure.Group(OutputStructure.Kind.TUPLE, elements);
        }
        if (b instanceof Binding.Of of) {
            Optional<Node> producer = of.value().producer();
            if (producer.isPresent()
                    && (producer.get().kind().equals("prim::TupleConstruct")
                            || producer.get().kind().equals("prim::ListConstruct"))) {
                List<OutputStructure> elements = new ArrayList<>();
                producer.get()
                        .inputs()
                        .forEach(v -> elements.add(flatten(new Binding.Of(v), out, pos, scope)));
                return new OutputStructure.Group(
                        producer.get().kind().equals("prim::TupleConstruct")
                                ? OutputStructure.Kind.TUPLE
                                : OutputStructure.Kind.LIST,
                        elements);
            }
            out.add(of.value());
            return new OutputStructure.Single(out.size() - 1);
        }
        throw error(
                pos,
                scope,
                "the returned value is " + describe(b) + ", not a tensor, tuple or list",
                null);
    }

    // ---- services for FunctionInliner ----

    OpSchemas schemas() {
        return schemas;
    }

    TorchScriptArchive archive() {
        return archive;
    }

    /** The class definition of a module object, parsed on demand; parse errors name the module. */
    ClassDef classOf(ScriptObject object, ModuleScope scope, SourcePos usedAt) {
        QualifiedName name;
        try {
            name = QualifiedName.parse(object.qualifiedClassName());
        } catch (IllegalArgumentException e) {
            throw error(
                    usedAt,
                    scope,
                    "module class '" + object.qualifiedClassName() + "' is not a qualified name",
                    e);
        }
        try {
            return index.findClass(name);
        } catch (TorchScriptSyntaxException e) {
            throw scriptError(e, scope);
        } catch (NoSuchElementException e) {
            throw error(usedAt, scope, e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw error(usedAt, scope, e.getMessage(), e);
        }
    }

    /** A top-level code function such as {@code __torch__.helper}. */
    FunctionDef function(QualifiedName name, ModuleScope scope, SourcePos usedAt) {
        try {
            return index.findFunction(name);
        } catch (TorchScriptSyntaxException e) {
            throw scriptError(e, scope);
        } catch (NoSuchElementException | UncheckedIOException e) {
            throw error(usedAt, scope, e.getMessage(), e);
        }
    }

    GraphBuildException scriptError(TorchScriptSyntaxException e, ModuleScope scope) {
        return new GraphBuildException(
                e.getMessage() + " [module " + scope.describe() + "]",
                e.pos(),
                scope.path(),
                e,
                e.overLimit());
    }

    /** Appends a node to the graph and to the current module call. */
    void add(Node node, ModuleCall call) {
        nodes.add(node);
        call.addNode(node);
    }

    /**
     * @return {@code base}, or {@code base_N} with the smallest N making it unique
     */
    String uniqueName(String base) {
        String b = base == null || base.isEmpty() ? "v" : base;
        if (usedNames.add(b)) {
            return b;
        }
        int n = nameCounters.getOrDefault(b, 0);
        String candidate;
        do {
            n++;
            candidate = b + "_" + n;
        } while (!usedNames.add(candidate));
        nameCounters.put(b, n);
        return candidate;
    }

    /** A new literal value. */
    Value literal(Object known, String nameHint) {
        return new Value(
                uniqueName(nameHint),
                Value.Origin.LITERAL,
                null,
                null,
                Literals.typeOf(known),
                known);
    }

    /** The one value of a parameter or buffer tensor (shared tensors give one value). */
    Value tensorValue(TorchTensor tensor, String stateName, boolean parameter) {
        return tensorValues.computeIfAbsent(
                tensor,
                t -> {
                    Value v =
                            new Value(
                                    uniqueName(stateName),
                                    parameter ? Value.Origin.PARAMETER : Value.Origin.BUFFER,
                                    null,
                                    stateName,
                                    ValueType.UNTYPED_TENSOR,
                                    t);
                    parameters.add(v);
                    return v;
                });
    }

    /** The one value of an opaque object attribute such as packed quantized parameters. */
    Value objectValue(ScriptObject object, String stateName) {
        return objectValues.computeIfAbsent(
                object,
                o -> {
                    Value v =
                            new Value(
                                    uniqueName(stateName),
                                    Value.Origin.OBJECT,
                                    null,
                                    stateName,
                                    new ValueType.ObjectType(o.qualifiedClassName()),
                                    o);
                    parameters.add(v);
                    return v;
                });
    }

    /** The value of {@code CONSTANTS.cN}. */
    Value constantValue(int n, ModuleScope scope, SourcePos pos) {
        Value cached = constantValues.get(n);
        if (cached != null) {
            return cached;
        }
        if (n < 0 || n >= archive.constants().size()) {
            throw error(
                    pos,
                    scope,
                    "CONSTANTS.c"
                            + n
                            + " does not exist: the archive has "
                            + archive.constants().size()
                            + " constants",
                    null);
        }
        Object c = archive.constant(n);
        Value v;
        if (c instanceof TorchTensor t) {
            v =
                    new Value(
                            uniqueName("CONSTANTS.c" + n),
                            Value.Origin.CONSTANT,
                            null,
                            null,
                            ValueType.UNTYPED_TENSOR,
                            t);
            parameters.add(v);
        } else {
            Object known = Literals.fromAttribute(c);
            v =
                    new Value(
                            uniqueName("CONSTANTS.c" + n),
                            Value.Origin.LITERAL,
                            null,
                            null,
                            Literals.typeOf(known),
                            known);
        }
        constantValues.put(n, v);
        return v;
    }

    /**
     * Where a code position came from in the user's source, if the archive records it: looked up in
     * the debug info only when asked for (to report a problem), so exports that succeed never
     * decode it. Unreadable debug info then counts as none: it is only a hint next to the code
     * position.
     */
    SourceLocation locate(SourcePos pos) {
        DebugInfoLocator debug = locator;
        return SourceLocation.resolvedLater(pos, () -> debug.find(pos));
    }

    /**
     * Finds user source lines in an archive's debug info; kept by each lazy location, so nothing
     * else is held.
     */
    private static final class DebugInfoLocator {
        private final TorchScriptArchive archive;
        private final Map<OriginalSource, OriginalSource> userFrames = new HashMap<>();

        DebugInfoLocator(TorchScriptArchive archive) {
            this.archive = archive;
        }

        Optional<OriginalSource> find(SourcePos pos) {
            try {
                Optional<OriginalSource> recorded =
                        archive.debugInfoOfCodeFile(pos.file())
                                .flatMap(d -> d.locate(pos.byteOffset()));
                return recorded.map(
                        s -> userFrames.computeIfAbsent(s, DebugInfoLocator::userFrame));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }

        /**
         * Traced code records the Python stack at trace time, innermost first; the innermost frame
         * is often torch's own code (functional.py). The user's line is the first frame outside
         * torch.
         */
        private static OriginalSource userFrame(OriginalSource source) {
            for (OriginalSource.Frame f : source.frames()) {
                String file = f.file().replace('\\', '/');
                if (!file.contains("-packages/torch/")) {
                    return new OriginalSource(f.file(), f.line(), source.text());
                }
            }
            return source;
        }
    }

    /** An error at a code position in a module, with the user's source line when known. */
    GraphBuildException error(SourcePos pos, ModuleScope scope, String problem, Throwable cause) {
        return error(pos, scope, problem, cause, false);
    }

    /** As {@link #error}, for code beyond a limit or recursing: an input error. */
    GraphBuildException overLimit(SourcePos pos, ModuleScope scope, String problem) {
        return error(pos, scope, problem, null, true);
    }

    private GraphBuildException error(
            SourcePos pos, ModuleScope scope, String problem, Throwable cause, boolean overLimit) {
        StringBuilder sb = new StringBuilder();
        if (pos != null) {
            sb.append(pos);
            locate(pos)
                    .original()
                    .ifPresent(
                            o ->
                                    sb.append(" (")
                                            .append(o.file())
                                            .append(':')
                                            .append(o.line())
                                            .append(')'));
            sb.append(": ");
        }
        sb.append(problem).append(" [module ").append(scope.describe()).append(']');
        return new GraphBuildException(sb.toString(), pos, scope.path(), cause, overLimit);
    }

    static String describe(Binding b) {
        if (b instanceof Binding.Of of) {
            return "value " + of.value().name() + " (" + of.value().type().describe() + ")";
        }
        if (b instanceof Binding.Module m) {
            return "module "
                    + (m.path().isEmpty() ? "<root>" : m.path())
                    + " ("
                    + m.object().torchClassName()
                    + ")";
        }
        if (b instanceof Binding.Tuple t) {
            return "a tuple of " + t.elements().size();
        }
        return "function " + ((Binding.Function) b).name();
    }
}
