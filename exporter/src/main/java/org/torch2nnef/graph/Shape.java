package org.torch2nnef.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The shape of a tensor: one {@link Dim} per axis, possibly symbolic. Immutable.
 *
 * @param dims the sizes, outermost first; empty for a 0-d tensor
 */
public record Shape(List<Dim> dims) {

    public Shape {
        dims = List.copyOf(dims);
        dims.forEach(d -> Objects.requireNonNull(d, "dim"));
    }

    /**
     * @param sizes constant sizes
     * @return the concrete shape
     */
    public static Shape of(long... sizes) {
        List<Dim> d = new ArrayList<>(sizes.length);
        for (long s : sizes) {
            d.add(Dim.of(s));
        }
        return new Shape(d);
    }

    /**
     * @param dims sizes
     * @return the shape
     */
    public static Shape of(Dim... dims) {
        return new Shape(List.of(dims));
    }

    /**
     * @return the empty shape of a 0-d tensor
     */
    public static Shape scalar() {
        return new Shape(List.of());
    }

    /**
     * @return the number of axes
     */
    public int rank() {
        return dims.size();
    }

    /**
     * @param axis an axis; negative counts from the end as in torch
     * @return its size
     * @throws IndexOutOfBoundsException if the axis is out of range
     */
    public Dim dim(long axis) {
        return dims.get(normalizeAxis(axis, rank()));
    }

    /**
     * Turns a torch axis (possibly negative) into an index.
     *
     * @param axis the axis as written
     * @param rank the number of axes
     * @return {@code axis} in {@code [0, rank)}
     * @throws IndexOutOfBoundsException if out of range
     */
    public static int normalizeAxis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IndexOutOfBoundsException(
                    "axis " + axis + " is out of range for rank " + rank);
        }
        return (int) a;
    }

    /**
     * @return whether every size is a constant
     */
    public boolean isConcrete() {
        return dims.stream().allMatch(Dim::isConstant);
    }

    /**
     * @return the constant sizes; throws if some size is symbolic
     */
    public long[] toLongArray() {
        long[] out = new long[dims.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = dims.get(i).constant();
        }
        return out;
    }

    /**
     * @return the product of the sizes
     */
    public Dim volume() {
        Dim v = Dim.of(1);
        for (Dim d : dims) {
            v = v.times(d);
        }
        return v;
    }

    /**
     * @param bindings a value for each symbol
     * @return the concrete sizes
     */
    public long[] eval(Map<String, Long> bindings) {
        long[] out = new long[dims.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = dims.get(i).eval(bindings);
        }
        return out;
    }

    /**
     * @return the symbols used by any size
     */
    public Set<String> symbols() {
        Set<String> out = new TreeSet<>();
        dims.forEach(d -> out.addAll(d.symbols()));
        return out;
    }

    /**
     * @param axis an index in {@code [0, rank)}
     * @param size the new size there
     * @return this shape with one size replaced
     */
    public Shape with(int axis, Dim size) {
        List<Dim> d = new ArrayList<>(dims);
        d.set(axis, size);
        return new Shape(d);
    }

    /**
     * @return e.g. {@code [2,S,16]}
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < dims.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(dims.get(i));
        }
        return sb.append(']').toString();
    }
}
