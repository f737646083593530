/**
 * The NNEF model: {@link NnefModel} with its {@link Graph}, {@link Fragment}s, {@link Expr} trees,
 * {@code .dat} tensors ({@link TensorData}) and {@code graph.quant} entries ({@link Quantization}).
 * Immutable values; nothing here knows about torch or does IO (see {@code org.torch2nnef.nnef.io}).
 */
package org.torch2nnef.nnef.model;
