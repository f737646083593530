package org.torch2nnef.graph.shapes;

import java.util.ArrayList;
import java.util.List;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.ValueType.TensorType;

/**
 * Ops that rearrange a tensor without changing its elements' values: view/reshape (one
 * {@code -1} solved from the element count), flatten, squeeze/unsqueeze, permute/transpose,
 * expand/repeat, flip/roll.
 */
final class ShapeOpShapes {
    private ShapeOpShapes() {}

    static void register(ShapeRules r) {
        r.register(n -> n.output(0, n.tensor(0).dtype(), reshape(n.tensor(0).shape(), n.dims(1))),
                "aten::view", "aten::reshape");
        r.register(n -> {
            Shape target = n.tensor(1).shape();
            reshape(n.tensor(0).shape(), target.dims());
            n.output(0, n.tensor(0).dtype(), target);
        }, "aten::view_as", "aten::reshape_as");
        r.register(ShapeOpShapes::flatten, "aten::flatten");
        r.register(ShapeOpShapes::squeeze, "aten::squeeze");
        r.register(ShapeOpShapes::unsqueeze, "aten::unsqueeze");
        r.register(ShapeOpShapes::permute, "aten::permute");
        r.register(ShapeOpShapes::transpose, "aten::transpose");
        r.register(n -> expand(n, n.dims(1)), "aten::expand");
        r.register(n -> expand(n, n.tensor(1).shape().dims()), "aten::expand_as");
        r.register(ShapeOpShapes::repeat, "aten::repeat");
        r.register(ShapeOpShapes::tile, "aten::tile");
        r.register(n -> n.output(0, n.tensor(0)), "aten::flip", "aten::roll");
    }

    /**
     * @param in     the input shape
     * @param target the requested sizes, at most one {@code -1}
     * @return the output shape
     */
    static Shape reshape(Shape in, List<Dim> target) {
        int unknown = -1;
        Dim known = Dim.of(1);
        for (int i = 0; i < target.size(); i++) {
            Dim d = target.get(i);
            if (d.equals(Dim.of(-1))) {
                if (unknown >= 0) {
                    throw new ShapeInferenceException("view/reshape to " + target + " has two -1 sizes");
                }
                unknown = i;
            } else {
                known = known.times(d);
            }
        }
        Dim total = in.volume();
        List<Dim> out = new ArrayList<>(target);
        if (unknown >= 0) {
            Dim missing = total.divideExactly(known).orElseThrow(() -> new ShapeInferenceException(
                    "cannot view " + in + " as " + target + ": " + in.volume() + " elements are not a multiple of "
                            + "the known sizes' product"));
            out.set(unknown, missing);
        } else if (!known.equals(total) && known.minus(total).isConstant()) {
            throw new ShapeInferenceException("cannot view " + in + " (" + total + " elements) as " + target);
        }
        return new Shape(out);
    }

    private static void flatten(NodeTypes n) {
        TensorType t = n.tensor(0);
        if (t.rank() == 0) {
            n.output(0, t.dtype(), Shape.of(1));
            return;
        }
        int start = Shape.normalizeAxis(n.integer(1), t.rank());
        int end = Shape.normalizeAxis(n.integer(2), t.rank());
        if (start > end) {
            throw new ShapeInferenceException("flatten start_dim " + start + " is after end_dim " + end);
        }
        List<Dim> out = new ArrayList<>(t.shape().dims().subList(0, start));
        out.add(new Shape(t.shape().dims().subList(start, end + 1)).volume());
        out.addAll(t.shape().dims().subList(end + 1, t.rank()));
        n.output(0, t.dtype(), new Shape(out));
    }

    private static void squeeze(NodeTypes n) {
        TensorType t = n.tensor(0);
        List<Dim> out = new ArrayList<>();
        if (n.inputCount() < 2) {
            for (Dim d : t.shape().dims()) {
                if (!d.isConstant()) {
                    throw new ShapeInferenceException("squeeze() of " + t.shape() + ": whether the symbolic "
                            + d + " is 1 is unknown");
                }
                if (d.constant() != 1) {
                    out.add(d);
                }
            }
        } else {
            int axis = Shape.normalizeAxis(n.integer(1), Math.max(1, t.rank()));
            for (int i = 0; i < t.rank(); i++) {
                if (i != axis || !t.shape().dims().get(i).equals(Dim.of(1))) {
                    out.add(t.shape().dims().get(i));
                }
            }
        }
        n.output(0, t.dtype(), new Shape(out));
    }

