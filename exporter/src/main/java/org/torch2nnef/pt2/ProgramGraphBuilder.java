package org.torch2nnef.pt2;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.torch2nnef.graph.ModuleScope;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.OpSchema;
import org.torch2nnef.graph.OpSchemas;
import org.torch2nnef.graph.SourceLocation;
import org.torch2nnef.graph.TorchGraph;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType;
import org.torch2nnef.torchscript.ScriptObject;
import org.torch2nnef.torchscript.TorchTensor;

/**
 * Builds the typed-graph front end's {@link TorchGraph} from a program: placeholders become the
 * user inputs and the parameters, buffers and constants the signature maps them to; each node
 * becomes a {@link Node} of its op's kind with its arguments in schema order (the overload the
 * program names when its arguments fit it, else the one they fit, as for TorchScript), so one op
 * table translates both front ends. Nodes of ops the table does not have keep their arguments by
 * name, to be reported with every other unsupported op.
 */
final class ProgramGraphBuilder {
    private final ProgramArchive archive;
    private final OpSchemas schemas;
    private final String where;
    private final ProgramArguments arguments = new ProgramArguments(this);
    private final Map<String, Value> values = new HashMap<>();
    private final Map<String, TorchTensor> stateTensors = new HashMap<>();
    private final Map<String, String> stateNames = new HashMap<>();
    private final Map<String, Value.Origin> stateOrigins = new HashMap<>();
    private final Set<String> usedNames = new HashSet<>();
    private final List<Value> parameters = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, ModuleScope> scopes = new LinkedHashMap<>();
    private ModuleScope root;
    private ModuleScope scope;
    private List<ModuleScope> stack = List.of();
    private final Map<Node, List<ModuleScope>> stacks = new HashMap<>();
    private SourceLocation location;

    ProgramGraphBuilder(ProgramArchive archive, OpSchemas schemas) {
        this.archive = archive;
        this.schemas = schemas;
        this.where = archive.programLocation();
    }

    /**
     * @param inputs the user inputs' names, from the signature
     * @return the graph and its user inputs' metadata
     */
    TorchGraph build(ProgramSignature signature) throws ProgramFormatException {
        JsonNode graph = JsonFields.object(signatureRoot(), "graph", where);
        root = rootScope(JsonFields.array(graph, "nodes", where));
        scope = root;
        List<Value> inputs = new ArrayList<>();
        for (String name : signature.userInputs()) {
            Value v =
                    new Value(
                            unique(name),
                            Value.Origin.INPUT,
                            null,
                            null,
                            ValueType.UNTYPED_TENSOR,
                            null);
            values.put(name, v);
            inputs.add(v);
        }
        signature
                .states()
                .forEach(
                        s -> {
                            stateTensors.put(s.placeholder(), s.tensor());
                            stateNames.put(s.placeholder(), s.stateName());
                            stateOrigins.put(s.placeholder(), s.origin());
                        });
        int index = 0;
        for (JsonNode n : JsonFields.array(graph, "nodes", where)) {
            node(n, index++);
        }
        List<Value> outputs = new ArrayList<>();
        for (JsonNode o : JsonFields.array(graph, "outputs", where)) {
            Map.Entry<String, JsonNode> u = JsonFields.union(o, where + " outputs");
            if (!u.getKey().equals("as_tensor")) {
                throw new ProgramFormatException(
                        where
                                + ": an output of kind '"
                                + u.getKey()
                                + "'; only tensors are exported");
            }
            outputs.add(named(JsonFields.text(u.getValue(), "name", where), where + " outputs"));
        }
        return TorchGraph.inlined(
                inputs, outputs, nodes, root, parameters, n -> stacks.getOrDefault(n, List.of()));
    }

    private JsonNode signatureRoot() throws ProgramFormatException {
        return JsonFields.object(archive.program(), "graph_module", where);
    }

