/**
 * The typed graph of a traced TorchScript model.
 *
 * <p>A {@link TorchGraph} is the root {@code forward} with every submodule call inlined: {@link
 * Node}s in execution order (ops normalised to {@code aten::name}/{@code prim::Name}, inputs in
 * schema order), each with its {@link ModuleScope} and {@link SourceLocation}, and {@link Value}s
 * typed by {@link ValueType}. Tensor shapes are lists of {@link Dim}, symbolic expressions over
 * single-letter symbols for dynamic axes. Module boundaries stay visible as a tree of {@link
 * ModuleCall}s.
 */
package org.torch2nnef.graph;
