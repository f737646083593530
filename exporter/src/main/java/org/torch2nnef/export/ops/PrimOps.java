package org.torch2nnef.export.ops;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.torch2nnef.export.OpFamily;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType;
import org.torch2nnef.graph.ValueType.TensorType;
import org.torch2nnef.graph.shapes.NodeTypes;
import org.torch2nnef.graph.shapes.ShapeInferenceException;
import org.torch2nnef.torchscript.TorchDType;

/**
 * Lists, tuples and scalars: {@code prim::ListConstruct}, {@code prim::TupleConstruct}, {@code
 * prim::ListUnpack}, {@code prim::TupleUnpack}, {@code prim::NumToTensor}, {@code aten::Int},
 * {@code aten::Float}, {@code aten::ScalarImplicit}, {@code aten::size}. None emits NNEF: they fold
 * values known at export time or bind lists of tensors for the ops that consume them. Known
 * integers (sizes, possibly symbolic) flow through these ops so that {@code x.view(x.size(0), -1)}
 * keeps its symbolic batch size. {@code aten::dim}, {@code numel}, {@code Bool}, {@code
 * __getitem__} and {@code len} are only typed and folded: their results are always known at export
 * time.
 */
public final class PrimOps implements OpFamily {

    @Override
    public void register(OpRegistry r) {
        r.op("prim::ListConstruct").shape(PrimOps::listConstruct).translate(PrimOps::construct);
        r.op("prim::TupleConstruct")
                .shape(
                        n ->
                                n.output(
                                        0,
                                        new ValueType.TupleType(
                                                n.node().inputs().stream()
                                                        .map(Value::type)
                                                        .toList())))
                .translate(PrimOps::construct);
        r.op("prim::ListUnpack").shape(PrimOps::unpackShape).translate(PrimOps::unpack);
        r.op("prim::TupleUnpack").shape(PrimOps::unpackShape).translate(PrimOps::unpack);
        r.op("prim::NumToTensor(Scalar a) -> Tensor")
                .shape(PrimOps::numToTensor)
                .translate(PrimOps::knownScalar);
        r.op("aten::Int.Tensor(Tensor a) -> int")
                .overload("aten::Int.float(float a) -> int")
                .shape(PrimOps::toInt)
                .translate(PrimOps::knownScalar);
        r.op("aten::Float.Tensor(Tensor a) -> float")
                .overload("aten::Float.int(int a) -> float")
                .shape(PrimOps::toFloat)
                .translate(PrimOps::knownScalar);
        r.op("aten::ScalarImplicit(Tensor a) -> Scalar")
                .shape(PrimOps::toFloat)
                .translate(PrimOps::knownScalar);
        r.op("aten::size.int(Tensor self, int dim) -> int")
                .overload("aten::size(Tensor self) -> int[]")
                .shape(PrimOps::sizeShape)
                .translate(PrimOps::size);
        // results always known at export time
        r.op("aten::dim(Tensor self) -> int")
                .shape(n -> intResult(n, Dim.of(n.tensor(0).rank())))
                .foldOnly();
        r.op("aten::numel(Tensor self) -> int")
                .shape(n -> intResult(n, n.tensor(0).shape().volume()))
                .foldOnly();
        r.op("aten::Bool.Tensor(Tensor a) -> bool")
                .shape(
                        n -> {
                            n.output(0, ValueType.BOOL);
                            n.knownDim(0)
                                    .filter(Dim::isConstant)
                                    .ifPresent(d -> n.known(0, d.constant() != 0));
                        })
                .foldOnly();
        r.op("aten::__getitem__").shape(PrimOps::getItem).foldOnly();
        r.op("aten::len").shape(n -> intResult(n, Dim.of(elements(n.input(0)).size()))).foldOnly();
    }

    private static void intResult(NodeTypes n, Dim value) {
        n.output(0, ValueType.INT);
        n.known(0, value);
    }