    private void node(JsonNode n, int index) throws ProgramFormatException {
        String name = n.path("name").asText("node " + index);
        String at = where + " node '" + name + "'";
        OpTarget target = OpTarget.of(JsonFields.text(n, "target", at));
        JsonNode meta = n.path("metadata");
        stack = stackOf(meta.path("nn_module_stack").asText(null));
        scope = stack.isEmpty() ? root : stack.get(stack.size() - 1);
        location = StackTraces.locate(meta.path("stack_trace").asText(null), name);
        LinkedHashMap<String, Value> given = new LinkedHashMap<>();
        for (JsonNode in : JsonFields.array(n, "inputs", at)) {
            String argName = JsonFields.text(in, "name", at);
            given.put(argName, arguments.value(JsonFields.field(in, "arg", at), argName, at));
        }
        Optional<OpSchema> schema = resolve(target, given);
        Node node;
        List<ValueType> returns;
        if (schema.isPresent()) {
            OpSchema s = schema.get();
            List<Value> placed = new ArrayList<>();
            for (OpSchema.Arg a : s.args()) {
                Value v = given.get(a.name());
                placed.add(v != null ? v : Value.ofDefault(unique(a.name()), a));
            }
            node = new Node(target.qualifiedName(), placed, s, scope, location);
            returns = s.returnTypes();
        } else {
            node =
                    new Node(
                            target.kind(),
                            target.qualifiedName(),
                            List.copyOf(given.values()),
                            List.copyOf(given.keySet()),
                            false,
                            scope,
                            location);
            returns = List.of();
        }
        add(node);
        outputs(node, JsonFields.array(n, "outputs", at), returns, at);
    }

