package org.torch2nnef.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.torch2nnef.torchscript.ScriptObject;
import org.torch2nnef.torchscript.TorchTensor;
import org.torch2nnef.torchscript.code.ClassDef;
import org.torch2nnef.torchscript.code.Excerpt;
import org.torch2nnef.torchscript.code.Expr;
import org.torch2nnef.torchscript.code.FunctionDef;
import org.torch2nnef.torchscript.code.Limits;
import org.torch2nnef.torchscript.code.QualifiedName;
import org.torch2nnef.torchscript.code.SourcePos;
import org.torch2nnef.torchscript.code.Stmt;
import org.torch2nnef.torchscript.code.TypeExpr;

/** Evaluates one inlined function body: binds names, creates nodes, inlines nested calls. */
final class FunctionInliner {
    private final GraphBuilder builder;
    private final ModuleScope scope;
    private final ModuleCall call;
    private final FunctionDef function;
    private final Map<String, Binding> env = new HashMap<>();

    /** The inliner whose body calls this one, null for forward. */
    private final FunctionInliner caller;

    /** How many inliners run, this one included. */
    private final int depth;

    /** The module a method runs on (null for a function): with the function, what recursion is. */
    private Object receiver;

    FunctionInliner(
            GraphBuilder builder, ModuleScope scope, ModuleCall call, FunctionDef function) {
        this(builder, scope, call, function, null);
    }

    private FunctionInliner(
            GraphBuilder builder,
            ModuleScope scope,
            ModuleCall call,
            FunctionDef function,
            FunctionInliner caller) {
        this.builder = builder;
        this.scope = scope;
        this.call = call;
        this.function = function;
        this.caller = caller;
        this.depth = caller == null ? 1 : caller.depth + 1;
    }

    /**
     * The inliner for a call made by this body. Traced code never recurses (tracing unrolls it), so
     * a function already running on the same module is a cycle that inlining would follow forever;
     * the depth bound catches a long chain of distinct calls the same way.
     */
    private FunctionInliner callee(
            ModuleScope calleeScope,
            ModuleCall calleeCall,
            FunctionDef callee,
            Object calleeReceiver,
            SourcePos pos) {
        for (FunctionInliner f = this; f != null; f = f.caller) {
            if (f.function == callee && f.receiver == calleeReceiver) {
                throw builder.overLimit(
                        pos,
                        scope,
                        "recursive call of "
                                + callee.name()
                                + ": it is already being inlined (traced code never recurses)");
            }
        }
        long max = Limits.CALL_DEPTH.value();
        if (depth >= max) {
            throw builder.overLimit(
                    pos,
                    scope,
                    "calls nested deeper than " + max + " (" + Limits.CALL_DEPTH.describe() + ")");
        }
        return new FunctionInliner(builder, calleeScope, calleeCall, callee, this);
    }

    /**
     * Runs the body.
     *
     * @param self the receiver bound to the first parameter of a method, or null for a function
     * @param args positional arguments (without self)
     * @param keywords keyword arguments
     * @return what the body returns
     */
    Binding run(Binding self, List<Binding> args, Map<String, Binding> keywords) {
        receiver = self instanceof Binding.Module m ? m.object() : null;
        List<FunctionDef.Param> params = function.params();
        int first = 0;
        if (self != null) {
            if (params.isEmpty()) {
                throw builder.error(
                        function.pos(),
                        scope,
                        "method " + function.name() + " has no self parameter",
                        null);
            }
            env.put(params.get(0).name(), self);
            first = 1;
        }
        if (args.size() > params.size() - first) {
            throw builder.error(
                    function.pos(),
                    scope,
                    function.name()
                            + " takes "
                            + (params.size() - first)
                            + " arguments but is called with "
                            + args.size(),
                    null);
        }
        for (int i = first; i < params.size(); i++) {
            FunctionDef.Param p = params.get(i);
            int a = i - first;
            Binding value = a < args.size() ? args.get(a) : keywords.get(p.name());
            if (value == null) {
                Expr def =
                        p.defaultValue()
                                .orElseThrow(
                                        () ->
                                                builder.error(
                                                        p.pos(),
                                                        scope,
                                                        function.name()
                                                                + " is called without argument '"
                                                                + p.name()
                                                                + "'",
                                                        null));
                value = eval(def, p.name());
            }
            env.put(p.name(), value);
        }
        if (function.unreadable().isPresent()) {
            throw builder.scriptError(function.unreadable().get(), scope);
        }
        for (Stmt stmt : function.body()) {
            if (stmt instanceof Stmt.Assign assign) {
                assign(assign);
            } else if (stmt instanceof Stmt.Return ret) {
                return ret.value()
                        .map(v -> eval(v, null))
                        .orElseGet(() -> literal(Value.NONE, "none"));
            } else if (stmt instanceof Stmt.ExprStmt es) {
                eval(es.expr(), null);
            }
        }
        return literal(Value.NONE, "none");
    }

