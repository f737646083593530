package org.torch2nnef.export;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.torch2nnef.export.ops.Axes;
import org.torch2nnef.export.ops.ExportTimeTensors;
import org.torch2nnef.export.spi.ModuleExtractors;
import org.torch2nnef.export.spi.ModuleInvocation;
import org.torch2nnef.graph.ModuleCall;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.TorchGraph;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType;
import org.torch2nnef.nnef.contract.OutputQuantization;
import org.torch2nnef.nnef.io.NnefPrinter;
import org.torch2nnef.nnef.model.Assignment;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Extension;
import org.torch2nnef.nnef.model.FragmentInliner;
import org.torch2nnef.nnef.model.Graph;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.NnefModel;
import org.torch2nnef.torchscript.ScriptObject;
import org.torch2nnef.torchscript.TorchTensor;

/**
 * Translates a typed {@link TorchGraph} into an {@link NnefModel}: declares the inputs as {@code
 * external}s, runs the registered {@link OpTranslator} of every live node in execution order, and
 * names the outputs. Nodes whose outputs are all known at export time are folded (not exported);
 * nodes no graph output depends on are skipped. Every untranslatable node is collected and reported
 * in one {@link UnsupportedOpsException}. Nothing is written to disk here.
 */
public final class GraphTranslator {
    private static final Logger LOG = LoggerFactory.getLogger(GraphTranslator.class);

    private final OpRegistry registry;
    private final TranslationOptions options;
    private final ModuleExtractors extractors;

    /**
     * @param registry the op translators
     * @param options naming and strictness
     */
    public GraphTranslator(OpRegistry registry, TranslationOptions options) {
        this(registry, options, ModuleExtractors.none());
    }

