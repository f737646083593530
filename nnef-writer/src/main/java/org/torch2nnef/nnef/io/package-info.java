/**
 * NNEF input and output: {@code graph.nnef} ({@link NnefPrinter}, {@link NnefParser}), {@code
 * graph.quant} ({@link QuantPrinter}, {@link QuantParser}), {@code .dat} tensors ({@link
 * DatHeader}, {@link DatWriter}, {@link DatReader}) and whole models as directory, {@code
 * .nnef.tar} or {@code .nnef.tgz} ({@link NnefArchiveWriter}, {@link NnefArchiveReader}).
 */
package org.torch2nnef.nnef.io;
