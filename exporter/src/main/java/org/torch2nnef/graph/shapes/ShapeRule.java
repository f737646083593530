package org.torch2nnef.graph.shapes;

/** Computes the output types (and known values) of one kind of node from its inputs. */
@FunctionalInterface
public interface ShapeRule {

    /**
     * @param node the node, its inputs already typed
     * @throws ShapeInferenceException or an unchecked exception naming the problem; the caller adds
     *     the node's location and module
     */
    void infer(NodeTypes node);
}
