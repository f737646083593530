/**
 * The check workflow: {@link org.torch2nnef.check.CheckRunner} proves an exported NNEF model
 * equal to its TorchScript source with tract or the built-in reference interpreter, for both
 * {@code torch2nnef check} and {@code torch2nnef export --check}. Sub-packages hold the pieces:
 * tensors and npz files, comparison, the DJL reference run, tract, the interpreter, reports and
 * debug bundles.
 */
package org.torch2nnef.check;
