package org.torch2nnef.torchscript;

/**
 * Where generated TorchScript code came from in the user's Python source.
 *
 * @param file the original file name as recorded by torch (absolute path at trace time)
 * @param line the 1-based line in {@code file}
 * @param text the recorded source range text: for traced models the Python stack at trace time
 *     (innermost frame first), for scripted ones the expression's source
 */
public record OriginalSource(String file, int line, String text) {}
