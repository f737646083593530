/**
 * The typed graph of a traced TorchScript model.
 *
 * <p>A {@link org.torch2nnef.graph.TorchGraph} is the root {@code forward} with every submodule call
 * inlined: {@link org.torch2nnef.graph.Node}s in execution order (ops normalised to
 * {@code aten::name}/{@code prim::Name}, inputs in schema order), each with its
 * {@link org.torch2nnef.graph.ModuleScope} and {@link org.torch2nnef.graph.SourceLocation}, and
 * {@link org.torch2nnef.graph.Value}s typed by {@link org.torch2nnef.graph.ValueType}. Tensor shapes
 * are lists of {@link org.torch2nnef.graph.Dim}, symbolic expressions over single-letter symbols
 * for dynamic axes. Module boundaries stay visible as a tree of
 * {@link org.torch2nnef.graph.ModuleCall}s.
 */
package org.torch2nnef.graph;
