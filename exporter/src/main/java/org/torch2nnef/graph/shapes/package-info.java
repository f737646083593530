/**
 * Dtype and shape inference over a {@link org.torch2nnef.graph.TorchGraph}.
 *
 * <p>{@link org.torch2nnef.graph.shapes.ShapeInference#infer} starts from one
 * {@link org.torch2nnef.graph.ValueType.TensorType} per model input (dynamic axes as
 * {@link org.torch2nnef.graph.Dim} symbols), types parameters from their tensors, and applies one
 * {@link org.torch2nnef.graph.shapes.ShapeRule} per node in execution order. Rules live one op
 * family per class ({@code ConvolutionShapes}, {@code ElementwiseShapes}, {@code ScalarShapes}, ...)
 * and are registered in {@link org.torch2nnef.graph.shapes.ShapeRules#standard()}; in-place variants
 * ({@code aten::add_}) reuse their base op's rule. Known integers (sizes, possibly symbolic) are
 * propagated alongside, so {@code x.view(x.size(0), -1)} keeps a symbolic batch. Ops without a rule
 * are all reported in one {@link org.torch2nnef.graph.shapes.ShapeInferenceException}; every other
 * failure names the node's op, code position, original source line and module.
 */
package org.torch2nnef.graph.shapes;
