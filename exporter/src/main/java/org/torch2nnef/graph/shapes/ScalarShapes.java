package org.torch2nnef.graph.shapes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType;
import org.torch2nnef.graph.ValueType.TensorType;
import org.torch2nnef.torchscript.TorchDType;

/**
 * Sizes and scalars: {@code aten::size}, {@code dim}, {@code numel}, {@code prim::NumToTensor},
 * {@code aten::Int}/{@code Float}/{@code Bool}, int arithmetic, and list/tuple construction,
 * unpacking and indexing. Known integers (sizes, possibly symbolic) flow through these ops so that
 * {@code x.view(x.size(0), -1)} keeps its symbolic batch size.
 */
final class ScalarShapes {
    private ScalarShapes() {}

    static void register(ShapeRules r) {
        r.register(ScalarShapes::size, "aten::size");
        r.register(n -> intResult(n, Dim.of(n.tensor(0).rank())), "aten::dim");
        r.register(n -> intResult(n, n.tensor(0).shape().volume()), "aten::numel");
        r.register(ScalarShapes::numToTensor, "prim::NumToTensor");
        r.register(ScalarShapes::toInt, "aten::Int");
        r.register(ScalarShapes::toFloat, "aten::Float", "aten::ScalarImplicit");
        r.register(n -> {
            n.output(0, ValueType.BOOL);
            n.knownDim(0).filter(Dim::isConstant).ifPresent(d -> n.known(0, d.constant() != 0));
        }, "aten::Bool");
        r.register(ScalarShapes::listConstruct, "prim::ListConstruct");
        r.register(ScalarShapes::tupleConstruct, "prim::TupleConstruct");
        r.register(ScalarShapes::unpack, "prim::ListUnpack", "prim::TupleUnpack");
        r.register(ScalarShapes::getItem, "aten::__getitem__");
        r.register(n -> intResult(n, Dim.of(elements(n.input(0)).size())), "aten::len");
    }

    private static void intResult(NodeTypes n, Dim value) {
        n.output(0, ValueType.INT);
        n.known(0, value);
    }

    private static void size(NodeTypes n) {
        Shape shape = n.tensor(0).shape();
        if (n.inputCount() >= 2) {
            intResult(n, shape.dim(n.integer(1)));
        } else {
            n.output(0, new ValueType.ListType(ValueType.INT));
            n.known(0, List.copyOf(new ArrayList<Object>(shape.dims())));
        }
    }

    private static void numToTensor(NodeTypes n) {
        ValueType in = n.input(0).type();
        TorchDType dtype = in instanceof ValueType.FloatType ? TorchDType.FLOAT64
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
        boolean floating = n.input(0).type() instanceof ValueType.FloatType
                || n.input(0).tensorType().map(t -> t.dtype().isFloatingPoint()).orElse(false);
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
            Optional<Object> k = v.type() instanceof ValueType.IntType ? NodeTypes.knownDim(v).map(d -> d)
                    : v.known();
            any |= k.isPresent();
            known.add(k.orElse(Value.UNKNOWN_ELEMENT));
        }
        if (any || in.isEmpty()) {
            n.known(0, Collections.unmodifiableList(known));
        }
    }

    private static void tupleConstruct(NodeTypes n) {
        n.output(0, new ValueType.TupleType(n.node().inputs().stream().map(Value::type).toList()));
    }

    /** The element types and known values of a list or tuple value, as far as known. */
    private record Element(ValueType type, Object known) {}

    private static List<Element> elements(Value v) {
        Optional<Node> producer = v.producer();
        if (producer.isPresent() && (producer.get().kind().equals("prim::ListConstruct")
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
            throw new ShapeInferenceException(v.name() + " (" + t.describe() + ") has no known length");
        }
        List<Object> known = v.knownList().orElse(null);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            Object k = known == null || known.get(i) == Value.UNKNOWN_ELEMENT ? null : known.get(i);
            out.add(new Element(types.get(i), k));
        }
        return out;
    }

    private static void unpack(NodeTypes n) {
        List<Element> elements = elements(n.input(0));
        if (elements.size() != n.outputCount()) {
            throw new ShapeInferenceException("cannot unpack " + elements.size() + " elements of " + n.input(0).name()
                    + " into " + n.outputCount() + " names");
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
}
