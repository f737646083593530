/**
 * Dtype and shape inference over a {@link TorchGraph}.
 *
 * <p>{@link ShapeInference#run} starts from one {@link ValueType.TensorType} per model input
 * (dynamic axes as {@link Dim} symbols), types parameters from their tensors, and applies one
 * {@link ShapeRule} per node in execution order. Each rule is registered with its op, in the op's
 * family file of the exporter ({@code org.torch2nnef.export.ops}), which fills a {@link
 * ShapeRules}; this package holds what rules share ({@link NodeTypes}, {@link Broadcast}, ...) and
 * does not know the exporter. In-place variants ({@code aten::add_}) reuse their base op's rule.
 * Known integers (sizes, possibly symbolic) are propagated alongside, so {@code x.view(x.size(0),
 * -1)} keeps a symbolic batch. Ops without a rule are all reported in one {@link
 * ShapeInferenceException}; every other failure names the node's op, code position, original source
 * line and module.
 */
package org.torch2nnef.graph.shapes;

import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.TorchGraph;
import org.torch2nnef.graph.ValueType;