    private static void sizeShape(NodeTypes n) {
        Shape shape = n.tensor(0).shape();
        if (n.has("dim")) {
            intResult(n, shape.dim(n.integer(n.at("dim"))));
        } else {
            n.output(0, new ValueType.ListType(ValueType.INT));
            n.known(0, List.copyOf(new ArrayList<Object>(shape.dims())));
        }
    }

    private static void numToTensor(NodeTypes n) {
        ValueType in = n.input(0).type();
        TorchDType dtype =
                in instanceof ValueType.FloatType
                        ? TorchDType.FLOAT64
                        : in instanceof ValueType.BoolType ? TorchDType.BOOL : TorchDType.INT64;
        n.output(0, dtype, Shape.scalar());
        n.input(0).known().filter(k -> !(k instanceof List)).ifPresent(k -> n.known(0, k));
    }

    private static void toInt(NodeTypes n) {
        n.output(0, ValueType.INT);
        Optional<Dim> d = n.knownDim(0);
        if (d.isPresent()) {
            n.known(0, d.get());
        } else if (n.input(0).known().orElse(null) instanceof Double x) {
            n.known(0, Dim.of((long) x.doubleValue())); // int() truncates toward zero
        }
    }

    private static void toFloat(NodeTypes n) {
        boolean floating =
                n.input(0).type() instanceof ValueType.FloatType
                        || n.input(0)
                                .tensorType()
                                .map(t -> t.dtype().isFloatingPoint())
                                .orElse(false);
        boolean scalarImplicitInt = n.node().kind().equals("aten::ScalarImplicit") && !floating;
        n.output(0, scalarImplicitInt ? ValueType.INT : ValueType.FLOAT);
        Optional<Dim> d = n.knownDim(0);
        if (scalarImplicitInt) {
            d.ifPresent(x -> n.known(0, x));
        } else {
            n.input(0).knownDouble().ifPresent(x -> n.known(0, x));
        }
    }

    private static void listConstruct(NodeTypes n) {
        List<Value> in = n.node().inputs();
        if (!in.isEmpty() && in.get(0).type() instanceof TensorType) {
            n.output(0, new ValueType.TensorListType(in.stream().map(Value::type).toList()));
            return;
        }
        ValueType element = in.isEmpty() ? ValueType.INT : in.get(0).type();
        n.output(0, new ValueType.ListType(element));
        List<Object> known = new ArrayList<>();
        boolean any = false;
        for (Value v : in) {
            Optional<Object> k =
                    v.type() instanceof ValueType.IntType
                            ? NodeTypes.knownDim(v).map(d -> d)
                            : v.known();
            any |= k.isPresent();
            known.add(k.orElse(Value.UNKNOWN_ELEMENT));
        }
        if (any || in.isEmpty()) {
            n.known(0, Collections.unmodifiableList(known));
        }
    }

    /** The element types and known values of a list or tuple value, as far as known. */
    private record Element(ValueType type, Object known) {}

