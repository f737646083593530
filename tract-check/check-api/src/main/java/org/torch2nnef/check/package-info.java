/**
 * The check workflow: {@link CheckRunner} proves an exported NNEF model equal to its TorchScript
 * source with tract or the built-in reference interpreter, for both {@code torch2nnef check} and
 * {@code torch2nnef export --check}. The torch run ({@link TorchRunner}, module {@code
 * torch-runner}) and the checkers ({@link Checker}, modules {@code tract-runner} and {@code
 * reference-checker}) are found on the class path, so this module does not depend on DJL.
 * Sub-packages hold the pieces: comparison, the torch run's requests and inputs, tract, the
 * interpreter, reports and debug bundles.
 */
package org.torch2nnef.check;
