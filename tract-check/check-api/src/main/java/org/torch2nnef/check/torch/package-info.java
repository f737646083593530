/** Reference outputs from TorchScript through DJL's PyTorch engine, and seeded inputs. */
package org.torch2nnef.check.torch;