    private static List<Element> elements(Value v) {
        Optional<Node> producer = v.producer();
        if (producer.isPresent()
                && (producer.get().kind().equals("prim::ListConstruct")
                        || producer.get().kind().equals("prim::TupleConstruct"))) {
            List<Element> out = new ArrayList<>();
            for (Value e : producer.get().inputs()) {
                out.add(new Element(e.type(), e.known().orElse(null)));
            }
            return out;
        }
        ValueType t = v.type();
        List<ValueType> types;
        if (t instanceof ValueType.TensorListType tl) {
            types = tl.elements();
        } else if (t instanceof ValueType.TupleType tt) {
            types = tt.elements();
        } else if (t instanceof ValueType.ListType lt && v.knownList().isPresent()) {
            types = Collections.nCopies(v.knownList().get().size(), lt.element());
        } else {
            throw new ShapeInferenceException(
                    v.name() + " (" + t.describe() + ") has no known length");
        }
        List<Object> known = v.knownList().orElse(null);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            Object k = known == null || known.get(i) == Value.UNKNOWN_ELEMENT ? null : known.get(i);
            out.add(new Element(types.get(i), k));
        }
        return out;
    }

    private static void unpackShape(NodeTypes n) {
        List<Element> elements = elements(n.input(0));
        if (elements.size() != n.outputCount()) {
            throw new ShapeInferenceException(
                    "cannot unpack "
                            + elements.size()
                            + " elements of "
                            + n.input(0).name()
                            + " into "
                            + n.outputCount()
                            + " names");
        }
        for (int i = 0; i < elements.size(); i++) {
            set(n, i, elements.get(i));
        }
    }

    private static void getItem(NodeTypes n) {
        List<Element> elements = elements(n.input(0));
        set(n, 0, elements.get(Shape.normalizeAxis(n.integer(1), elements.size())));
    }

    private static void set(NodeTypes n, int output, Element e) {
        n.output(output, e.type());
        if (e.known() != null) {
            n.known(output, e.known());
        }
    }

    private static void construct(Node node, TranslationContext ctx) {
        List<Object> known = new ArrayList<>();
        for (Value in : node.inputs()) {
            Optional<Object> k = ctx.values().known(in);
            if (k.isEmpty() || in.knownTensor().isPresent()) {
                ctx.values().bindList(node.output(0), node.inputs());
                return;
            }
            known.add(k.get());
        }
        ctx.values().fold(node.output(0), List.copyOf(known));
    }

    private static void unpack(Node node, TranslationContext ctx) throws TranslationException {
        Value list = node.input(0);
        Optional<List<Object>> known =
                ctx.values().known(list).filter(List.class::isInstance).map(l -> castList(l));
        List<Value> elements =
                known.isPresent() && !known.get().contains(Value.UNKNOWN_ELEMENT)
                        ? null
                        : ctx.values().listElements(list);
        int count = elements != null ? elements.size() : known.get().size();
        if (count != node.outputs().size()) {
            throw new TranslationException(
                    "unpacks " + node.outputs().size() + " values from a list of " + count);
        }
        for (int i = 0; i < count; i++) {
            Value out = node.output(i);
            if (elements == null) {
                ctx.values().fold(out, known.get().get(i));
            } else if (ctx.values().known(elements.get(i)).isPresent()
                    && elements.get(i).knownTensor().isEmpty()) {
                ctx.values().fold(out, ctx.values().known(elements.get(i)).get());
            } else if (isContainer(elements.get(i).type())) {
                // a tuple or list element (a list of tuples): its elements are bound, it has no
                // NNEF tensor
                ctx.values().bindList(out, ctx.values().listElements(elements.get(i)));
            } else {
                ctx.nnef().alias(out, elements.get(i));
            }
        }
    }

    private static boolean isContainer(ValueType t) {
        return t instanceof ValueType.TupleType
                || t instanceof ValueType.TensorListType
                || t instanceof ValueType.ListType;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> castList(Object l) {
        return (List<Object>) l;
    }

    private static void knownScalar(Node node, TranslationContext ctx) throws TranslationException {
        Object k =
                ctx.values()
                        .known(node.input(0))
                        .orElseThrow(
                                () ->
                                        new TranslationException(
                                                "converts a value computed from tensor data ("
                                                        + node.input(0).name()
                                                        + ") into a number; only sizes known at export time are supported"));
        ctx.values().fold(node.output(0), k);
    }

    private static void size(Node node, TranslationContext ctx) throws TranslationException {
        Shape shape = ctx.types().shape(node.input(0));
        Optional<Value> dim = Args.optional(node, "dim", 1);
        if (dim.isPresent() && !ctx.values().isNone(dim.get())) {
            long axis = ctx.values().intArg(dim.get());
            ctx.values().fold(node.output(0), shape.dims().get(Axes.normalize(axis, shape.rank())));
        } else {
            ctx.values().fold(node.output(0), List.<Object>copyOf(shape.dims()));
        }
    }
}
