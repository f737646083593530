/**
 * The torch.export front end: reads a {@code .pt2} archive ({@code torch.export.save}) — the
 * serialized ExportedProgram of {@code models/model.json} and the weights under {@code
 * data/weights/} — into the same typed graph the TorchScript front end builds, so that one op table
 * serves both. Input shapes, dtypes and dynamic sizes come from the program.
 */
package org.torch2nnef.pt2;
