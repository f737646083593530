/**
 * The export API and the translation core.
 *
 * <p>{@link Exporter} exports a traced TorchScript file (or an already typed {@link TorchGraph}) as
 * configured by {@link ExportOptions} and reports an {@link ExportResult}. Inside, {@link
 * GraphTranslator} walks the graph and asks the {@link OpRegistry} for each node's {@link
 * OpTranslator}; translators share one {@link TranslationContext} (value-to-identifier map,
 * streamed variables, fragments, tract symbols and extensions). Untranslatable nodes are reported
 * together in an {@link UnsupportedOpsException}; nothing is written then. Model inputs are
 * declared by the command-line contracts {@link InputDeclaration} ({@code NAME=D0,D1,...[:DTYPE]})
 * and {@link DynamicAxes} ({@code NAME:AXIS=SYMBOL[,AXIS=SYMBOL]}), combined by {@link
 * InputTypes#of} into the input types shape inference starts from, or by the headers of an npz
 * ({@link Npz#headers}); {@link TypedModel} opens, builds and types a model from them, binding each
 * declaration to a {@code forward} argument by the one rule of {@link InputBinding}, for export,
 * inspect and check alike. {@link TractTarget} is the tract release an export must load in (its
 * table of operators per release gates {@link TractGate#tractOp}); {@link ModelProperties} writes
 * the {@code tract_core_properties} saying who made the model.
 */
package org.torch2nnef.export;

import org.torch2nnef.graph.TorchGraph;
import org.torch2nnef.nnef.contract.Npz;
