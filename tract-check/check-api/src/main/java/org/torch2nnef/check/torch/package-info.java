/**
 * The torch reference run: its requests, results and seeded inputs (module {@code check-api}), and
 * its run through DJL's PyTorch engine (module {@code torch-runner}).
 */
package org.torch2nnef.check.torch;
