package org.torch2nnef.graph.shapes;

import java.util.ArrayList;
import java.util.List;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType;
import org.torch2nnef.graph.ValueType.TensorType;
import org.torch2nnef.torchscript.TorchDType;

/** Joining ({@code cat}, {@code stack}) and splitting ({@code split}, {@code split_with_sizes}, {@code chunk}, {@code unbind}). */
final class SplitJoinShapes {
    private SplitJoinShapes() {}

    static void register(ShapeRules r) {
        r.register(SplitJoinShapes::cat, "aten::cat");
        r.register(SplitJoinShapes::stack, "aten::stack");
        r.register(SplitJoinShapes::split, "aten::split", "aten::unsafe_split");
        r.register(n -> splitSizes(n, n.dims(1), n.integer(2)), "aten::split_with_sizes");
        r.register(SplitJoinShapes::chunk, "aten::chunk", "aten::unsafe_chunk");
        r.register(SplitJoinShapes::unbind, "aten::unbind");
    }

    private static List<TensorType> tensors(NodeTypes n) {
        List<TensorType> out = new ArrayList<>();
        for (Value v : n.listElements(0)) {
            out.add(v.tensorType().orElseThrow(() -> new ShapeInferenceException("list element " + v.name()
                    + " is not a typed tensor")));
        }
        if (out.isEmpty()) {
            throw new ShapeInferenceException(n.node().kind() + " of an empty list");
        }
        return out;
    }

    private static TorchDType promoteAll(List<TensorType> ts) {
        TorchDType d = ts.get(0).dtype();
        for (TensorType t : ts) {
            d = ScalarTypes.promote(d, t.dtype());
        }
        return d;
    }

    private static void cat(NodeTypes n) {
        List<TensorType> all = tensors(n);
        // legacy: 1-d empty tensors are skipped by cat
        List<TensorType> ts = all.stream().filter(t -> !(t.rank() == 1 && t.shape().dims().get(0).equals(Dim.of(0))))
                .toList();
        if (ts.isEmpty()) {
            n.output(0, promoteAll(all), Shape.of(0));
            return;
        }
        Shape first = ts.get(0).shape();
        int axis = Shape.normalizeAxis(n.integer(1), first.rank());
        Dim sum = Dim.of(0);
        for (TensorType t : ts) {
            if (t.rank() != first.rank()) {
                throw new ShapeInferenceException("cat of tensors of ranks " + first.rank() + " and " + t.rank());
            }
            for (int i = 0; i < first.rank(); i++) {
                if (i != axis && !t.shape().dims().get(i).equals(first.dims().get(i))) {
                    throw new ShapeInferenceException("cat along " + axis + " of " + first + " and " + t.shape());
                }
            }
            sum = sum.plus(t.shape().dims().get(axis));
        }
        n.output(0, promoteAll(all), first.with(axis, sum));
    }

    private static void stack(NodeTypes n) {
        List<TensorType> ts = tensors(n);
        Shape first = ts.get(0).shape();
        for (TensorType t : ts) {
            if (!t.shape().equals(first)) {
                throw new ShapeInferenceException("stack of different shapes " + first + " and " + t.shape());
            }
        }
        int axis = Shape.normalizeAxis(n.integer(1), first.rank() + 1);
        List<Dim> out = new ArrayList<>(first.dims());
        out.add(axis, Dim.of(ts.size()));
        n.output(0, promoteAll(ts), new Shape(out));
    }

    private static void split(NodeTypes n) {
        TensorType t = n.tensor(0);
        int axis = Shape.normalizeAxis(n.integer(2), t.rank());
        long size = n.integer(1);
        Dim length = t.shape().dims().get(axis);
        if (!length.isConstant()) {
            throw new ShapeInferenceException("split of the symbolic size " + length + " into pieces of " + size
                    + ": the number of pieces is unknown");
        }
        List<Dim> sizes = new ArrayList<>();
        for (long start = 0; start < length.constant(); start += size) {
            sizes.add(Dim.of(Math.min(size, length.constant() - start)));
        }
        splitSizes(n, sizes, axis);
    }

    private static void splitSizes(NodeTypes n, List<Dim> sizes, long axisArg) {
        TensorType t = n.tensor(0);
        int axis = Shape.normalizeAxis(axisArg, t.rank());
        Dim total = Dim.of(0);
        List<ValueType> parts = new ArrayList<>();
        for (Dim s : sizes) {
            total = total.plus(s);
            parts.add(new TensorType(t.dtype(), t.shape().with(axis, s)));
        }
        Dim length = t.shape().dims().get(axis);
        if (total.minus(length).isConstant() && !total.equals(length)) {
            throw new ShapeInferenceException("split sizes " + sizes + " do not add up to " + length);
        }
        n.output(0, new ValueType.TensorListType(parts));
    }

    private static void chunk(NodeTypes n) {
        TensorType t = n.tensor(0);
        long chunks = n.integer(1);
        int axis = Shape.normalizeAxis(n.integer(2), t.rank());
        Dim length = t.shape().dims().get(axis);
        Dim each = length.ceilDiv(chunks);
        List<Dim> sizes = new ArrayList<>();
        if (length.isConstant()) {
            // like torch: pieces of ceil(L/chunks); there may be fewer than chunks of them
            for (long start = 0; start < length.constant(); start += each.constant()) {
                sizes.add(Dim.of(Math.min(each.constant(), length.constant() - start)));
            }
        } else {
            for (int i = 0; i < chunks - 1; i++) {
                sizes.add(each);
            }
            sizes.add(length.minus(each.times(chunks - 1)));
        }
        splitSizes(n, sizes, axis);
    }

    private static void unbind(NodeTypes n) {
        TensorType t = n.tensor(0);
        int axis = Shape.normalizeAxis(n.integer(1), t.rank());
        Dim length = t.shape().dims().get(axis);
        if (!length.isConstant()) {
            throw new ShapeInferenceException("unbind along the symbolic size " + length);
        }
        List<Dim> rest = new ArrayList<>(t.shape().dims());
        rest.remove(axis);
        List<ValueType> parts = new ArrayList<>();
        for (long i = 0; i < length.constant(); i++) {
            parts.add(new TensorType(t.dtype(), new Shape(rest)));
        }
        n.output(0, new ValueType.TensorListType(parts));
    }
}
