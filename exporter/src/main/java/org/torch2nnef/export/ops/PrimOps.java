package org.torch2nnef.export.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.torch2nnef.export.OpFamily;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.Value;

/**
 * Lists, tuples and scalars: {@code prim::ListConstruct}, {@code prim::TupleConstruct},
 * {@code prim::ListUnpack}, {@code prim::TupleUnpack}, {@code prim::NumToTensor}, {@code aten::Int},
 * {@code aten::Float}, {@code aten::ScalarImplicit}, {@code aten::size}. None emits NNEF: they fold
 * values known at export time or bind lists of tensors for the ops that consume them.
 */
public final class PrimOps implements OpFamily {

    @Override
    public void register(OpRegistry r) {
        r.register(PrimOps::construct, "prim::ListConstruct", "prim::TupleConstruct");
        r.register(PrimOps::unpack, "prim::ListUnpack", "prim::TupleUnpack");
        r.register(PrimOps::knownScalar, "prim::NumToTensor", "aten::Int", "aten::Float", "aten::ScalarImplicit");
        r.register("aten::size", PrimOps::size);
    }

    private static void construct(Node node, TranslationContext ctx) {
        List<Object> known = new ArrayList<>();
        for (Value in : node.inputs()) {
            Optional<Object> k = ctx.known(in);
            if (k.isEmpty() || in.knownTensor().isPresent()) {
                ctx.bindList(node.output(0), node.inputs());
                return;
            }
            known.add(k.get());
        }
        ctx.fold(node.output(0), List.copyOf(known));
    }

    private static void unpack(Node node, TranslationContext ctx) throws TranslationException {
        Value list = node.input(0);
        Optional<List<Object>> known = ctx.known(list).filter(List.class::isInstance).map(l -> castList(l));
        List<Value> elements = known.isPresent() && !known.get().contains(Value.UNKNOWN_ELEMENT) ? null : ctx.listElements(list);
        int count = elements != null ? elements.size() : known.get().size();
        if (count != node.outputs().size()) {
            throw new TranslationException("unpacks " + node.outputs().size() + " values from a list of " + count);
        }
        for (int i = 0; i < count; i++) {
            Value out = node.output(i);
            if (elements == null) {
                ctx.fold(out, known.get().get(i));
            } else if (ctx.known(elements.get(i)).isPresent() && elements.get(i).knownTensor().isEmpty()) {
                ctx.fold(out, ctx.known(elements.get(i)).get());
            } else {
                ctx.alias(out, elements.get(i));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object> castList(Object l) {
        return (List<Object>) l;
    }

    private static void knownScalar(Node node, TranslationContext ctx) throws TranslationException {
        Object k = ctx.known(node.input(0)).orElseThrow(() -> new TranslationException(
                "converts a value computed from tensor data (" + node.input(0).name()
                        + ") into a number; only sizes known at export time are supported"));
        ctx.fold(node.output(0), k);
    }

    private static void size(Node node, TranslationContext ctx) throws TranslationException {
        Shape shape = ctx.shape(node.input(0));
        Optional<Value> dim = Args.optional(node, "dim", 1);
        if (dim.isPresent() && !ctx.isNone(dim.get())) {
            long axis = ctx.intArg(dim.get());
            ctx.fold(node.output(0), shape.dims().get(Axes.normalize(axis, shape.rank())));
        } else {
            ctx.fold(node.output(0), List.<Object>copyOf(shape.dims()));
        }
    }
}