    /**
     * The overload the program names, if the arguments fit it; else the first they fit (a {@code
     * div.Tensor} given an int divisor is {@code div.Scalar} to the op table).
     */
    private Optional<OpSchema> resolve(OpTarget target, Map<String, Value> given) {
        List<OpSchema> overloads = new ArrayList<>(schemas.overloads(target.kind()));
        overloads.sort((a, b) -> Boolean.compare(!named(a, target), !named(b, target)));
        for (OpSchema s : overloads) {
            if (fits(s, given)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    private static boolean named(OpSchema s, OpTarget target) {
        return s.overload().equals(target.overload());
    }

    private static boolean fits(OpSchema s, Map<String, Value> given) {
        for (String k : given.keySet()) {
            if (s.indexOf(k) < 0) {
                return false;
            }
        }
        for (OpSchema.Arg a : s.args()) {
            Value v = given.get(a.name());
            if (v == null ? a.defaultValue().isEmpty() : !OpSchemas.accepts(a, v.type())) {
                return false;
            }
        }
        return true;
    }

    private void outputs(Node node, JsonNode outs, List<ValueType> returns, String at)
            throws ProgramFormatException {
        List<JsonNode> list = new ArrayList<>();
        outs.forEach(list::add);
        boolean oneList =
                list.size() == 1
                        && list.get(0).has("as_tensors")
                        && returns.size() == 1
                        && returns.get(0) instanceof ValueType.ListType;
        if (oneList) {
            Value whole =
                    node.addOutput(unique(node.kind().replaceFirst(".*::", "")), returns.get(0));
            JsonNode items = list.get(0).get("as_tensors");
            List<String> names = new ArrayList<>();
            List<Value> elements = new ArrayList<>();
            items.forEach(e -> names.add("#" + names.size()));
            Node unpack =
                    new Node(
                            "prim::ListUnpack",
                            "unpack",
                            List.of(whole),
                            List.of("#0"),
                            false,
                            scope,
                            location);
            add(unpack);
            for (JsonNode e : items) {
                elements.add(
                        define(unpack, JsonFields.text(e, "name", at), ValueType.UNTYPED_TENSOR));
            }
            return;
        }
        if (!returns.isEmpty() && returns.size() != list.size()) {
            throw new ProgramFormatException(
                    at
                            + ": "
                            + list.size()
                            + " outputs, but "
                            + node.schema().orElseThrow()
                            + " returns "
                            + returns.size());
        }
        for (int i = 0; i < list.size(); i++) {
            Map.Entry<String, JsonNode> u = JsonFields.union(list.get(i), at + " output");
            ValueType type = returns.isEmpty() ? ValueType.UNTYPED_TENSOR : returns.get(i);
            switch (u.getKey()) {
                case "as_tensor" -> define(node, JsonFields.text(u.getValue(), "name", at), type);
                case "as_sym_int" ->
                        define(node, JsonFields.text(u.getValue(), "as_name", at), ValueType.INT);
                case "as_none" -> node.addOutput(unique("unused"), type);
                case "as_tensors" -> {
                    for (JsonNode e : u.getValue()) {
                        define(node, JsonFields.text(e, "name", at), ValueType.UNTYPED_TENSOR);
                    }
                }
                default ->
                        throw new ProgramFormatException(
                                at + ": an output of kind '" + u.getKey() + "' is not supported");
            }
        }
    }

    private void add(Node node) {
        nodes.add(node);
        stacks.put(node, stack);
    }

    private Value define(Node node, String name, ValueType type) throws ProgramFormatException {
        if (values.containsKey(name)) {
            throw new ProgramFormatException(where + ": value '" + name + "' is defined twice");
        }
        Value v = node.addOutput(unique(name), type);
        values.put(name, v);
        return v;
    }

    // ---- services for ProgramArguments ----

    /**
     * The value a program name refers to: an input, a state tensor, or an earlier node's output.
     */
    Value named(String name, String at) throws ProgramFormatException {
        Value v = values.get(name);
        if (v != null) {
            return v;
        }
        TorchTensor t = stateTensors.get(name);
        if (t == null) {
            throw new ProgramFormatException(
                    at + ": '" + name + "' is used before it is defined (or never is)");
        }
        Value p =
                new Value(
                        unique(name),
                        stateOrigins.get(name),
                        null,
                        stateNames.get(name),
                        ValueType.UNTYPED_TENSOR,
                        t);
        values.put(name, p);
        parameters.add(p);
        return p;
    }

    Value literal(Object known, String nameHint) {
        return Value.literal(unique(nameHint), known);
    }

    /** A list of values: a literal when all are known literals, else a ListConstruct. */
    Value listOf(List<Value> elements, String nameHint, ValueType elementType) {
        if (elements.stream()
                .allMatch(v -> v.origin() == Value.Origin.LITERAL && v.known().isPresent())) {
            List<Object> known = new ArrayList<>();
            elements.forEach(v -> known.add(v.known().get()));
            Value list = literal(java.util.Collections.unmodifiableList(known), nameHint);
            if (known.isEmpty()) {
                list.setType(new ValueType.ListType(elementType));
            }
            return list;
        }
        List<String> names = new ArrayList<>();
        elements.forEach(e -> names.add("#" + names.size()));
        Node node =
                new Node("prim::ListConstruct", "[...]", elements, names, false, scope, location);
        add(node);
        ValueType element = elements.get(0).type();
        return node.addOutput(unique(nameHint), new ValueType.ListType(element));
    }

    private String unique(String base) {
        String b = base == null || base.isEmpty() ? "v" : base;
        String candidate = b;
        for (int n = 1; !usedNames.add(candidate); n++) {
            candidate = b + "_" + n;
        }
        return candidate;
    }

    // ---- module scopes ----

    /** The root module's scope: the first entry of any node's {@code nn_module_stack}. */
    private ModuleScope rootScope(JsonNode nodes) {
        for (JsonNode n : nodes) {
            String stack = n.path("metadata").path("nn_module_stack").asText("");
            if (!stack.isEmpty()) {
                String[] first = stack.split(";", 2)[0].split(",", 3);
                if (first.length == 3) {
                    return moduleScope("", first[2]);
                }
            }
        }
        return moduleScope("", "torch.export.ExportedProgram");
    }

    /** The modules below the root of a {@code key,path,class;...} stack, outermost first. */
    private List<ModuleScope> stackOf(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        String[] entries = text.split(";");
        List<ModuleScope> out = new ArrayList<>();
        for (String entry : entries) {
            String[] e = entry.split(",", 3);
            if (e.length == 3 && !e[1].isEmpty()) { // the root's path is empty
                out.add(moduleScope(e[1], e[2]));
            }
        }
        return List.copyOf(out);
    }

    private ModuleScope moduleScope(String path, String torchClass) {
        return scopes.computeIfAbsent(
                path + "\u0000" + torchClass,
                k ->
                        new ModuleScope(
                                path, torchClass, torchClass, ScriptObject.ofClass(torchClass)));
    }
}