    private void assign(Stmt.Assign assign) {
        if (!assign.unpack()) {
            env.put(assign.target().id(), eval(assign.value(), assign.target().id()));
            return;
        }
        List<String> names = assign.targets().stream().map(Expr.Name::id).toList();
        Binding value =
                assign.value() instanceof Expr.Call c
                        ? evalCall(c, names)
                        : eval(assign.value(), null);
        List<Binding> parts = unpack(value, names, assign.pos());
        for (int i = 0; i < names.size(); i++) {
            env.put(names.get(i), parts.get(i));
        }
    }

    private List<Binding> unpack(Binding value, List<String> names, SourcePos pos) {
        if (value instanceof Binding.Tuple t) {
            if (t.elements().size() != names.size()) {
                throw builder.error(
                        pos,
                        scope,
                        "cannot unpack " + t.elements().size() + " values into " + names,
                        null);
            }
            return t.elements();
        }
        Value v = materialize(value, pos);
        boolean list = v.type() instanceof ValueType.ListType;
        Node node =
                new Node(
                        list ? "prim::ListUnpack" : "prim::TupleUnpack",
                        "unpack",
                        List.of(v),
                        List.of("#0"),
                        false,
                        scope,
                        builder.locate(pos));
        List<Binding> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            ValueType type =
                    v.type() instanceof ValueType.ListType l
                            ? l.element()
                            : v.type() instanceof ValueType.TupleType tt && i < tt.elements().size()
                                    ? tt.elements().get(i)
                                    : ValueType.UNTYPED_TENSOR;
            out.add(new Binding.Of(node.addOutput(builder.uniqueName(names.get(i)), type)));
        }
        builder.add(node, call);
        return out;
    }

    // ---- expressions ----

    private Binding eval(Expr e, String hint) {
        if (e instanceof Expr.Name n) {
            Binding b = env.get(n.id());
            if (b == null) {
                throw builder.error(
                        n.pos(), scope, "unknown name '" + Excerpt.of(n.id()) + "'", null);
            }
            return b;
        }
        if (e instanceof Expr.Attribute a) {
            return attribute(a);
        }
        if (e instanceof Expr.Call c) {
            return evalCall(c, hint == null ? List.of() : List.of(hint));
        }
        if (e instanceof Expr.IntLiteral i) {
            return literal(Dim.of(i.value()), "int");
        }
        if (e instanceof Expr.FloatLiteral f) {
            return literal(f.value(), "float");
        }
        if (e instanceof Expr.BoolLiteral b) {
            return literal(b.value(), "bool");
        }
        if (e instanceof Expr.StringLiteral s) {
            return literal(s.value(), "str");
        }
        if (e instanceof Expr.NoneLiteral) {
            return literal(Value.NONE, "none");
        }
        if (e instanceof Expr.TupleExpr t) {
            List<Binding> elements = new ArrayList<>();
            t.elements().forEach(x -> elements.add(eval(x, null)));
            return new Binding.Tuple(elements);
        }
        if (e instanceof Expr.ListExpr l) {
            return list(l, hint);
        }
        if (e instanceof Expr.Annotate an) {
            Binding b = eval(an.value(), hint);
            if (an.type() instanceof TypeExpr.Builtin t
                    && t.kind() == TypeExpr.Kind.NUMBER
                    && b instanceof Binding.Of of
                    && isTensor(of.value().type())) {
                // torch prints the tensor-to-Scalar conversion it inserts (aten::ScalarImplicit) as
                // annotate(number, t)
                return op(
                        "aten::ScalarImplicit",
                        "annotate",
                        List.of(of.value()),
                        new LinkedHashMap<>(),
                        an.pos(),
                        hint == null ? List.of() : List.of(hint));
            }
            if (b instanceof Binding.Of of && of.value().origin() == Value.Origin.LITERAL) {
                of.value().setType(TypeMapping.toValueType(an.type()));
            }
            return b;
        }
        if (e instanceof Expr.Subscript s) {
            return subscript(s, hint);
        }
        if (e instanceof Expr.UnaryOp u) {
            return unary(u, hint);
        }
        if (e instanceof Expr.BinaryOp b) {
            return binary(b, hint);
        }
        if (e instanceof Expr.DictExpr) {
            throw builder.error(
                    e.pos(),
                    scope,
                    "a dict built in the code is not supported (traced code has none;"
                            + " is this submodule scripted?)",
                    null);
        }
        throw builder.error(
                e.pos(),
                scope,
                "unsupported expression in traced code: " + e.getClass().getSimpleName(),
                null);
    }

    private Binding attribute(Expr.Attribute a) {
        Optional<String> dotted = a.dottedName();
        if (dotted.isPresent() && dotted.get().startsWith("CONSTANTS.c")) {
            String n = dotted.get().substring("CONSTANTS.c".length());
            try {
                return new Binding.Of(builder.constantValue(Integer.parseInt(n), scope, a.pos()));
            } catch (NumberFormatException e) {
                throw builder.error(
                        a.pos(), scope, "malformed constant reference " + dotted.get(), e);
            }
        }
        Binding receiver = eval(a.value(), null);
        return memberOf(receiver, a.attr(), a.pos());
    }

    /** {@code receiver.name} or {@code getattr(receiver, "name")} on a module. */
    private Binding memberOf(Binding receiver, String name, SourcePos pos) {
        if (!(receiver instanceof Binding.Module m)) {
            throw builder.error(
                    pos,
                    scope,
                    "attribute '"
                            + name
                            + "' of "
                            + GraphBuilder.describe(receiver)
                            + ": only module attributes are supported",
                    null);
        }
        ScriptObject object = m.object();
        String path = m.path().isEmpty() ? name : m.path() + "." + name;
        if (object.attribute(name).isEmpty() && !object.attributes().containsKey(name)) {
            throw builder.error(
                    pos,
                    scope,
                    "module "
                            + (m.path().isEmpty() ? "<root>" : m.path())
                            + " ("
                            + object.torchClassName()
                            + ") has no attribute '"
                            + name
                            + "' (it has "
                            + object.attributes().keySet()
                            + ")",
                    null);
        }
        Object raw = object.attributes().get(name);
        if (raw instanceof ScriptObject child) {
            return child.isCustomClass()
                    ? new Binding.Of(builder.objectValue(child, path))
                    : new Binding.Module(child, path);
        }
        if (raw instanceof TorchTensor t) {
            ClassDef cls = builder.classOf(object, scope, pos);
            return new Binding.Of(builder.tensorValue(t, path, cls.parameters().contains(name)));
        }
        return literal(Literals.fromAttribute(raw), name);
    }

    private Binding list(Expr.ListExpr l, String hint) {
        List<Value> elements = new ArrayList<>();
        boolean allLiteral = true;
        for (Expr x : l.elements()) {
            Value v = materialize(eval(x, null), x.pos());
            elements.add(v);
            allLiteral &= v.origin() == Value.Origin.LITERAL && v.known().isPresent();
        }
        if (allLiteral) {
            List<Object> known = new ArrayList<>();
            elements.forEach(v -> known.add(v.known().get()));
            return literal(Collections.unmodifiableList(known), hint == null ? "list" : hint);
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < elements.size(); i++) {
            names.add("#" + i);
        }
        Node node =
                new Node(
                        "prim::ListConstruct",
                        "[...]",
                        elements,
                        names,
                        false,
                        scope,
                        builder.locate(l.pos()));
        ValueType element = elements.isEmpty() ? ValueType.INT : elements.get(0).type();
        Value out =
                node.addOutput(
                        builder.uniqueName(hint == null ? "list" : hint),
                        new ValueType.ListType(element));
        builder.add(node, call);
        return new Binding.Of(out);
    }

    private Binding subscript(Expr.Subscript s, String hint) {
        Binding container = eval(s.value(), null);
        Binding index = eval(s.index(), null);
        Object key =
                index instanceof Binding.Of of && of.value().origin() == Value.Origin.LITERAL
                        ? of.value().known().orElse(null)
                        : null;
        if (container instanceof Binding.Tuple t && key instanceof Dim d && d.isConstant()) {
            return t.elements().get(Shape.normalizeAxis(d.constant(), t.elements().size()));
        }
        if (container instanceof Binding.Of of
                && of.value().origin() == Value.Origin.LITERAL
                && key != null) {
            Object known = of.value().known().orElse(null);
            if (known instanceof List<?> list && key instanceof Dim d && d.isConstant()) {
                return literal(
                        list.get(Shape.normalizeAxis(d.constant(), list.size())),
                        hint == null ? "item" : hint);
            }
            if (known instanceof Map<?, ?> map && map.containsKey(key)) {
                return literal(Literals.fromAttribute(map.get(key)), hint == null ? "item" : hint);
            }
        }
        Value c = materialize(container, s.pos());
        Value i = materialize(index, s.pos());
        Node node =
                new Node(
                        "aten::__getitem__",
                        "[]",
                        List.of(c, i),
                        List.of("#0", "#1"),
                        false,
                        scope,
                        builder.locate(s.pos()));
        ValueType type =
                c.type() instanceof ValueType.ListType l ? l.element() : ValueType.UNTYPED_TENSOR;
        Value out = node.addOutput(builder.uniqueName(hint == null ? "item" : hint), type);
        builder.add(node, call);
        return new Binding.Of(out);
    }

    private Binding unary(Expr.UnaryOp u, String hint) {
        Value v = materialize(eval(u.operand(), null), u.pos());
        if (u.op() == Expr.UnaryOperator.POS) {
            return new Binding.Of(v);
        }
        if (u.op() == Expr.UnaryOperator.NEG) {
            if (v.origin() == Value.Origin.LITERAL && v.known().orElse(null) instanceof Dim d) {
                return literal(d.times(-1), "int");
            }
            if (v.origin() == Value.Origin.LITERAL && v.known().orElse(null) instanceof Double d) {
                return literal(-d, "float");
            }
            return op("aten::neg", "-", List.of(v), new LinkedHashMap<>(), u.pos(), hints(hint));
        }
        throw builder.error(
                u.pos(),
                scope,
                "unsupported operator '" + u.op().symbol() + "' in traced code",
                null);
    }

    private Binding binary(Expr.BinaryOp b, String hint) {
        Value l = materialize(eval(b.left(), null), b.pos());
        Value r = materialize(eval(b.right(), null), b.pos());
        Optional<Object> folded = fold(b.op(), l, r);
        if (folded.isPresent()) {
            return literal(folded.get(), hint == null ? "int" : hint);
        }
        String kind =
                switch (b.op()) {
                    case ADD -> "aten::add";
                    case SUB -> "aten::sub";
                    case MUL -> "aten::mul";
                    case DIV -> "aten::div";
                    case FLOOR_DIV -> "aten::floordiv";
                    case MOD -> "aten::remainder";
                    case POW -> "aten::pow";
                    case MATMUL -> "aten::matmul";
                    case EQ -> "aten::eq";
                    case NE -> "aten::ne";
                    case LT -> "aten::lt";
                    case LE -> "aten::le";
                    case GT -> "aten::gt";
                    case GE -> "aten::ge";
                    default ->
                            throw builder.error(
                                    b.pos(),
                                    scope,
                                    "unsupported operator '" + b.op().symbol() + "' in traced code",
                                    null);
                };
        return op(
                kind, b.op().symbol(), List.of(l, r), new LinkedHashMap<>(), b.pos(), hints(hint));
    }

    /** Integer arithmetic on two literal ints, done at build time. */
    private static Optional<Object> fold(Expr.BinaryOperator op, Value l, Value r) {
        if (l.origin() != Value.Origin.LITERAL
                || r.origin() != Value.Origin.LITERAL
                || !(l.known().orElse(null) instanceof Dim a)
                || !(r.known().orElse(null) instanceof Dim b)
                || !a.isConstant()
                || !b.isConstant()) {
            return Optional.empty();
        }
        long x = a.constant();
        long y = b.constant();
        return switch (op) {
            case ADD -> Optional.of(Dim.of(Math.addExact(x, y)));
            case SUB -> Optional.of(Dim.of(Math.subtractExact(x, y)));
            case MUL -> Optional.of(Dim.of(Math.multiplyExact(x, y)));
            case FLOOR_DIV -> y == 0 ? Optional.empty() : Optional.of(Dim.of(Math.floorDiv(x, y)));
            case MOD -> y == 0 ? Optional.empty() : Optional.of(Dim.of(Math.floorMod(x, y)));
            default -> Optional.empty();
        };
    }

    // ---- calls ----

    private Binding evalCall(Expr.Call c, List<String> outputNames) {
        Optional<String> name = c.functionName();
        String callee = name.orElse("");
        if (callee.startsWith("torch.") || callee.startsWith("ops.")) {
            return opCall(c, OpNames.kindOf(callee), callee, outputNames);
        }
        if (callee.startsWith("__torch__.")) {
            return inlineFunction(QualifiedName.parse(callee), c);
        }
        switch (callee) {
            case "int" -> {
                return opCall(c, "aten::Int", callee, outputNames);
            }
            case "float" -> {
                return opCall(c, "aten::Float", callee, outputNames);
            }
            case "bool" -> {
                return opCall(c, "aten::Bool", callee, outputNames);
            }
            case "len" -> {
                return opCall(c, "aten::len", callee, outputNames);
            }
            case "getattr" -> {
                if (c.args().size() == 2 && c.args().get(1) instanceof Expr.StringLiteral s) {
                    return memberOf(eval(c.args().get(0), null), s.value(), c.pos());
                }
                throw builder.error(
                        c.pos(),
                        scope,
                        "getattr needs an object and a literal attribute name",
                        null);
            }
            default -> {
                // handled below
            }
        }
        if (c.function() instanceof Expr.Attribute method) {
            Binding receiver = eval(method.value(), null);
            if (receiver instanceof Binding.Module m) {
                return inlineMethod(m, method.attr(), c);
            }
            throw builder.error(
                    c.pos(),
                    scope,
                    "method '"
                            + method.attr()
                            + "' called on "
                            + GraphBuilder.describe(receiver)
                            + ": only module methods can be inlined",
                    null);
        }
        if (c.function() instanceof Expr.Name n && env.get(n.id()) instanceof Binding.Function f) {
            return inlineFunction(f.name(), c);
        }
        throw builder.error(
                c.pos(),
                scope,
                "unsupported call of '"
                        + (callee.isEmpty() ? "an expression" : callee)
                        + "' in traced code",
                null);
    }

    private Binding inlineMethod(Binding.Module m, String methodName, Expr.Call c) {
        ScriptObject object = m.object();
        ModuleScope childScope = ModuleScope.of(object, m.path());
        ClassDef cls = builder.classOf(object, childScope, c.pos());
        FunctionDef method =
                cls.method(methodName)
                        .orElseThrow(
                                () ->
                                        builder.error(
                                                c.pos(),
                                                scope,
                                                "module "
                                                        + childScope.describe()
                                                        + " has no method '"
                                                        + methodName
                                                        + "' (it has "
                                                        + cls.methods().stream()
                                                                .map(FunctionDef::name)
                                                                .toList()
                                                        + ")",
                                                null));
        List<Binding> args = new ArrayList<>();
        c.args().forEach(a -> args.add(eval(a, null)));
        Map<String, Binding> keywords = new LinkedHashMap<>();
        c.keywords().forEach(k -> keywords.put(k.name(), eval(k.value(), null)));
        List<Value> inputs = new ArrayList<>();
        for (Binding a : args) {
            if (a instanceof Binding.Of of) {
                inputs.add(of.value());
            }
        }
        keywords.values()
                .forEach(
                        a -> {
                            if (a instanceof Binding.Of of) {
                                inputs.add(of.value());
                            }
                        });
        ModuleCall child = new ModuleCall(childScope, methodName, inputs);
        call.addChild(child);
        Binding result = callee(childScope, child, method, object, c.pos()).run(m, args, keywords);
        List<Value> outputs = new ArrayList<>();
        builder.flatten(result, outputs, c.pos(), childScope);
        child.setOutputs(outputs);
        return result;
    }

    private Binding inlineFunction(QualifiedName name, Expr.Call c) {
        FunctionDef fn = builder.function(name, scope, c.pos());
        List<Binding> args = new ArrayList<>();
        c.args().forEach(a -> args.add(eval(a, null)));
        Map<String, Binding> keywords = new LinkedHashMap<>();
        c.keywords().forEach(k -> keywords.put(k.name(), eval(k.value(), null)));
        return callee(scope, call, fn, null, c.pos()).run(null, args, keywords);
    }

    private Binding opCall(Expr.Call c, String kind, String codeName, List<String> outputNames) {
        if (kind.equals("aten::device")
                && c.args().size() == 1
                && c.args().get(0) instanceof Expr.StringLiteral s) {
            return literal(new Value.Device(s.value()), "device");
        }
        if (kind.equals("prim::RaiseException") || kind.equals("aten::uninitialized")) {
            throw builder.error(c.pos(), scope, codeName + " appears only in scripted code", null);
        }
        List<Value> positional = new ArrayList<>();
        c.args().forEach(a -> positional.add(materialize(eval(a, null), a.pos())));
        LinkedHashMap<String, Value> keywords = new LinkedHashMap<>();
        c.keywords()
                .forEach(k -> keywords.put(k.name(), materialize(eval(k.value(), null), k.pos())));
        return op(kind, codeName, positional, keywords, c.pos(), outputNames);
    }

    /** Creates the node of an op call, its inputs placed by the schema when the table has it. */
    private Binding op(
            String kind,
            String codeName,
            List<Value> positional,
            LinkedHashMap<String, Value> keywords,
            SourcePos pos,
            List<String> outputNames) {
        Map<String, ValueType> keywordTypes = new LinkedHashMap<>();
        keywords.forEach((k, v) -> keywordTypes.put(k, v.type()));
        Optional<OpSchema> schema =
                builder.schemas()
                        .resolve(kind, positional.stream().map(Value::type).toList(), keywordTypes);
        Node node;
        List<ValueType> returns;
        if (schema.isPresent()) {
            OpSchema s = schema.get();
            List<Value> inputs = new ArrayList<>();
            for (int i = 0; i < s.args().size(); i++) {
                OpSchema.Arg a = s.args().get(i);
                Value given = i < positional.size() ? positional.get(i) : keywords.get(a.name());
                inputs.add(given != null ? given : defaultValue(a));
            }
            node = new Node(codeName, inputs, s, scope, builder.locate(pos));
            returns = s.returns().stream().map(TypeMapping::fromSchema).toList();
        } else {
            List<Value> inputs = new ArrayList<>(positional);
            List<String> names = new ArrayList<>();
            for (int i = 0; i < positional.size(); i++) {
                names.add("#" + i);
            }
            keywords.forEach(
                    (k, v) -> {
                        inputs.add(v);
                        names.add(k);
                    });
            node = new Node(kind, codeName, inputs, names, false, scope, builder.locate(pos));
            returns =
                    Collections.nCopies(Math.max(1, outputNames.size()), ValueType.UNTYPED_TENSOR);
        }
        String base = kind.substring(kind.indexOf("::") + 2);
        List<Binding> outs = new ArrayList<>();
        for (int i = 0; i < returns.size(); i++) {
            // unpacking targets name the outputs only when they are the outputs (not a list's
            // elements)
            String n = outputNames.size() == returns.size() ? outputNames.get(i) : base;
            outs.add(new Binding.Of(node.addOutput(builder.uniqueName(n), returns.get(i))));
        }
        builder.add(node, call);
        if (OpSchemas.isInPlace(kind) && !node.inputs().isEmpty() && outs.size() == 1) {
            rebindMutated(node.input(0), ((Binding.Of) outs.get(0)).value());
        }
        return outs.size() == 1 ? outs.get(0) : new Binding.Tuple(outs);
    }

    /**
     * After an in-place op the names of this frame that held its input see the op's result, so the
     * graph stays functional (later reads of the variable read the result).
     */
    private void rebindMutated(Value before, Value after) {
        env.replaceAll(
                (k, b) ->
                        b instanceof Binding.Of of && of.value() == before
                                ? new Binding.Of(after)
                                : b);
    }

    private Value defaultValue(OpSchema.Arg a) {
        return Value.ofDefault(builder.uniqueName(a.name()), a);
    }

    private static boolean isTensor(ValueType type) {
        return type instanceof ValueType.TensorType || type == ValueType.UNTYPED_TENSOR;
    }

    /**
     * The value for a binding used as an op argument; tuples become {@code prim::TupleConstruct}.
     */
    private Value materialize(Binding b, SourcePos pos) {
        if (b instanceof Binding.Of of) {
            return of.value();
        }
        if (b instanceof Binding.Tuple t) {
            List<Value> elements = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (Binding e : t.elements()) {
                elements.add(materialize(e, pos));
                names.add("#" + names.size());
            }
            Node node =
                    new Node(
                            "prim::TupleConstruct",
                            "(...)",
                            elements,
                            names,
                            false,
                            scope,
                            builder.locate(pos));
            Value out =
                    node.addOutput(
                            builder.uniqueName("tuple"),
                            new ValueType.TupleType(elements.stream().map(Value::type).toList()));
            builder.add(node, call);
            return out;
        }
        throw builder.error(
                pos, scope, GraphBuilder.describe(b) + " cannot be used as a value", null);
    }

    private Binding literal(Object known, String hint) {
        return new Binding.Of(builder.literal(known, hint));
    }

    private static List<String> hints(String hint) {
        return hint == null ? List.of() : List.of(hint);
    }
}
