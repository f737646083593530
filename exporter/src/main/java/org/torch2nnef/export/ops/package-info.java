/**
 * The op translator families, one file per family, each an
 * {@link org.torch2nnef.export.OpFamily} registering one translator per op kind:
 * {@link org.torch2nnef.export.ops.PrimOps} (lists, tuples, scalars, sizes),
 * {@link org.torch2nnef.export.ops.ShapeOps} (view/reshape/flatten/transpose/permute/squeeze/unsqueeze
 * and identities), {@link org.torch2nnef.export.ops.ElementwiseOps},
 * {@link org.torch2nnef.export.ops.ActivationOps}, {@link org.torch2nnef.export.ops.LinearOps},
 * {@link org.torch2nnef.export.ops.ConvolutionOps}, {@link org.torch2nnef.export.ops.PoolingOps},
 * {@link org.torch2nnef.export.ops.NormalizationOps}, {@link org.torch2nnef.export.ops.ReductionOps},
 * {@link org.torch2nnef.export.ops.JoinSplitOps}
 * (cat/stack/split/chunk/unbind), {@link org.torch2nnef.export.ops.IndexingOps}
 * (slice/select/narrow/index_select/gather/expand/repeat/tile), {@link org.torch2nnef.export.ops.PaddingOps},
 * {@link org.torch2nnef.export.ops.ResizeOps} (upsampling), {@link org.torch2nnef.export.ops.EmbeddingOps},
 * {@link org.torch2nnef.export.ops.CreationOps}
 * (zeros/ones/full/arange...), {@link org.torch2nnef.export.ops.ComparisonOps} (comparisons, logic,
 * where, masked_fill, maximum/minimum), {@link org.torch2nnef.export.ops.CastOps} ({@code to},
 * {@code type_as}), {@link org.torch2nnef.export.ops.AttentionOps} (fused attention kernels, nested
 * tensors, scaled_dot_product_attention). Helpers for translators:
 * {@link org.torch2nnef.export.ops.Args} (arguments by schema name),
 * {@link org.torch2nnef.export.ops.Axes}, {@link org.torch2nnef.export.ops.Operands} (numpy
 * broadcasting made explicit), {@link org.torch2nnef.export.ops.Slicing} (one-axis NNEF slices).
 */
package org.torch2nnef.export.ops;
