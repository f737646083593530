/**
 * The built-in NNEF reference interpreter: {@link NnefInterpreter} executes an NNEF model read back
 * from its files with DJL tensor operations (PyTorch engine), so that an export can be checked
 * against torch without a tract binary.
 *
 * <p>Semantics follow the NNEF 1.0 specification for the standard operations and tract's
 * definitions (sonos/tract nnef/src/ops) where tract reads NNEF differently (slice end 0, border
 * names, max_pool padding, conv bias and deconv filter layout) and for the {@code tract_core_*}
 * operators. Ops are registered per family, one class each ({@code IoOps}, {@code ElementwiseOps},
 * {@code ShapeOps}, {@code MatmulOps}, {@code ConvOps}, {@code PoolOps}, {@code ResampleOps},
 * {@code ReduceOps}, {@code NormalizationOps}, {@code QuantizeOps}, {@code TractCoreOps}, {@code
 * EinsumOp}, {@code ScanOp}) in one {@code OpRegistry}; fragments defined with a body in graph.nnef
 * are evaluated from their body by the {@code Evaluator}.
 */
package org.torch2nnef.check.reference;
