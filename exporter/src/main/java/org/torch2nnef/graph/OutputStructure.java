package org.torch2nnef.graph;

import java.util.List;

/**
 * How the flat list of graph outputs nests in what {@code forward} returns, e.g. a tuple {@code
 * (out, (h, c))} is {@code Group(TUPLE, [Single(0), Group(TUPLE, [Single(1), Single(2)])])}.
 */
public sealed interface OutputStructure {

    /**
     * One graph output.
     *
     * @param index its position in {@link TorchGraph#outputs()}
     */
    record Single(int index) implements OutputStructure {}

    /**
     * A returned tuple or list.
     *
     * @param kind whether it is a tuple or a list
     * @param elements its elements in order
     */
    record Group(Kind kind, List<OutputStructure> elements) implements OutputStructure {
        public Group {
            elements = List.copyOf(elements);
        }
    }

    /** Container kinds. */
    enum Kind {
        TUPLE,
        LIST
    }
}