    private static void unsqueeze(NodeTypes n) {
        TensorType t = n.tensor(0);
        int axis = Shape.normalizeAxis(n.integer(1), t.rank() + 1);
        List<Dim> out = new ArrayList<>(t.shape().dims());
        out.add(axis, Dim.of(1));
        n.output(0, t.dtype(), new Shape(out));
    }

    private static void permute(NodeTypes n) {
        TensorType t = n.tensor(0);
        long[] perm = n.integers(1);
        if (perm.length != t.rank()) {
            throw new ShapeInferenceException("permutation " + java.util.Arrays.toString(perm) + " for " + t.shape());
        }
        List<Dim> out = new ArrayList<>();
        boolean[] seen = new boolean[perm.length];
        for (long p : perm) {
            int a = Shape.normalizeAxis(p, t.rank());
            if (seen[a]) {
                throw new ShapeInferenceException("axis " + a + " repeats in permutation " + java.util.Arrays.toString(perm));
            }
            seen[a] = true;
            out.add(t.shape().dims().get(a));
        }
        n.output(0, t.dtype(), new Shape(out));
    }

    private static void transpose(NodeTypes n) {
        TensorType t = n.tensor(0);
        int a = Shape.normalizeAxis(n.integer(1), Math.max(1, t.rank()));
        int b = Shape.normalizeAxis(n.integer(2), Math.max(1, t.rank()));
        List<Dim> out = new ArrayList<>(t.shape().dims());
        if (t.rank() > 0) {
            out.set(a, t.shape().dims().get(b));
            out.set(b, t.shape().dims().get(a));
        }
        n.output(0, t.dtype(), new Shape(out));
    }

    private static void expand(NodeTypes n, List<Dim> sizes) {
        TensorType t = n.tensor(0);
        if (sizes.size() < t.rank()) {
            throw new ShapeInferenceException("cannot expand " + t.shape() + " to fewer axes " + sizes);
        }
        List<Dim> out = new ArrayList<>();
        int offset = sizes.size() - t.rank();
        for (int i = 0; i < sizes.size(); i++) {
            Dim want = sizes.get(i);
            Dim have = i < offset ? null : t.shape().dims().get(i - offset);
            if (want.equals(Dim.of(-1))) {
                if (have == null) {
                    throw new ShapeInferenceException("expand size -1 for the new leading axis " + i);
                }
                out.add(have);
            } else if (have == null || have.equals(want) || have.equals(Dim.of(1))) {
                out.add(want);
            } else {
                throw new ShapeInferenceException("cannot expand size " + have + " to " + want + " (" + t.shape()
                        + " to " + sizes + ")");
            }
        }
        n.output(0, t.dtype(), new Shape(out));
    }

    /** {@code tile} is {@code repeat} with missing leading repeats taken as 1. */
    private static void tile(NodeTypes n) {
        List<Dim> reps = new ArrayList<>(n.dims(1));
        while (reps.size() < n.tensor(0).rank()) {
            reps.add(0, Dim.of(1));
        }
        repeatBy(n, reps);
    }

    private static void repeat(NodeTypes n) {
        repeatBy(n, n.dims(1));
    }

    private static void repeatBy(NodeTypes n, List<Dim> reps) {
        TensorType t = n.tensor(0);
        if (reps.size() < t.rank()) {
            throw new ShapeInferenceException("repeat " + reps + " has fewer entries than " + t.shape() + " has axes");
        }
        List<Dim> out = new ArrayList<>();
        int offset = reps.size() - t.rank();
        for (int i = 0; i < reps.size(); i++) {
            Dim have = i < offset ? Dim.of(1) : t.shape().dims().get(i - offset);
            out.add(have.times(reps.get(i)));
        }
        n.output(0, t.dtype(), new Shape(out));
    }
}
