/**
 * NNEF input and output: {@code graph.nnef} ({@link org.torch2nnef.nnef.io.NnefPrinter},
 * {@link org.torch2nnef.nnef.io.NnefParser}), {@code graph.quant}
 * ({@link org.torch2nnef.nnef.io.QuantPrinter}, {@link org.torch2nnef.nnef.io.QuantParser}),
 * {@code .dat} tensors ({@link org.torch2nnef.nnef.io.DatHeader},
 * {@link org.torch2nnef.nnef.io.DatWriter}, {@link org.torch2nnef.nnef.io.DatReader}) and whole
 * models as directory, {@code .nnef.tar} or {@code .nnef.tgz}
 * ({@link org.torch2nnef.nnef.io.NnefArchiveWriter}, {@link org.torch2nnef.nnef.io.NnefArchiveReader}).
 */
package org.torch2nnef.nnef.io;
