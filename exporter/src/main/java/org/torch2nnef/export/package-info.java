/**
 * The export API and the translation core.
 *
 * <p>{@link org.torch2nnef.export.Exporter} exports a traced TorchScript file (or an already typed
 * {@link org.torch2nnef.graph.TorchGraph}) as configured by {@link org.torch2nnef.export.ExportOptions}
 * and reports an {@link org.torch2nnef.export.ExportResult}. Inside,
 * {@link org.torch2nnef.export.GraphTranslator} walks the graph and asks the
 * {@link org.torch2nnef.export.OpRegistry} for each node's {@link org.torch2nnef.export.OpTranslator};
 * translators share one {@link org.torch2nnef.export.TranslationContext} (value-to-identifier map,
 * streamed variables, fragments, tract symbols and extensions). Untranslatable nodes are reported
 * together in an {@link org.torch2nnef.export.UnsupportedOpsException}; nothing is written then.
 * Model inputs are declared by the command-line contracts {@link org.torch2nnef.export.InputDeclaration}
 * ({@code NAME=D0,D1,...[:DTYPE]}) and {@link org.torch2nnef.export.DynamicAxes}
 * ({@code NAME:AXIS=SYMBOL[,AXIS=SYMBOL]}), combined by {@link org.torch2nnef.export.InputTypes#of}
 * into the input types shape inference starts from, or by the headers of an npz ({@link org.torch2nnef.nnef.contract.Npz#headers});
 * {@link org.torch2nnef.export.TypedModel} opens, builds and types a model from them, binding each declaration
 * to a {@code forward} argument by the one rule of {@link org.torch2nnef.export.InputBinding}, for export,
 * inspect and check alike.
 * {@link org.torch2nnef.export.TractTarget} is the tract release an export must load in (its table of
 * operators per release gates {@link org.torch2nnef.export.TractGate#tractOp});
 * {@link org.torch2nnef.export.ModelProperties} writes the {@code tract_core_properties} saying who made the model.
 */
package org.torch2nnef.export;
