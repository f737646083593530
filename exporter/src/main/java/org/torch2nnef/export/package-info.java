/**
 * Export options. So far: the command-line contracts for model inputs,
 * {@link org.torch2nnef.export.InputDeclaration} ({@code NAME=D0,D1,...[:DTYPE]}) and
 * {@link org.torch2nnef.export.DynamicAxes} ({@code NAME:AXIS=SYMBOL[,AXIS=SYMBOL]}), combined by
 * {@link org.torch2nnef.export.InputTypes#of} into the input types shape inference starts from.
 */
package org.torch2nnef.export;