    /**
     * @param registry the op translators
     * @param options naming and strictness
     * @param extractors module calls exported whole instead of op by op
     */
    public GraphTranslator(
            OpRegistry registry, TranslationOptions options, ModuleExtractors extractors) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.options = Objects.requireNonNull(options, "options");
        this.extractors = Objects.requireNonNull(extractors, "extractors");
    }

    /**
     * @param graph a graph whose inputs are typed tensors
     * @return the NNEF model and its summary
     * @throws UnsupportedOpsException listing every node that cannot be translated
     * @throws ExportException if inputs are untyped or names are inconsistent
     */
    public Translation translate(TorchGraph graph) throws ExportException {
        checkNames("input", options.inputNames(), graph.inputs().size());
        checkNames("output", options.outputNames(), graph.outputs().size());
        SortedSet<String> symbols = new TreeSet<>();
        graph.inputs()
                .forEach(v -> v.tensorType().ifPresent(t -> symbols.addAll(t.shape().symbols())));
        TranslationContext ctx = new TranslationContext(options, symbols);
        List<OpProblem> problems = new ArrayList<>();

        Graph.Builder nnef = Graph.builder("network");
        List<Translation.Port> inputPorts = declareInputs(graph, ctx, nnef, problems);
        List<String> outputIds = new ArrayList<>();
        for (int i = 0; i < graph.outputs().size(); i++) {
            Value out = graph.outputs().get(i);
            String wanted =
                    options.outputNames().isEmpty() ? out.name() : options.outputNames().get(i);
            String id = ctx.nnef().allocate(wanted);
            if (!options.outputNames().isEmpty() && !id.equals(wanted)) {
                throw new ExportInputException(
                        "output name '"
                                + wanted
                                + "' is already taken by an input or a tract symbol");
            }
            outputIds.add(id);
            ctx.nnef().preferName(out, id);
        }

        Set<Value> needed = new HashSet<>(graph.outputs());
        Set<Node> live = liveNodes(graph, ctx, needed);
        ctx.nnef().setNeeded(needed);
        Set<Value> failed = new HashSet<>();
        Map<Node, ModuleCall> claimed = claimedCalls(graph);
        Set<ModuleCall> extracted = new HashSet<>();
        for (Node node : graph.nodes()) {
            if (!live.contains(node)) {
                continue;
            }
            ModuleCall call = claimed.get(node);
            if (call != null) {
                if (extracted.add(call)) {
                    extract(graph, call, ctx, problems, failed);
                }
                continue;
            }
            if (node.inputs().stream().anyMatch(failed::contains)) {
                failed.addAll(node.outputs()); // already reported at its cause
                continue;
            }
            Optional<OpTranslator> translator = registry.find(node.kind());
            if (translator.isEmpty()) {
                problems.add(OpProblem.at(node, "no NNEF translation for this op"));
                failed.addAll(node.outputs());
                continue;
            }
            ctx.setCurrent(node, registry.definition(node.kind()).orElse(null));
            int before = ctx.nnef().body().size();
            try {
                translator.get().translate(node, ctx);
                if (LOG.isDebugEnabled()) {
                    LOG.debug(
                            "{} in {} -> {}",
                            node.kind(),
                            node.scope().describe(),
                            ctx.nnef().body().subList(before, ctx.nnef().body().size()).stream()
                                    .map(a -> NnefPrinter.expr(a.lvalue()))
                                    .toList());
                }
                for (Value out : node.outputs()) {
                    if (!ctx.nnef().isBound(out) && ctx.nnef().isNeeded(out)) {
                        throw new IllegalStateException(
                                "translator of "
                                        + node.kind()
                                        + " left output "
                                        + out.name()
                                        + " undefined");
                    }
                }
            } catch (TranslationException e) {
                problems.add(OpProblem.at(node, e.getMessage()));
                failed.addAll(node.outputs());
            }
            ctx.setCurrent(null, null);
        }
        if (!problems.isEmpty()) {
            throw new UnsupportedOpsException(problems);
        }

        List<Translation.Port> outputPorts = new ArrayList<>();
        Map<String, OutputQuantization.Step> outputSteps = new LinkedHashMap<>();
        for (int i = 0; i < graph.outputs().size(); i++) {
            Value out = graph.outputs().get(i);
            String id = outputIds.get(i);
            ctx.nnef()
                    .dequantizationOf(out)
                    .ifPresent(
                            q ->
                                    outputSteps.put(
                                            id,
                                            new OutputQuantization.Step(q.scale(), q.zeroPoint())));
            try {
                Expr e = ctx.nnef().tensor(out);
                if (e instanceof Expr.IntLit
                        || e instanceof Expr.RealLit
                        || e instanceof Expr.BoolLit) {
                    e = numberOutput(ctx, out, e);
                }
                // a pattern, not Expr.equals: a record's first equals() links ObjectMethods'
                // bootstrap, 7% of a tiny export's main thread
                if (!(e instanceof Expr.Id named && named.name().equals(id))) {
                    // an input, a variable, an alias or a repeated output: copied under its own
                    // name, as an identity transpose since tract declares NNEF's copy but does not
                    // implement it (and a reshape to a symbolic shape may be one tract cannot
                    // prove equal)
                    if (out.tensorType().isEmpty()) {
                        throw new TranslationException(
                                "its rank is unknown, so it cannot be copied under its own"
                                        + " name (an identity transpose needs the rank; tract does not implement copy)");
                    }
                    ctx.nnef()
                            .emit(
                                    Assignment.of(
                                            id,
                                            Invocation.builder("transpose")
                                                    .arg(e)
                                                    .arg(
                                                            "axes",
                                                            Axes.range(0, ctx.types().rank(out)))
                                                    .build()));
                }
            } catch (TranslationException ex) {
                problems.add(
                        new OpProblem(
                                "output " + i,
                                "<root>",
                                "return value " + out.name(),
                                ex.getMessage()));
            }
            nnef.output(id);
            outputPorts.add(port(id, out));
        }
        if (!problems.isEmpty()) {
            throw new UnsupportedOpsException(problems);
        }
        ctx.nnef().body().forEach(nnef::assign);
        NnefModel.Builder model = NnefModel.builder(nnef.build());
        for (String s : ctx.nnef().symbols()) {
            model.extension(Extension.tractSymbol(s));
        }
        if (!ctx.tract().tractOps().isEmpty()) {
            model.extension(Extension.tractRegistry("tract_core"));
        }
        ctx.nnef().fragments().forEach(model::fragment);
        ctx.nnef().variables().forEach(model::tensor);
        ctx.nnef().quantization().forEach(model::quantization);
        NnefModel built = model.build();
        if (ctx.tract().isStrict()) {
            // Khronos' runtime runs no fragment of ours: strict graphs are flat
            try {
                built = FragmentInliner.inline(built);
            } catch (IllegalArgumentException e) {
                throw new UnsupportedOpsException(
                        List.of(
                                new OpProblem(
                                        "fragment",
                                        "<root>",
                                        "--nnef-spec-strict",
                                        "cannot be inlined into flat NNEF: " + e.getMessage())));
            }
        }
        LOG.debug(
                "translated {} nodes into {} assignments, {} variables",
                graph.nodes().size(),
                ctx.nnef().body().size(),
                ctx.nnef().variables().size());
        return new Translation(
                built,
                inputPorts,
                outputPorts,
                new TreeSet<>(ctx.nnef().opsUsed()),
                new TreeSet<>(ctx.tract().tractOps()),
                new TreeSet<>(ctx.nnef().symbols()),
                ctx.nnef().variables().size(),
                ctx.nnef().variableBytes(),
                outputSteps);
    }

    /**
     * An output known at export time as a number (a constant that does not depend on the inputs): a
     * variable of the output's dtype and shape, since a literal has no dtype and tract reads an
     * integer literal as a size (TDim), which it cannot return as tensor data.
     */
    private static Expr numberOutput(TranslationContext ctx, Value out, Expr literal)
            throws TranslationException {
        ValueType.TensorType t =
                out.tensorType()
                        .orElseThrow(
                                () ->
                                        new TranslationException(
                                                "the number "
                                                        + NnefPrinter.expr(literal)
                                                        + " is returned where torch returns "
                                                        + out.type().describe()));
        if (!t.shape().isConcrete()) {
            throw new TranslationException(
                    "the number "
                            + NnefPrinter.expr(literal)
                            + " fills the output of dynamic shape "
                            + t.shape()
                            + "; only outputs of known shapes can be constants");
        }
        long[] shape = t.shape().toLongArray();
        double value =
                literal instanceof Expr.IntLit i
                        ? i.value()
                        : literal instanceof Expr.RealLit r
                                ? r.value()
                                : ((Expr.BoolLit) literal).value() ? 1 : 0;
        double[] items = new double[Math.toIntExact(t.shape().volume().constant())];
        Arrays.fill(items, value);
        return ctx.nnef().defineVariable(out, ExportTimeTensors.of(t.dtype(), shape, items));
    }

    /**
     * Nodes of the outermost module calls an extractor handles, mapped to their call. A program
     * that inlined its modules (torch.export) records only their class, not their attributes, and
     * its core-ATen form has decomposed them: its call goes to an extractor only when it holds an
     * op no translator has (pre-dispatch's whole {@code aten::lstm}).
     */
    private Map<Node, ModuleCall> claimedCalls(TorchGraph graph) {
        Map<Node, ModuleCall> claimed = new HashMap<>();
        if (extractors.isEmpty()) {
            return claimed;
        }
        boolean inlined = graph.archive().isEmpty();
        graph.rootCall()
                .forEachCall(
                        call -> {
                            if (extractors.find(call.scope().torchClass()).isPresent()
                                    && !call.allNodes().isEmpty()
                                    && (!inlined
                                            || call.allNodes().stream()
                                                    .anyMatch(
                                                            n -> registry.find(n.kind()).isEmpty()))
                                    && call.allNodes().stream().noneMatch(claimed::containsKey)) {
                                call.allNodes().forEach(n -> claimed.put(n, call));
                            }
                        });
        return claimed;
    }

    private void extract(
            TorchGraph graph,
            ModuleCall call,
            TranslationContext ctx,
            List<OpProblem> problems,
            Set<Value> failed) {
        ModuleExtractors.Entry entry = extractors.find(call.scope().torchClass()).orElseThrow();
        // names and reports use the call's last node: usually the op computing its result
        // (aten::lstm)
        List<Node> nodes = call.allNodes();
        Node first = nodes.get(nodes.size() - 1);
        if (call.inputs().stream().anyMatch(failed::contains)) {
            failed.addAll(call.outputs());
            return;
        }
        ModuleInvocation invocation =
                new ModuleInvocation(
                        graph,
                        call,
                        ctx,
                        inner -> {
                            OpTranslator t =
                                    registry.find(inner.kind())
                                            .orElseThrow(
                                                    () ->
                                                            new TranslationException(
                                                                    "needs "
                                                                            + inner.kind()
                                                                            + " inside the module, which has no NNEF translation"));
                            ctx.setCurrent(inner, registry.definition(inner.kind()).orElse(null));
                            t.translate(inner, ctx);
                            ctx.setCurrent(first, null);
                        });
        ctx.setCurrent(first, null);
        try {
            entry.extractor().extract(invocation);
            for (Value out : call.outputs()) {
                if (!ctx.nnef().isBound(out)) {
                    throw new IllegalStateException(
                            "extractor "
                                    + entry.extractor().getClass().getName()
                                    + " left output "
                                    + out.name()
                                    + " of "
                                    + call.scope().describe()
                                    + " undefined");
                }
            }
            LOG.debug(
                    "{} exported whole by {}",
                    call.scope().describe(),
                    entry.extractor().getClass().getName());
        } catch (TranslationException e) {
            problems.add(
                    new OpProblem(
                            "module call",
                            call.scope().describe(),
                            first.location().toString(),
                            "extractor "
                                    + entry.extractor().getClass().getSimpleName()
                                    + ": "
                                    + e.getMessage()));
            failed.addAll(call.outputs());
        }
        ctx.setCurrent(null, null);
    }

    private static void checkNames(String what, List<String> names, int count)
            throws ExportException {
        if (!names.isEmpty() && names.size() != count) {
            throw new ExportInputException(
                    names.size()
                            + " "
                            + what
                            + " names given "
                            + names
                            + " but the model has "
                            + count
                            + " "
                            + what
                            + "s");
        }
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (!seen.add(n)) {
                throw new ExportInputException(what + " name '" + n + "' is given twice");
            }
            if (!IdentifierAllocator.sanitize(n).equals(n)) {
                throw new ExportInputException(
                        what
                                + " name '"
                                + n
                                + "' is not a valid NNEF identifier (try '"
                                + IdentifierAllocator.sanitize(n)
                                + "')");
            }
        }
    }

    private List<Translation.Port> declareInputs(
            TorchGraph graph, TranslationContext ctx, Graph.Builder nnef, List<OpProblem> problems)
            throws ExportException {
        List<Translation.Port> ports = new ArrayList<>();
        for (int i = 0; i < graph.inputs().size(); i++) {
            Value in = graph.inputs().get(i);
            ValueType.TensorType type =
                    in.tensorType()
                            .orElseThrow(
                                    () ->
                                            new ExportInputException(
                                                    "model input "
                                                            + in.describe()
                                                            + " has no shape and dtype; declare it (--input NAME=D0,D1,...[:DTYPE])"));
            String wanted =
                    options.inputNames().isEmpty() ? in.name() : options.inputNames().get(i);
            String id = ctx.nnef().allocate(wanted);
            if (!options.inputNames().isEmpty() && !id.equals(wanted)) {
                throw new ExportInputException(
                        "input name '"
                                + wanted
                                + "' is already taken by a tract symbol or another input");
            }
            try {
                ctx.nnef()
                        .emit(
                                Assignment.of(
                                        id,
                                        Invocation.external(
                                                TensorTypes.elementType(type.dtype()),
                                                ctx.nnef().declaredDims(type.shape().dims()))));
                ctx.nnef().readSymbolsFrom(id, type.shape().dims());
            } catch (TranslationException e) {
                throw new ExportException("model input " + in.describe() + ": " + e.getMessage());
            }
            ctx.nnef().bind(in, Expr.id(id));
            nnef.input(id);
            ports.add(port(id, in));
        }
        return ports;
    }

    private static Translation.Port port(String id, Value v) {
        return v.tensorType()
                .map(t -> new Translation.Port(id, t.dtype().torchName(), t.shape()))
                .orElse(new Translation.Port(id, "?", Shape.scalar()));
    }

    /**
     * Nodes some graph output depends on, through nodes that are not folded; {@code needed} (the
     * graph outputs on entry) gains every value they read.
     */
    private static Set<Node> liveNodes(
            TorchGraph graph, TranslationContext ctx, Set<Value> needed) {
        Set<Node> live = new HashSet<>();
        List<Node> nodes = graph.nodes();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (n.outputs().stream().noneMatch(needed::contains) && !n.outputs().isEmpty()) {
                continue;
            }
            if (isFolded(n, ctx)) {
                continue;
            }
            live.add(n);
            needed.addAll(n.inputs());
        }
        return live;
    }

    /** Whether shape inference already knows every output (sizes, int lists): nothing to export. */
    private static boolean isFolded(Node n, TranslationContext ctx) {
        if (n.outputs().isEmpty()) {
            return false;
        }
        for (Value v : n.outputs()) {
            Object k = ctx.values().known(v).orElse(null);
            if (k == null
                    || k instanceof TorchTensor
                    || k instanceof ScriptObject
                    || (k instanceof List<?> l && l.contains(Value.UNKNOWN_ELEMENT))) {
                return false;
            }
        }
        return true;
    }
}
