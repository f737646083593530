/**
 * The NNEF model: {@link org.torch2nnef.nnef.model.NnefModel} with its
 * {@link org.torch2nnef.nnef.model.Graph}, {@link org.torch2nnef.nnef.model.Fragment}s,
 * {@link org.torch2nnef.nnef.model.Expr} trees, {@code .dat} tensors
 * ({@link org.torch2nnef.nnef.model.TensorData}) and {@code graph.quant} entries
 * ({@link org.torch2nnef.nnef.model.Quantization}). Immutable values; nothing here knows about
 * torch or does IO (see {@code org.torch2nnef.nnef.io}).
 */
package org.torch2nnef.nnef.model;
