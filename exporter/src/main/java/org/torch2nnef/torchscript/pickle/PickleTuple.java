package org.torch2nnef.torchscript.pickle;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/** An immutable pickled tuple; a {@link List} that may hold nulls. */
public final class PickleTuple extends AbstractList<Object> implements RandomAccess {
    /** The empty tuple. */
    public static final PickleTuple EMPTY = new PickleTuple(new Object[0]);

    private final Object[] items;

    private PickleTuple(Object[] items) {
        this.items = items;
    }

    /**
     * @param items the elements, copied
     * @return a tuple holding {@code items}
     */
    public static PickleTuple of(Object... items) {
        return items.length == 0 ? EMPTY : new PickleTuple(items.clone());
    }

    @Override
    public Object get(int index) {
        return items[index];
    }

    @Override
    public int size() {
        return items.length;
    }

    @Override
    public String toString() {
        String s = Arrays.toString(items);
        return "(" + s.substring(1, s.length() - 1) + (items.length == 1 ? ",)" : ")");
    }
}
