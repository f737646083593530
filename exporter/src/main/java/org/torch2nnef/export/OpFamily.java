package org.torch2nnef.export;

/**
 * A group of related op translators (one file per family in {@code org.torch2nnef.export.ops}),
 * registered together.
 */
public interface OpFamily {

    /**
     * @param registry receives one registration per op
     */
    void register(OpRegistry registry);
}
