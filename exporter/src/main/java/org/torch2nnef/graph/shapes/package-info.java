/**
 * Dtype and shape inference over a {@link org.torch2nnef.graph.TorchGraph}.
 *
 * <p>{@link org.torch2nnef.graph.shapes.ShapeInference#run} starts from one
 * {@link org.torch2nnef.graph.ValueType.TensorType} per model input (dynamic axes as
 * {@link org.torch2nnef.graph.Dim} symbols), types parameters from their tensors, and applies one
 * {@link org.torch2nnef.graph.shapes.ShapeRule} per node in execution order. Each rule is
 * registered with its op, in the op's family file of the exporter ({@code org.torch2nnef.export.ops}),
 * which fills a {@link org.torch2nnef.graph.shapes.ShapeRules}; this package holds what rules share
 * ({@link org.torch2nnef.graph.shapes.NodeTypes}, {@link org.torch2nnef.graph.shapes.Broadcast}, ...)
 * and does not know the exporter. In-place variants
 * ({@code aten::add_}) reuse their base op's rule. Known integers (sizes, possibly symbolic) are
 * propagated alongside, so {@code x.view(x.size(0), -1)} keeps a symbolic batch. Ops without a rule
 * are all reported in one {@link org.torch2nnef.graph.shapes.ShapeInferenceException}; every other
 * failure names the node's op, code position, original source line and module.
 */
package org.torch2nnef.graph.shapes;
