package org.torch2nnef.torchscript.pickle;

import java.util.AbstractList;
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

    /**
     * Top-level items only, nested containers by size: a pickled list may hold a tuple that holds
     * the list, and a deep {@code toString} of that never ends.
     */
    @Override
    public String toString() {
        return RestrictedUnpickler.brief(this);
    }
}
